package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Designated data on the command line: results are held, and the analyst can neither release nor read them. */
class SafeZoneCommandsTest {

    @TempDir
    Path dir;

    @Test
    void aQueryOverDesignatedDataIsHeldAndItsAnalystCannotReleaseIt() throws Exception {
        Cli max = Cli.in(dir);
        var file = SampleData.injectionMolding(dir, 120, 3);
        assertThat(max.run("ingest", file.toString(), "--dataset", "kamp/injection").exit()).isZero();
        var designate = max.run("describe", "kamp/injection", "--classification", "designated");
        assertThat(designate.exit()).as(designate.toString()).isZero();

        var raw = max.run("query", "SELECT * FROM \"kamp/injection\"");
        assertThat(raw.exit()).isEqualTo(1);
        assertThat(raw.err()).contains("MAX-QUERY-007");

        var held = max.run("query", "SELECT EQUIP_NAME, count(*) FROM \"kamp/injection\" GROUP BY 1", "--format", "csv");
        assertThat(held.exit()).as(held.toString()).isZero();
        assertThat(held.out()).isEmpty();
        assertThat(held.err()).contains("held in the safe zone as output");
        String id = held.err().replaceFirst("(?s).*as output ([a-z0-9]{12}).*", "$1");
        assertThat(id).hasSize(12);

        var list = max.run("--lang", "ko", "review", "list", "--format", "csv");
        assertThat(list.out()).startsWith("output,state,").contains(id + ",pending,");
        var own = max.run("review", "approve", id);
        assertThat(own.exit()).isEqualTo(1);
        assertThat(own.err()).contains("MAX-POLICY-001").contains("review-not-own-output");
        var read = max.run("--lang", "ko", "output", id);
        assertThat(read.exit()).isEqualTo(1);
        assertThat(read.err()).contains("MAX-SAFE-003").contains("반출 승인된 결과만");
        var export = max.run("export", "kamp/injection", "--to", dir.resolve("out.csv").toString());
        assertThat(export.err()).contains("designated-no-raw-export");
        assertThat(dir.resolve("out.csv")).doesNotExist();
    }
}
