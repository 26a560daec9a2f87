package kr.max.library.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Locale;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.core.dictionary.Sensitivity;
import org.junit.jupiter.api.Test;

/**
 * Ten rows worked by hand. Quasi-identifiers: machine (kept: exact → *) and temperature (ranges of width 10: [w10] →
 * [w20] → *; the data spans [20,40), so width 20 is one range). k = 2, at most 1 row suppressed.
 *
 * <pre>
 * row machine temp     node (machine, temp)   classes < 2        suppressed  acceptable  NUE
 *  1   A      21       (exact, w10)           A[30,40) C[20,30)  2           no
 *  2   A      25       (exact, w20)           C                  1           yes         9·log₂10 + 2·log₂5 = 34.54
 *  3   A      27       (exact, *)             C                  1           yes         same, height 3
 *  4   A      33       (*, w10)               -                  0           yes         35.12
 *  5   B      21       (*, w20), (*, *)       -                  0           yes         44.83
 *  6   B      22
 *  7   B      35
 *  8   B      36
 *  9   B      38
 * 10   C      24
 * </pre>
 *
 * NUE of (exact, w20): the machine cell of the suppressed row 10 costs log₂(10/1); every temperature cell costs
 * log₂(10 / f(value)) as all ten values share one range (f(21) = 2): 2·log₂5 + 8·log₂10. (exact, *) ties and loses on
 * height, so the release keeps machines A (4 rows) and B (5 rows), temperature [20,40), and suppresses row 10.
 */
class DeidRiskReportTest {

    static final DataDictionary DICTIONARY = new DataDictionary(List.of(
            DeidFixtures.spec("machine", ColumnRole.ASSET, ColumnType.STRING, null, Sensitivity.NONE),
            DeidFixtures.spec("temp", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "Cel", Sensitivity.NONE)), "Asia/Seoul");

    static final DeidTable TABLE = DeidTable.of(10, List.of(
            new DeidTable.Texts("machine", new String[] {"A", "A", "A", "A", "B", "B", "B", "B", "B", "C"}),
            new DeidTable.Numbers("temp", new double[] {21, 25, 27, 33, 21, 22, 35, 36, 38, 24})));

    static final String PROFILE = """
            profile: worked
            k: 2
            suppression_limit: 0.1
            rules:
              - match: { role: asset }
                action: keep
                quasi_identifier: true
              - match: { role: measurement }
                action: generalize
                width: 10
                quasi_identifier: true
            """;

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void theReportOfTheWorkedExampleMatchesTheHandCount() {
        DeidPlan plan = DeidProfile.parse(PROFILE, "worked.yaml", HierarchySource.none()).plan(DICTIONARY);
        DeidResult result = Deidentifier.run(TABLE, plan, PseudonymKey.generate(), 1);
        RiskReport r = result.report();

        assertThat(r.rowsIn()).isEqualTo(10);
        assertThat(r.rowsOut()).isEqualTo(9);
        assertThat(r.rowsSuppressed()).isEqualTo(1);
        assertThat(r.quasiIdentifiers()).containsExactly(
                new RiskReport.QuasiIdentifier("machine", "exact", 0, 0, 1),
                new RiskReport.QuasiIdentifier("temp", "width 20", 2, 1, 3));
        assertThat(r.kReached()).isEqualTo(4);
        assertThat(r.equivalenceClasses()).isEqualTo(2);
        assertThat(r.recordsAtRiskBefore()).isEqualTo(1.0);   // every (machine, temp) pair is unique
        assertThat(r.recordsAtRiskAtMinimum()).isEqualTo(0.2); // rows 4 and 10 at (exact, w10)
        assertThat(r.recordsAtRiskAfter()).isZero();
        assertThat(r.prosecutorRiskMaxBefore()).isEqualTo(1.0);
        assertThat(r.prosecutorRiskAverageBefore()).isEqualTo(1.0);
        assertThat(r.prosecutorRiskMax()).isEqualTo(0.25);
        assertThat(r.prosecutorRiskAverage()).isCloseTo(2.0 / 9, within(1e-12));
        assertThat(r.generalizationHeight()).isEqualTo(2);
        assertThat(r.maxGeneralizationHeight()).isEqualTo(4);
        assertThat(r.discernibility()).isEqualTo(4 * 4 + 5 * 5 + 10);
        double nue = 9 * log2(10) + 2 * log2(5);
        double max = (4 * log2(10 / 4.0) + 5 * log2(2) + log2(10)) + (2 * log2(5) + 8 * log2(10));
        assertThat(r.nonUniformEntropy()).isCloseTo(nue, within(1e-9));
        assertThat(r.nonUniformEntropyShare()).isCloseTo(nue / max, within(1e-12));
        assertThat(r.lossMeasure()).isEqualTo("non_uniform_entropy");
        assertThat(r.latticeNodes()).isEqualTo(6);

        DeidTable out = result.table();
        assertThat(((DeidTable.Texts) out.column("machine")).values())
                .containsExactly("A", "A", "A", "A", "B", "B", "B", "B", "B");
        assertThat(((DeidTable.Texts) out.column("temp")).values()).containsOnly("[20,40)");
        assertThat(result.dictionary().column("temp").orElseThrow().type()).isEqualTo(ColumnType.STRING);
        assertThat(Deidentifier.dryRun(TABLE, plan)).isEqualTo(r);
    }

    @Test
    void theReportReadsInKoreanAndEnglish() {
        DeidPlan plan = DeidProfile.parse(PROFILE, "worked.yaml", HierarchySource.none()).plan(DICTIONARY);
        RiskReport r = Deidentifier.dryRun(TABLE, plan);
        String en = r.render(Locale.ENGLISH);
        String ko = r.render(Locale.KOREAN);
        assertThat(en).contains("profile \"worked\"").contains("Rows: 10 in, 9 released, 1 suppressed (10.00%; limit 10.00%)")
                .contains("smallest equivalence class released: 4").contains("temp: ranges of width 20 (level 2 of 3")
                .contains("machine: exact values").contains("100.00% of the original data")
                .contains("highest 25.00%").contains("Discernibility metric: 51").contains("bits, 77.05% of its maximum")
                .doesNotContain("{");
        assertThat(ko).contains("프로파일 \"worked\"").contains("입력 10, 공개 9, 삭제 1").contains("폭 20의 구간")
                .contains("원래 값").contains("비균일 엔트로피").doesNotContain("{");
    }

    @Test
    void withoutQuasiIdentifiersTheReportSaysSo() {
        String profile = "profile: plain\nrules:\n  - match: { role: asset }\n    action: pseudonymize\n";
        DeidPlan plan = DeidProfile.parse(profile, "plain.yaml", HierarchySource.none()).plan(DICTIONARY);
        DeidResult result = Deidentifier.run(TABLE, plan, PseudonymKey.generate(), 1);
        assertThat(result.report().rowsOut()).isEqualTo(10);
        assertThat(result.report().quasiIdentifiers()).isEmpty();
        assertThat(result.report().render(Locale.ENGLISH)).contains("No quasi-identifiers");
        assertThat(result.report().render(Locale.KOREAN)).contains("준식별자가 없어");
    }
}
