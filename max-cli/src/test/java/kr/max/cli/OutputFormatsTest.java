package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CSV and JSON Lines that other programs can read back, whatever the values hold. */
class OutputFormatsTest {

    static final String SQL = "SELECT 'a,\"b' AS text, '줄\n바꿈' AS korean, 1.5 AS number, NULL AS nothing, "
            + "TIMESTAMPTZ '2026-01-01 00:00:00+00' AS at";

    @TempDir
    Path dir;

    @Test
    void csvQuotesCommasQuotesAndLineBreaks() throws Exception {
        var run = Cli.in(dir).run("query", SQL, "--format", "csv");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(String.join(System.lineSeparator(), "text,korean,number,nothing,at",
                "\"a,\"\"b\",\"줄\n바꿈\",1.5,,2026-01-01 09:00:00", ""));
    }

    @Test
    void jsonLinesKeepTypesNullsAndEscapes() throws Exception {
        var run = Cli.in(dir).run("query", SQL, "--format", "json");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.outLines()).hasSize(1);
        JsonNode row = JsonMapper.builder().build().readTree(run.outLines().getFirst());
        assertThat(row.get("text").asString()).isEqualTo("a,\"b");
        assertThat(row.get("korean").asString()).isEqualTo("줄\n바꿈");
        assertThat(row.get("number").isNumber()).isTrue();
        assertThat(row.get("number").asDouble()).isEqualTo(1.5);
        assertThat(row.get("nothing").isNull()).isTrue();
        assertThat(row.get("at").asString()).isEqualTo("2026-01-01 09:00:00");
    }

    @Test
    void csvAndJsonKeepTheirColumnNamesInKoreanWhileTablesAreTranslated() throws Exception {
        Cli max = Cli.in(dir);

        var table = max.run("--lang", "ko", "audit");
        var csv = max.run("--lang", "ko", "audit", "--format", "csv");
        var json = max.run("--lang", "ko", "audit", "--format", "json");

        assertThat(Cli.cells(table.outLines().getFirst())).containsExactly("순번", "시각", "주체", "동작", "데이터셋", "버전", "결과", "상세");
        assertThat(csv.outLines().getFirst()).isEqualTo("seq,time,principal,action,dataset,version,outcome,detail");
        JsonNode first = JsonMapper.builder().build().readTree(json.outLines().getFirst());
        assertThat(first.propertyNames()).containsExactly("seq", "time", "principal", "action", "dataset", "version", "outcome", "detail");
        // the permit is recorded before the records are read
        assertThat(first.get("action").asString()).isEqualTo("audit");
        assertThat(first.get("outcome").asString()).isEqualTo("permit");
    }
}
