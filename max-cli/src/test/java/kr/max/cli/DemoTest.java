package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code max demo}: the whole deposit-to-audit path on made-up factory data (about 20 seconds). */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void demoDepositsFourDatasetsQueriesExportsAndFindsTheAuditChainIntact() throws Exception {
        Cli max = Cli.in(dir);

        var demo = max.run("demo");

        assertThat(demo.exit()).as(demo.toString()).isZero();
        assertThat(demo.err()).isEmpty();
        assertThat(demo.out()).contains("Deposited kamp/injection-molding version 1: 5,000 rows",
                "Deposited kamp/melting-tank version 1: 1,440 rows", "encoding CP949",
                "Deposited nasa/cmapss-fd001-sample version 1: 3,000 rows",
                "Deposited plant/press-line version 1: 200,000 rows",
                "Exported nasa/cmapss-fd001-sample to ", ": 3,000 rows.",
                "A query that tries to read a file outside the library is refused: MAX-QUERY-005");
        assertThat(demo.out()).containsPattern("Audit chain intact: \\d+ records, \\d+ signed checkpoints verified.");
        assertThat(max.home().resolve("exports").resolve("fd001.parquet")).isNotEmptyFile();
    }
}
