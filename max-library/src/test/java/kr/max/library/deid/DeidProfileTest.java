package kr.max.library.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.core.dictionary.Sensitivity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeidProfileTest {

    private static final String ISSUE_EXAMPLE = """
            profile: injection-share          # name
            k: 5
            suppression_limit: 0.05           # max share of rows suppressed, 0..1
            rules:                            # first matching rule wins
              - match: { sensitivity: personal }
                action: pseudonymize
              - match: { role: product, sensitivity: trade_secret }
                action: pseudonymize
              - match: { role: setpoint }
                action: perturb
                bound: 0.5
              - match: { role: timestamp }
                action: generalize
                to: hour
                quasi_identifier: true
              - match: { role: asset }
                action: generalize
                hierarchy: assets.csv
                quasi_identifier: true
              - match: { role: measurement }
                action: generalize
                width: 10
                quasi_identifier: true
              - match: { role: free_text }
                action: drop
            default: keep
            """;

    @Test
    void readsTheIssuesExampleProfile() {
        DeidProfile p = DeidProfile.parse(ISSUE_EXAMPLE, "share.yaml", DeidFixtures.assets());
        assertThat(p.name()).isEqualTo("injection-share");
        assertThat(p.k()).isEqualTo(5);
        assertThat(p.suppressionLimit()).isEqualByComparingTo("0.05");
        assertThat(p.defaultAction()).isEqualTo(DeidAction.KEEP);
        assertThat(p.allowKeepSensitive()).isFalse();
        assertThat(p.rules()).hasSize(7);
        DeidRule product = p.rules().get(1);
        assertThat(product.roles()).containsExactly(ColumnRole.PRODUCT);
        assertThat(product.sensitivities()).containsExactly(Sensitivity.TRADE_SECRET);
        assertThat(p.rules().get(2).bound()).isEqualTo(new NoiseBound(new BigDecimal("0.5"), false));
        assertThat(p.rules().get(3).generalization()).isEqualTo(new Generalization.Time(TimeGranularity.HOUR));
        assertThat(p.rules().get(3).location().line()).isEqualTo(12);
        assertThat(p.rules().get(3).location().file()).isEqualTo("share.yaml");
        var assets = (Generalization.Categories) p.rules().get(4).generalization();
        assertThat(assets.level()).isEqualTo(1);
        assertThat(assets.hierarchy().height()).isEqualTo(2);
        assertThat(assets.hierarchy().source()).isEqualTo("assets.csv");
        assertThat(p.rules().get(5).generalization()).isEqualTo(new Generalization.Width(new BigDecimal("10")));
        assertThat(p.rules().stream().filter(DeidRule::quasiIdentifier).count()).isEqualTo(3);
    }

    @Test
    void writesYamlThatReadsBackToTheSameProfile() {
        String yaml = """
                profile: "공유용 프로파일"
                k: 3
                suppression_limit: "2.5%"
                allow_keep_sensitive: true
                rules:
                  - match: { role: [measurement, setpoint], sensitivity: [none, trade_secret], unit: "Cel" }
                    action: generalize
                    width: 0.5
                  - match: { role: asset }
                    action: generalize
                    hierarchy: { "M:1": [line-A, "plant, ulsan"], M2: [line-A, "plant, ulsan"] }
                    level: 2
                    quasi_identifier: true
                  - match: { role: setpoint }
                    action: perturb
                    bound: "2%"
                  - match: { role: batch }
                    action: perturb
                    bound: 1.25
                  - match: { role: label }
                    action: suppress
                default: drop
                """;
        DeidProfile p = DeidProfile.parse(yaml, "x.yaml", HierarchySource.none());
        assertThat(p.suppressionLimit()).isEqualByComparingTo("0.025");
        String written = p.toYaml();
        DeidProfile again = DeidProfile.parse(written, "x.yaml", HierarchySource.none());
        assertThat(again.toYaml()).isEqualTo(written);
        assertThat(again.name()).isEqualTo("공유용 프로파일");
        assertThat(again.rules().get(0).roles()).containsExactlyInAnyOrder(ColumnRole.MEASUREMENT, ColumnRole.SETPOINT);
        assertThat(again.rules().get(1).generalization()).isEqualTo(p.rules().get(1).generalization());
        assertThat(again.rules().get(2).bound()).isEqualTo(new NoiseBound(new BigDecimal("2"), true));
        assertThat(again.defaultAction()).isEqualTo(DeidAction.DROP);

        DeidProfile withFile = DeidProfile.parse(ISSUE_EXAMPLE, "share.yaml", DeidFixtures.assets());
        assertThat(withFile.toYaml()).contains("hierarchy: \"assets.csv\"");
        assertThat(DeidProfile.parse(withFile.toYaml(), "share.yaml", DeidFixtures.assets()).toYaml())
                .isEqualTo(withFile.toYaml());
    }

    @Test
    void readsAProfileFileWithItsHierarchyBesideIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("assets.csv"), DeidFixtures.ASSETS_CSV);
        Path file = dir.resolve("share.yaml");
        Files.writeString(file, ISSUE_EXAMPLE);
        assertThat(DeidProfile.read(file).rules().get(4).generalization()).isInstanceOf(Generalization.Categories.class);
        assertThatThrownBy(() -> DeidProfile.read(dir.resolve("none.yaml")))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(DeidError.PROFILE_UNREADABLE));
    }

    @Test
    void plansEveryColumnByRoleAndSensitivityWithTheFirstMatchingRule() {
        DeidProfile p = DeidProfile.parse(DeidFixtures.profileYaml(5, "0.05", "hour", 1, "10", false), "p.yaml",
                DeidFixtures.assets());
        DeidPlan plan = p.plan(DeidFixtures.dictionary());
        assertThat(plan.column("operator").action()).isEqualTo(DeidAction.PSEUDONYMIZE);
        assertThat(plan.column("operator").ruleIndex()).isZero();
        assertThat(plan.column("supplier").action()).isEqualTo(DeidAction.PSEUDONYMIZE);
        assertThat(plan.column("Injection_Speed_Set").rule().bound().toString()).isEqualTo("0.5");
        assertThat(plan.column("Shot_Count_Set").rule().bound().toString()).isEqualTo("3%");
        assertThat(plan.column("Max_Injection_Pressure").action()).isEqualTo(DeidAction.GENERALIZE);
        assertThat(plan.column("Max_Injection_Pressure").quasiIdentifier()).isFalse();
        assertThat(plan.column("Cycle_Time").action()).isEqualTo(DeidAction.KEEP); // unit s matches no rule
        assertThat(plan.column("Cycle_Time").rule()).isNull();
        assertThat(plan.column("Cycle_Time").ruleIndex()).isEqualTo(-1);
        assertThat(plan.column("remarks").action()).isEqualTo(DeidAction.DROP);
        assertThat(plan.column("PassOrFail").action()).isEqualTo(DeidAction.SUPPRESS);
        assertThat(plan.quasiIdentifiers()).extracting(c -> c.column().name())
                .containsExactly("TimeStamp", "machine_name", "Barrel_Temperature_1");
    }

    @Test
    void aSensitiveColumnLeftToDefaultKeepIsRefusedByName() {
        String yaml = """
                profile: lax
                rules:
                  - match: { role: free_text }
                    action: drop
                default: keep
                """;
        DeidProfile p = DeidProfile.parse(yaml, "lax.yaml", HierarchySource.none());
        assertThatThrownBy(() -> p.plan(DeidFixtures.dictionary()))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(DeidError.SENSITIVE_KEPT_BY_DEFAULT);
                    assertThat(e.location().columnName()).isEqualTo("operator");
                    assertThat(e.location().file()).isEqualTo("lax.yaml");
                    assertThat(e.getMessage()).contains("\"operator\"").contains("personal").contains("allow_keep_sensitive");
                });
        // allowed when said so, or when a rule keeps it explicitly, or when the default does not keep
        DeidProfile.parse(yaml + "allow_keep_sensitive: true\n", "lax.yaml", HierarchySource.none())
                .plan(DeidFixtures.dictionary());
        DeidProfile.parse(yaml.replace("default: keep", "default: drop"), "lax.yaml", HierarchySource.none())
                .plan(DeidFixtures.dictionary());
        DeidPlan explicit = DeidProfile.parse(yaml.replace("rules:\n", """
                rules:
                  - match: { sensitivity: [personal, trade_secret] }
                    action: keep
                """), "lax.yaml", HierarchySource.none()).plan(DeidFixtures.dictionary());
        assertThat(explicit.column("supplier").action()).isEqualTo(DeidAction.KEEP);
    }

    @Test
    void anActionTheColumnsTypeCannotTakeNamesTheColumnAndTheRule() {
        var dictionary = new DataDictionary(List.of(
                DeidFixtures.spec("batch_no", ColumnRole.BATCH, ColumnType.STRING, null, Sensitivity.NONE),
                DeidFixtures.spec("lot_size", ColumnRole.BATCH, ColumnType.INTEGER, null, Sensitivity.NONE)), null);
        String yaml = """
                profile: p
                rules:
                  - match: { role: batch }
                    action: %s
                """;
        for (String action : List.of("perturb\n    bound: 1", "generalize\n    width: 5", "generalize\n    to: day")) {
            DeidProfile p = DeidProfile.parse(yaml.formatted(action), "p.yaml", HierarchySource.none());
            assertThatThrownBy(() -> p.plan(dictionary)).isInstanceOfSatisfying(MaxException.class, e -> {
                assertThat(e.code()).isEqualTo(DeidError.ACTION_NOT_FOR_TYPE);
                assertThat(e.location().line()).isEqualTo(3);
                assertThat(e.location().columnName()).isEqualTo("batch_no");
            });
        }
        // a hierarchy may apply to integer codes, matched by their text
        DeidProfile p = DeidProfile.parse(yaml.formatted("generalize\n    hierarchy: { \"7\": [small] }"), "p.yaml",
                HierarchySource.none());
        assertThat(p.plan(dictionary).column("lot_size").action()).isEqualTo(DeidAction.GENERALIZE);
    }

    @Test
    void rulesMatchByUnitToo() {
        var rule = new DeidRule(Set.of(), Set.of(), "Cel", DeidAction.DROP, null, null, false, null);
        assertThat(rule.matches(DeidFixtures.spec("t", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "Cel", Sensitivity.NONE)))
                .isTrue();
        assertThat(rule.matches(DeidFixtures.spec("t", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, "K", Sensitivity.NONE)))
                .isFalse();
    }
}
