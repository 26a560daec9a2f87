package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.models.fixture.LeastSquares;
import kr.max.models.fixture.RegressionData;
import kr.max.models.fixture.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model registry from the command line, run twice: on a home of its own and with {@code --server} against a
 * running server as a user with a token. Train, list, show, evaluate, predict, import an ONNX file and export: the two
 * print the same, up to who acted, when, and the commits of their own deposits.
 */
class ModelCommandsTest {

    @TempDir
    static Path dir;

    static RemoteLibrary server;
    static String minji;
    static String carol;
    static Path input;

    @BeforeAll
    static void start() throws Exception {
        server = RemoteLibrary.start(dir);
        server.organization("kamp-lab", "KR");
        server.organization("seoul-analytics", "KR");
        minji = server.user("minji", "kamp-lab", Role.PROVIDER, Role.CONSUMER, Role.AUDITOR);
        carol = server.user("carol", "seoul-analytics", Role.CONSUMER);
        input = Files.createDirectories(dir.resolve("input"));
        RegressionData.write(input.resolve("press.csv"), 600, 1);
        Files.writeString(input.resolve("params.yaml"), "ridge: 0.0\n", StandardCharsets.UTF_8);
        Files.write(input.resolve("linear.onnx"), TinyOnnx.linear(new float[]{3, -2, 0.01f}, 10));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One side: a way to run the command, a directory for its files, who acts and for which organization. */
    record Side(Cli cli, Path files, String who, String organization) {

        Cli.Run run(String... args) {
            return cli.run(Arrays.stream(args).map(a -> a.replace("{files}", files.toString()).replace("{input}", input.toString()))
                    .toArray(String[]::new));
        }

        String normalized(String text) {
            var lines = new ArrayList<String>();
            for (String line : text.replace(files.toString(), "{files}").lines().toList()) {
                line = line.replace(who, "{who}")
                        .replaceAll("(?<![\\w-])" + java.util.regex.Pattern.quote(organization) + "(?![\\w-])", "{org}")
                        .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d", "{time}")
                        .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{commit}");
                lines.add(line.matches("-+( +-+)*") ? "{rule}" : line.replaceAll(" {2,}", "  "));
            }
            return String.join("\n", lines);
        }
    }

    static Cli.Run same(Side local, Side remote, String... args) {
        var l = local.run(args);
        var r = remote.run(args);
        String what = String.join(" ", args) + "\n--- embedded\n" + l + "\n--- over HTTP\n" + r;
        assertThat(r.exit()).as(what).isEqualTo(l.exit());
        assertThat(remote.normalized(r.out())).as(what).isEqualTo(local.normalized(l.out()));
        assertThat(remote.normalized(r.err())).as(what).isEqualTo(local.normalized(l.err()));
        return l;
    }

    static Cli.Run ok(Cli.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void theModelStoryPrintsTheSameOverHttpAsOnTheLibrarysOwnMachine() throws Exception {
        var local = new Side(Cli.in(Files.createDirectories(dir.resolve("local"))), Files.createDirectories(dir.resolve("local-files")),
                Principal.localOperator().name(), "local");
        var remote = new Side(server.cli(minji), Files.createDirectories(dir.resolve("remote-files")), "minji", "kamp-lab");

        ok(same(local, remote, "ingest", "{input}/press.csv", "--dataset", "plant/press"));
        var trained = ok(same(local, remote, "train", LeastSquares.ID, "--dataset", "plant/press", "--params", "{input}/params.yaml",
                "--seed", "7", "--as", "press-ols", "--purpose", "quality-research"));
        assertThat(trained.outLines().get(0)).startsWith("Trained press-ols@1 (test-ols) on plant/press@1 inside the library: internal, ");
        assertThat(trained.outLines().get(1)).startsWith("Metrics (held-out: time-ordered").contains("rmse=0.").contains("r2=0.99");
        assertThat(trained.outLines().get(2)).isEqualTo("Model card, metrics and lineage: max model show press-ols@1");

        var listed = ok(same(local, remote, "models"));
        assertThat(Cli.rowStartingWith(Cli.table(listed.outLines(), null), "press-ols")).hasValueSatisfying(r ->
                assertThat(r.subList(1, 4)).containsExactly("1", LeastSquares.ID, "internal"));
        assertThat(ok(same(local, remote, "models", "--format", "csv")).outLines().getFirst())
                .isEqualTo("model,versions,type,classification,organization,updated,description");

        var shown = ok(same(local, remote, "model", "show", "press-ols"));
        assertThat(shown.out()).contains("Model press-ols (internal), owned by local").contains("Version press-ols@1 (test-ols)")
                .contains("Purpose: Linear regression of a numeric label on process variables (test fixture)")
                .contains("Trained on plant/press@1: 600 rows, commit ").contains("Parameters: ").contains("ridge=0.0")
                .contains("Random seed: 7").contains("Code: max-models");
        assertThat(ok(local.run("model", "show", "press-ols", "--lang", "ko")).out()).contains("모델 카드:").contains("목적: 공정 변수로");

        var evaluated = ok(same(local, remote, "evaluate", "press-ols", "--dataset", "plant/press@1"));
        assertThat(Cli.rowStartingWith(Cli.table(evaluated.outLines().subList(1, evaluated.outLines().size()), null), "rmse"))
                .hasValueSatisfying(r -> assertThat(Double.parseDouble(r.get(1))).isLessThan(0.15));
        assertThat(ok(same(local, remote, "evaluate", "press-ols", "--dataset", "plant/press", "--format", "json")).outLines())
                .anySatisfy(l -> assertThat(l).startsWith("{\"metric\":\"rmse\",\"value\":0."));

        // beside a published table: the regression's RMSE (under 0.15) beats the DCNN's 12.61 on FD001; it has no NASA score
        var referenced = ok(same(local, remote, "evaluate", "press-ols", "--dataset", "plant/press@1", "--reference", "cmapss-fd001"));
        assertThat(referenced.out()).contains("Beside the published results of cmapss-fd001:");
        var comparison = Cli.table(referenced.outLines(), "Beside the published results of cmapss-fd001:");
        assertThat(Cli.rowStartingWith(comparison, "rmse")).hasValueSatisfying(r -> {
            assertThat(r.get(2)).isEqualTo("12.6100");
            assertThat(r.get(3)).isEqualTo("lower");
            assertThat(r.get(4)).isEqualTo("met");
            assertThat(r.get(6)).contains("Li, Ding & Sun");
        });
        assertThat(Cli.rowStartingWith(comparison, "nasa_score")).hasValueSatisfying(r -> assertThat(r.get(4)).isEqualTo("not measured"));
        assertThat(ok(local.run("evaluate", "press-ols", "--dataset", "plant/press", "--reference", "cmapss-fd001", "--lang", "ko")).out())
                .contains("달성").contains("측정 안 됨");

        var predicted = ok(same(local, remote, "predict", "press-ols", "--dataset", "plant/press", "--to", "{files}/predictions.csv"));
        assertThat(predicted.out()).contains("Wrote 600 predictions of press-ols on plant/press to ")
                .contains("(columns: asset, time, prediction)");
        for (Side side : List.of(local, remote)) {
            var lines = Files.readAllLines(side.files().resolve("predictions.csv"), StandardCharsets.UTF_8);
            assertThat(lines).hasSize(601);
            assertThat(lines.getFirst()).isEqualTo("asset,time,prediction");
            assertThat(lines.get(1)).matches(".+,2026-01-05T\\d\\d:\\d\\d:\\d\\d\\+09:00,-?[0-9.E-]+");
        }
        // the same data and model give the same file, whichever side computed it
        assertThat(Files.readAllLines(remote.files().resolve("predictions.csv")))
                .containsExactlyInAnyOrderElementsOf(Files.readAllLines(local.files().resolve("predictions.csv")));

        var imported = ok(same(local, remote, "model", "import", "{input}/linear.onnx", "--as", "press-linear", "--description",
                "The press line's linear law"));
        assertThat(imported.out()).contains("Imported linear.onnx as press-linear@1 (onnx, internal, ").contains("3 features per row");
        ok(same(local, remote, "predict", "press-linear", "--dataset", "plant/press", "--to", "{files}/onnx.csv"));

        var exported = ok(same(local, remote, "model", "export", "press-linear", "--to", "{files}/back.onnx"));
        assertThat(exported.out()).startsWith("Exported press-linear@1 (onnx, ");
        for (Side side : List.of(local, remote)) {
            assertThat(Files.readAllBytes(side.files().resolve("back.onnx"))).isEqualTo(Files.readAllBytes(input.resolve("linear.onnx")));
        }
    }

    @Test
    void mistakesAreNamedWithTheirCodeAndUsageErrorsExitTwo() throws Exception {
        var local = new Side(Cli.in(Files.createDirectories(dir.resolve("mistakes"))), Files.createDirectories(dir.resolve("mistakes-files")),
                Principal.localOperator().name(), "local");
        ok(local.run("ingest", "{input}/press.csv", "--dataset", "plant/press"));
        var unknown = local.run("train", "no-such-type", "--dataset", "plant/press");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("MAX-MODEL-001").contains(LeastSquares.ID);
        Files.writeString(local.files().resolve("bad.yaml"), "depth: 3\n");
        var param = local.run("train", LeastSquares.ID, "--dataset", "plant/press", "--params", "{files}/bad.yaml");
        assertThat(param.exit()).isEqualTo(1);
        assertThat(param.err()).contains("MAX-MODEL-002").contains("depth");
        assertThat(local.run("model", "show", "nothing").err()).contains("MAX-MODEL-600");
        var reference = local.run("evaluate", "nothing", "--dataset", "plant/press", "--reference", "cmapss-fd9");
        assertThat(reference.exit()).isEqualTo(1);
        assertThat(reference.err()).contains("MAX-MODEL-030").contains("cmapss-fd001").doesNotContain("MAX-MODEL-600");
        assertThat(local.run("predict", "x", "--dataset", "plant/press", "--to", "{files}/p.txt").exit()).isEqualTo(2);
        assertThat(local.run("model").exit()).isEqualTo(2);
        var korean = local.run("model", "show", "nothing", "--lang", "ko");
        assertThat(korean.err()).contains("MAX-MODEL-600").contains("모델이 없습니다");
    }

    @Test
    void aConsumerOfAnotherOrganizationIsRefusedTrainingOnRestrictedDataOverHttp() {
        ok(server.cli(minji).run("ingest", input.resolve("press.csv").toString(), "--dataset", "kamp/restricted-press",
                "--classification", "restricted"));
        var refused = server.cli(carol).run("train", LeastSquares.ID, "--dataset", "kamp/restricted-press", "--purpose", "quality-research");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("MAX-POLICY-001").contains("restricted-agreement-required");
        var audit = ok(server.cli(minji).run("usage", "kamp/restricted-press"));
        assertThat(audit.out()).contains("carol").contains("train");
    }

    @Test
    void aModelOfDesignatedDataLeavesOnlyAfterAColleagueReleasesItOncePerRelease() throws Exception {
        String bora = server.user("bora", "kamp-lab", Role.PROVIDER);
        String sejong = server.user("sejong", "national-library", Role.STEWARD);
        var max = server.cli(minji);
        Path files = Files.createDirectories(dir.resolve("designated-files"));
        ok(max.run("ingest", input.resolve("press.csv").toString(), "--dataset", "kamp/designated-press"));
        ok(server.cli(sejong).run("describe", "kamp/designated-press", "--classification", "designated"));
        var trained = ok(max.run("train", LeastSquares.ID, "--dataset", "kamp/designated-press", "--seed", "7", "--as", "press-secret"));
        assertThat(trained.outLines().getFirst()).contains("inside the library: designated");

        // held, not written: the requester is told the output and who reviews it, in English and Korean
        Path file = files.resolve("press-secret.bin");
        var held = ok(max.run("model", "export", "press-secret", "--to", file.toString(), "--purpose", "line-monitoring"));
        assertThat(held.out()).contains("Model press-secret@1 learned from designated data").contains("A provider of kamp-lab or a steward");
        String id = held.out().replaceFirst("(?s).*held as output ([a-z0-9]{12}).*", "$1");
        assertThat(id).hasSize(12);
        assertThat(file).doesNotExist();
        var korean = ok(max.run("--lang", "ko", "model", "export", "press-secret", "--to", file.toString()));
        assertThat(korean.out()).contains("아직 반출물 " + id).contains("kamp-lab 의 제공자나 관리자가");

        // the reviewer lists and releases it with the review commands; the requester cannot, nor another organization
        var listed = ok(server.cli(bora).run("review", "list", "--format", "csv"));
        assertThat(listed.out()).startsWith("output,state,analyst,organization,kind,dataset,model,purpose,")
                .contains(id + ",pending,minji,kamp-lab,model,kamp/designated-press,press-secret@1,line-monitoring,");
        assertThat(max.run("review", "approve", id).err()).contains("MAX-POLICY-001").contains("review-not-own-output");
        assertThat(server.cli(carol).run("review", "approve", id).err()).contains("MAX-POLICY-001");
        assertThat(max.run("output", id).err()).contains("MAX-SAFE-005").contains("max model export press-secret@1");
        assertThat(ok(server.cli(bora).run("review", "approve", id, "--note", "coefficients only")).out())
                .isEqualTo("Released output " + id + ": minji may now export press-secret@1 once (max model export press-secret@1 --to FILE).\n");

        // the same command now writes the model, as large as the registry says; the next one is held again
        var exported = ok(max.run("model", "export", "press-secret", "--to", file.toString()));
        assertThat(exported.out()).startsWith("Exported press-secret@1 (" + LeastSquares.ID + ", ");
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).startsWith(LeastSquares.MAGIC);
        long size = server.library.models().show(server.library.authenticate(minji).orElseThrow(), "press-secret").versions()
                .getFirst().bytes();
        assertThat(Files.size(file)).isEqualTo(size);
        Path second = files.resolve("second.bin");
        var again = ok(max.run("model", "export", "press-secret", "--to", second.toString()));
        assertThat(again.out()).contains("held as output").doesNotContain(id);
        assertThat(second).doesNotExist();
        assertThat(ok(server.cli(bora).run("review", "list", "--format", "csv")).out()).contains(id + ",exported,minji,");
    }
}
