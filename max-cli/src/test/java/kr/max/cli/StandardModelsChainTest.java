package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's chain through the {@code max} command, on files in the shapes of the four benchmark sets (made by
 * {@link BenchmarkShapedFiles}; the real sets go through the same commands in {@code docs/benchmarks.md}): ingest,
 * train each standard model with the dictionary inference alone binding the roles, evaluate beside the published
 * table, predict, and read the lineage back to the dataset versions in the model card.
 */
class StandardModelsChainTest {

    @TempDir
    static Path dir;

    static Cli max;
    static Path files;

    @BeforeAll
    static void makeFiles() throws Exception {
        max = Cli.in(Files.createDirectories(dir.resolve("library")));
        files = Files.createDirectories(dir.resolve("files"));
    }

    static Cli.Run ok(String... args) {
        var run = max.run(args);
        assertThat(run.exit()).as(run.toString()).isZero();
        return run;
    }

    static List<String> row(Cli.Run run, String title, String first) {
        return Cli.rowStartingWith(Cli.table(run.outLines(), title), first).orElseThrow(() -> new AssertionError(first + " not in\n" + run));
    }

    static double value(Cli.Run run, String metric) {
        var lines = run.outLines();
        return Double.parseDouble(Cli.rowStartingWith(Cli.table(lines.subList(1, lines.size()), null), metric)
                .orElseThrow(() -> new AssertionError(metric + " not in\n" + run)).get(1));
    }

    /** The standard deviation of each unit's last {@code rul}, capped at 125 as {@code rmse_capped} caps it. */
    static double spreadOfCappedLastRul(Path testFile) throws Exception {
        var last = new java.util.LinkedHashMap<String, Double>();
        for (String line : Files.readAllLines(testFile).subList(1, Files.readAllLines(testFile).size())) {
            var cells = line.split(",");
            last.put(cells[0], Math.min(125, Double.parseDouble(cells[cells.length - 1])));
        }
        double mean = last.values().stream().mapToDouble(d -> d).average().orElseThrow();
        return Math.sqrt(last.values().stream().mapToDouble(d -> (d - mean) * (d - mean)).average().orElseThrow());
    }

