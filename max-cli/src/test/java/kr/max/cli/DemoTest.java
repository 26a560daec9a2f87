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
    void demoBuildsAGovernedLibraryAnalysesDesignatedDataInTheSafeZoneAndServesIt() throws Exception {
        Cli max = Cli.in(dir);

        var demo = max.run("demo", "--once");

        assertThat(demo.exit()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("Deposited nasa/cmapss-fd001 version 1: 2,136 rows",
                "Deposited braatz/tep-fault-1 version 1: 480 rows",
                "Deposited kamp/injection-molding version 1: 5,000 rows",
                "Deposited kamp/melting-tank version 1: 1,440 rows", "encoding CP949",
                "Deposited hanbit/press-line version 1: 200,000 rows",
                "The result is held in the safe zone as output", "Released output",
                "rule residency-designated-domestic-only", "MAX-QUERY-005",
                "The server answered: 6 datasets visible to minji.", "waits for the provider");
        assertThat(demo.out()).containsPattern("Audit chain intact: \\d+ records");
        // issue 4 on screen: a k-anonymous release, a fingerprinted copy, and a leaked part traced to its recipient
        assertThat(demo.out()).contains("Released hanbit/molding-shots-share version 1").containsPattern(
                "A leaked copy of [0-9,]+ shuffled rows is traced to minji \\(export exp-[a-z0-9]{12}, p = 10\\^-\\d+\\)");
        // issue 5 on screen: models trained inside the library, as protected as their data
        assertThat(demo.out()).contains("Trained molding-quality@1 (quality-gbm) on kamp/injection-molding inside the library: restricted",
                "Trained press-line-anomaly@1 (isolation-forest) on hanbit/press-line inside the library: designated",
                "Model press-line-anomaly@1 learned from designated data", "A provider of hanbit-press or a steward reviews it",
                "alice may now export press-line-anomaly@1 once", "Exported press-line-anomaly@1 (isolation-forest, ")
                .containsPattern("pr_auc=0\\.\\d+");
        // issue 6 on screen: the simulated line streams into the library and a bearing defect raises the model alarm
        assertThat(demo.out()).contains("The line of 한빛정밀 (Hanbit Precision) runs as a digital twin: 4 equipment, ",
                        "in the stream dataset hanbit/line-1", "model watch on changwon/molding/line-1/machining-cell/CNC-01: cnc-01-spindle-watch@1")
                .containsPattern("The line streamed [1-9][0-9]* samples into the library; a bearing defect raised its model alarm "
                        + "[0-9.]+ s later: .+");
        // every demo user's token in full, usable as printed
        assertThat(demo.out().lines().filter(l -> l.matches("^  \\S+ +\\S+ +\\S+ +max_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$"))).hasSize(9);
    }
}