    @Test
    void remainingUsefulLifeFromIngestToOneRowPerUnitWithLineage() throws Exception {
        BenchmarkShapedFiles.cmapss(files.resolve("cmapss_train_FD001.csv"), files.resolve("cmapss_test_FD001.csv"), 40, 25, 11);
        ok("ingest", files.resolve("cmapss_train_FD001.csv").toString(), "--dataset", "nasa/cmapss-fd001-train");
        ok("ingest", files.resolve("cmapss_test_FD001.csv").toString(), "--dataset", "nasa/cmapss-fd001-test");

        // fewer boosting rounds than the default 500: these files are small and the test runs on two busy cores
        Files.writeString(files.resolve("rul.yaml"), "rounds: 150\neta: 0.08\n", StandardCharsets.UTF_8);
        var trained = ok("train", "rul-gbm", "--dataset", "nasa/cmapss-fd001-train", "--seed", "42", "--as", "fd001-rul",
                "--params", files.resolve("rul.yaml").toString());
        assertThat(trained.out()).startsWith("Trained fd001-rul@1 (rul-gbm) on nasa/cmapss-fd001-train@1 inside the library");

        var evaluated = ok("evaluate", "fd001-rul", "--dataset", "nasa/cmapss-fd001-test", "--reference", "cmapss-fd001");
        assertThat(value(evaluated, "units")).isEqualTo(25);
        // it learned: well under the spread of the (capped) truth, which is what predicting the mean would score
        assertThat(value(evaluated, "rmse_capped")).isLessThan(0.75 * spreadOfCappedLastRul(files.resolve("cmapss_test_FD001.csv")));
        double rmse = value(evaluated, "rmse");
        var published = row(evaluated, "Beside the published results of cmapss-fd001:", "rmse");
        assertThat(Double.parseDouble(published.get(1))).isEqualTo(rmse);
        assertThat(published.get(2)).isEqualTo("12.6100");
        // the verdict is the comparison itself, whichever way it goes on these small files
        assertThat(published.get(4)).isEqualTo(rmse < 12.61 ? "met" : "not met");

        ok("predict", "fd001-rul", "--dataset", "nasa/cmapss-fd001-test", "--to", files.resolve("fd001-rul.csv").toString());
        var predictions = Files.readAllLines(files.resolve("fd001-rul.csv"), StandardCharsets.UTF_8);
        assertThat(predictions.getFirst()).isEqualTo("unit,rul");
        assertThat(predictions).hasSize(26);
        assertThat(predictions.subList(1, 26)).extracting(l -> l.split(",")[0])
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, 25).mapToObj(String::valueOf).toList());

        var card = ok("model", "show", "fd001-rul");
        assertThat(card.out()).contains("Trained on nasa/cmapss-fd001-train@1:").contains("Random seed: 42").contains("rounds=150");
    }

    @Test
    void processMonitoringAndAnAnomalyDetectorCatchTheFaultEnteringAfterSample160() throws Exception {
        BenchmarkShapedFiles.tep(files.resolve("tep_d00.csv"), files.resolve("tep_d01_te.csv"), 500, 960, 1, 3);
        ok("ingest", files.resolve("tep_d00.csv").toString(), "--dataset", "braatz/tep-d00");
        ok("ingest", files.resolve("tep_d01_te.csv").toString(), "--dataset", "braatz/tep-d01-te");

        var trained = ok("train", "pca-monitor", "--dataset", "braatz/tep-d00", "--as", "tep-pca");
        assertThat(trained.out()).contains("(5-fold time-block cross-validation on normal rows)").contains("training_vectors=500");
        var evaluated = ok("evaluate", "tep-pca", "--dataset", "braatz/tep-d01-te", "--reference", "tep-fault01");
        assertThat(value(evaluated, "fault_samples")).isEqualTo(800);
        assertThat(value(evaluated, "normal_samples")).isEqualTo(160);
        assertThat(value(evaluated, "detection_rate")).isGreaterThan(0.95);
        assertThat(value(evaluated, "false_alarm_rate")).isLessThan(0.05);
        var t2 = row(evaluated, "Beside the published results of tep-fault01:", "detection_rate_t2");
        assertThat(t2.get(1)).isEqualTo(String.format(java.util.Locale.ROOT, "%.4f", value(evaluated, "detection_rate_t2")));
        assertThat(t2.subList(2, 4)).containsExactly("0.9920", "within 0.0100");
        assertThat(t2.get(4)).isEqualTo(Math.abs(value(evaluated, "detection_rate_t2") - 0.992) <= 0.01 ? "met" : "not met");

        ok("predict", "tep-pca", "--dataset", "braatz/tep-d01-te", "--to", files.resolve("tep-pca.csv").toString());
        var scored = Files.readAllLines(files.resolve("tep-pca.csv"), StandardCharsets.UTF_8);
        assertThat(scored.getFirst()).isEqualTo("t2,q,score,alarm");
        assertThat(scored).hasSize(961);
        long alarmsAfterTheFault = scored.subList(161, 961).stream().filter(l -> l.endsWith(",true")).count();
        assertThat(alarmsAfterTheFault).isEqualTo(Math.round(value(evaluated, "detection_rate") * 800));

        ok("train", "isolation-forest", "--dataset", "braatz/tep-d00", "--as", "tep-if", "--seed", "5");
        var forest = ok("evaluate", "tep-if", "--dataset", "braatz/tep-d01-te");
        assertThat(value(forest, "labelled_anomalies")).isEqualTo(800);
        assertThat(value(forest, "auc")).isGreaterThan(0.95);
        assertThat(ok("model", "show", "tep-if").out()).contains("Trained on braatz/tep-d00@1: 500 rows").contains("Random seed: 5");
    }

    @Test
    void vibrationDiagnosisSplitsEachRecordByTimeAndQualityPredictionStatesTheImbalance() throws Exception {
        BenchmarkShapedFiles.cwru(files.resolve("cwru_0hp_drive_end.csv"), 40_000, 5);
        ok("ingest", files.resolve("cwru_0hp_drive_end.csv").toString(), "--dataset", "cwru/drive-end-0hp");
        var trained = ok("train", "vibration-gbm", "--dataset", "cwru/drive-end-0hp", "--as", "cwru-diag");
        assertThat(trained.out()).contains("last 50 % of each record (time split)");
        var diagnosed = ok("evaluate", "cwru-diag", "--dataset", "cwru/drive-end-0hp", "--reference", "cwru-0hp");
        for (String c : List.of("Normal", "IR007", "B007", "OR007@6")) assertThat(value(diagnosed, "recall." + c)).isGreaterThan(0.9);
        var accuracy = row(diagnosed, "Beside the published results of cwru-0hp:", "accuracy");
        assertThat(accuracy.get(4)).isEqualTo(value(diagnosed, "accuracy") >= 0.99 ? "met" : "not met");

        BenchmarkShapedFiles.kampMolding(files.resolve("injection_molding_labeled.csv"), 3000, 0.03, 9);
        ok("ingest", files.resolve("injection_molding_labeled.csv").toString(), "--dataset", "kamp/injection-molding");
        var quality = ok("train", "quality-gbm", "--dataset", "kamp/injection-molding", "--as", "kamp-quality");
        assertThat(quality.out()).contains("Metrics (last 30 % of shots by time: 900 shots, ");
        var evaluated = ok("evaluate", "kamp-quality", "--dataset", "kamp/injection-molding", "--reference", "kamp-molding");
        double baseRate = value(evaluated, "base_rate");
        assertThat(value(evaluated, "pr_auc")).isGreaterThan(5 * baseRate);
        assertThat(row(evaluated, "Beside the published results of kamp-molding:", "pr_auc").get(5)).startsWith("chance level");
        var card = ok("model", "show", "kamp-quality", "--lang", "ko");
        assertThat(card.out()).contains("kamp/injection-molding@1");
        assertThat(ok("model", "show", "kamp-quality").out()).contains("Fails are rare: ").contains("accuracy is not reported")
                .contains("Trained on kamp/injection-molding@1: 3,000 rows");
    }
}
