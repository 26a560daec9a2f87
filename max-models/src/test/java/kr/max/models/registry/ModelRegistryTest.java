package kr.max.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.IngestRequest;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.Models;
import kr.max.library.PlaintextScan;
import kr.max.library.agreement.Constraint.TimeWindow;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.Action;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.ResultSink;
import kr.max.models.ModelError;
import kr.max.models.fixture.LeastSquares;
import kr.max.models.fixture.RegressionData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry end to end through a real library (H2, DuckDB, Tink, the audit chain): a dataset the test deposits,
 * a least-squares model trained inside, listed, shown, used to predict and evaluated; who may do what is decided by
 * the library and on its record.
 */
class ModelRegistryTest {

    static final String PRESS = "plant/press";

    @TempDir
    Path dir;

    Library lib;
    ModelRegistry registry;
    final Principal me = Principal.localOperator();

    @BeforeEach
    void open() throws Exception {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("model registry test master secret")));
        registry = new ModelRegistry(lib);
        lib.ingest(me, IngestRequest.of(RegressionData.write(dir.resolve("press.csv"), 900, 1), PRESS));
    }

    @AfterEach
    void close() {
        lib.close();
    }

    static final class Rows implements ResultSink {
        final List<String> columns = new ArrayList<>();
        final List<Object[]> rows = new ArrayList<>();

        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
            columns.addAll(names);
        }

        @Override
        public void row(Object[] values) {
            rows.add(values);
        }
    }

    /** The label of each row by machine and time, as the library holds it. */
    java.util.Map<String, Double> targets(String dataset) {
        var truth = new Rows();
        lib.query(me, "SELECT machine, timestamp, target FROM \"" + dataset + "\"", truth);
        var byKey = new java.util.HashMap<String, Double>();
        for (Object[] r : truth.rows) byKey.put(key(r[0], r[1]), (Double) r[2]);
        return byKey;
    }

    static String key(Object machine, Object time) {
        return machine + "|" + ((OffsetDateTime) time).toInstant();
    }

    List<AuditRecord> audit() {
        var out = new ArrayList<AuditRecord>();
        lib.audit(me, null, out::add);
        return out;
    }

    @Test
    void trainListShowPredictEvaluateAndScoreRoundTrip() throws Exception {
        var v = registry.train(me, LeastSquares.ID, PRESS, Map.of("ridge", 0.0), 7, "press-ols", "quality-research");
        assertThat(v.ref()).isEqualTo("press-ols@1");
        assertThat(v.type()).isEqualTo(LeastSquares.ID);
        // the noise is 0.1: a model that found the linear law is that close on held-out rows
        assertThat(v.metrics().get("rmse")).isLessThan(0.15);
        assertThat(v.metrics().get("r2")).isGreaterThan(0.999);
        assertThat(v.metrics().on()).startsWith("held-out: time-ordered");
        assertThat(v.card().purposeEn()).contains("Linear regression");

        assertThat(registry.list(me)).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("press-ols");
            assertThat(s.versions()).isEqualTo(1);
            assertThat(s.type()).isEqualTo(LeastSquares.ID);
        });

        var shown = registry.show(me, "press-ols");
        assertThat(shown.shown().metrics()).isEqualTo(v.metrics());
        assertThat(shown.shown().card()).isEqualTo(v.card());
        var lineage = shown.shown().lineage();
        assertThat(lineage.data()).singleElement().satisfies(d -> {
            assertThat(d.ref()).isEqualTo(PRESS + "@1");
            assertThat(d.rows()).isEqualTo(900);
        });
        assertThat(lineage.parameters()).containsEntry("ridge", 0.0).containsEntry("train_fraction", 0.8);
        assertThat(lineage.seed()).isEqualTo(7L);
        assertThat(lineage.codeVersion()).startsWith("max-models").contains("type " + LeastSquares.ID);

        // predictions follow the law on every row, keyed by machine and time as the data were written
        var out = new Rows();
        var predicted = registry.predict(me, "press-ols", PRESS, null, out);
        assertThat(predicted.rows()).isEqualTo(900);
        assertThat(predicted.dataset()).isEqualTo(PRESS + "@1");
        assertThat(out.columns).containsExactly("asset", "time", "prediction");
        assertThat(out.rows.getFirst()[1]).isInstanceOf(OffsetDateTime.class);
        var byKey = targets(PRESS);
        for (Object[] r : out.rows) assertThat((Double) r[2]).isCloseTo(byKey.get(key(r[0], r[1])), within(0.6));

        // evaluated on fresh data of the same process (a second version of the dataset)
        lib.ingest(me, IngestRequest.of(RegressionData.write(dir.resolve("press2.csv"), 300, 2), PRESS));
        var fresh = registry.evaluate(me, "press-ols@1", PRESS + "@2", null);
        assertThat(fresh.get("rmse")).isLessThan(0.15);
        assertThat(fresh.get("rows")).isEqualTo(300);

        // one sample at a time: the law itself
        var scorer = registry.scorer(me, "press-ols");
        assertThat(scorer.score(new double[]{60, 140, 1200}).value()).isCloseTo(RegressionData.truth(60, 140, 1200), within(0.05));
        assertThat(scorer.score(new double[]{70, 140, 1200}).value() - scorer.score(new double[]{60, 140, 1200}).value())
                .isCloseTo(10 * RegressionData.TEMPERATURE, within(0.05));
        assertThat(registry.score(me, "press-ols", new double[][]{{60, 140, 1200}, {61, 140, 1200}}))
                .extracting(s -> s.value()).satisfies(w -> assertThat(w.get(1) - w.get(0)).isCloseTo(RegressionData.TEMPERATURE, within(0.01)));
        assertThatThrownBy(() -> scorer.score(new double[]{60, 140}))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(RegistryError.SAMPLE_WIDTH));

        // a second training is the next version; the same data, parameters and seed give the same model
        var again = registry.train(me, LeastSquares.ID, PRESS + "@1", Map.of(), 7, "press-ols", null);
        assertThat(again.version()).isEqualTo(2);
        assertThat(again.metrics()).isEqualTo(v.metrics());
        assertThat(registry.show(me, "press-ols@1").shown().version()).isEqualTo(1);

        // the CSV file carries the same predictions
        Path csv = dir.resolve("predictions.csv");
        registry.predict(me, "press-ols@1", PRESS + "@1", null, csv);
        var lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.getFirst()).isEqualTo("asset,time,prediction");
        assertThat(lines).hasSize(901);
        assertThat(Files.exists(dir.resolve("predictions.csv.part"))).isFalse();

        // every step is on the record
        assertThat(audit()).extracting(AuditRecord::action).contains("train", "model-register", "model-list", "model-show",
                "query", "model-predict", "model-evaluate", "model-score");
        // (the test's own SQL queries carry a query hash; the model job's reads do not)
        assertThat(audit()).filteredOn(r -> r.action().equals("query") && "permit".equals(r.outcome()) && r.queryHash() == null)
                .allSatisfy(r -> assertThat(r.detail()).contains("job=predict"));
    }

    @Test
    void modelsAndTrainingDataAreNeverOnDiskInPlaintext() throws Exception {
        registry.train(me, LeastSquares.ID, PRESS, Map.of(), 1, "press-ols", null);
        registry.predict(me, "press-ols", PRESS, null, new Rows());
        registry.evaluate(me, "press-ols", PRESS, null);
        Path home = dir.resolve("home");
        assertThat(PlaintextScan.hitsOfBytes(home, LeastSquares.MAGIC.getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(PlaintextScan.hits(home, List.of(RegressionData.DISTINCT_MACHINE))).isEmpty();
        // the exported copy does hold the model: the scan can find what it looks for
        Path exported = dir.resolve("press-ols.bin");
        registry.export(me, "press-ols", exported);
        assertThat(new String(Files.readAllBytes(exported), StandardCharsets.ISO_8859_1)).startsWith(LeastSquares.MAGIC);
    }

    @Test
    void parametersAndNamesAreCheckedBeforeAnyRowIsRead() {
        assertThatThrownBy(() -> registry.train(me, LeastSquares.ID, PRESS, Map.of("depth", 3), 1, null, null))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ModelError.UNKNOWN_PARAMETER);
                    assertThat(e.getMessage()).contains("depth").contains("train_fraction");
                });
        assertThatThrownBy(() -> registry.train(me, "no-such-type", PRESS, Map.of(), 1, null, null))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ModelError.UNKNOWN_TYPE);
                    assertThat(e.getMessage()).contains(LeastSquares.ID).contains("onnx");
                });
        assertThatThrownBy(() -> registry.train(me, LeastSquares.ID, PRESS, Map.of(), 1, "Bad Name", null))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code())
                        .isEqualTo(kr.max.library.model.ModelAssetError.INVALID_NAME));
        assertThat(audit()).noneMatch(r -> r.action().equals("train"));
        // a default name from the type and the dataset
        assertThat(registry.train(me, LeastSquares.ID, PRESS, Map.of(), 1, null, null).model()).isEqualTo("test-ols-press");
    }

    @Test
    void dataWithoutTheRolesATypeNeedsIsRefusedByRole() throws Exception {
        Path noLabel = dir.resolve("nolabel.csv");
        Files.writeString(noLabel, "timestamp,machine,temperature\n2026-01-01 00:00:00,p1,1.5\n2026-01-01 00:00:10,p1,1.7\n");
        lib.ingest(me, IngestRequest.of(noLabel, "plant/nolabel"));
        assertThatThrownBy(() -> registry.train(me, LeastSquares.ID, "plant/nolabel", Map.of(), 1, null, null))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ModelError.MISSING_ROLE);
                    assertThat(e.getMessage()).contains("label");
                });
        assertThat(audit()).filteredOn(r -> r.action().equals("train")).extracting(AuditRecord::outcome)
                .containsExactly("permit", "failed");
    }

    @Test
    void aConsumerWithoutATrainAgreementIsRefusedAndAModelOfRestrictedDataStaysWithItsTrainer() throws Exception {
        Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
        lib.createOrganization(admin, "hanbit-press", null, "KR");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        Principal alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
        Principal carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        lib.ingest(alice, IngestRequest.of(RegressionData.write(dir.resolve("hanbit.csv"), 600, 3), "hanbit/press")
                .withClassification(Classification.RESTRICTED));

        var refused = catchThrowable(() -> registry.train(carol, LeastSquares.ID, "hanbit/press", Map.of(), 1, "carols", "quality-research"));
        assertThat(refused).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(PolicyError.DENIED);
            assertThat(e.args()[2]).isEqualTo("restricted-agreement-required");
        });
        assertThat(audit()).filteredOn(r -> r.principal().equals("carol") && r.action().equals("train"))
                .singleElement().satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo("denied");
                    assertThat(r.dataset()).isEqualTo("hanbit/press");
                    assertThat(r.detail()).contains("purpose=quality-research");
                });

        var filed = lib.requestAccess(carol, "hanbit/press", "quality-research", Set.of(Action.TRAIN),
                new TimeWindow(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30))), Set.of());
        lib.approve(alice, filed.id(), List.of());
        var v = registry.train(carol, LeastSquares.ID, "hanbit/press", Map.of(), 1, "carols", "quality-research");
        assertThat(v.classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(registry.show(alice, "carols").ownerOrganization()).isEqualTo("seoul-analytics");
        registry.export(carol, "carols", dir.resolve("carols.bin"));
        var denied = catchThrowable(() -> registry.export(alice, "carols", dir.resolve("alices.bin")));
        assertThat(((MaxException) denied).args()[2]).isEqualTo("restricted-agreement-required");
        var scoring = catchThrowable(() -> registry.scorer(alice, "carols"));
        assertThat(((MaxException) scoring).code()).isEqualTo(PolicyError.DENIED);
        // the agreement allows training, not queries: carol may not predict over the rows
        var predicting = catchThrowable(() -> registry.predict(carol, "carols", "hanbit/press", "quality-research", new Rows()));
        assertThat(((MaxException) predicting).args()[2]).isEqualTo("agreement-action-not-permitted");
        // but evaluating reads as training does: only figures leave
        assertThat(registry.evaluate(carol, "carols", "hanbit/press", "quality-research").get("rmse")).isLessThan(0.15);
    }

    @Test
    void predictionsOverDataWithMoreOrReorderedFeaturesFollowTheModelsFeatures() throws Exception {
        registry.train(me, LeastSquares.ID, PRESS, Map.of(), 1, "press-ols", null);
        Path reordered = dir.resolve("reordered.csv");
        var lines = Files.readAllLines(RegressionData.write(dir.resolve("r.csv"), 30, 9));
        var out = new ArrayList<String>();
        for (String l : lines) {
            String[] f = l.split(",");
            out.add(String.join(",", f[0], f[1], f[4], f[3], f[2], f[5]) + ",1.0");
        }
        out.set(0, out.getFirst().replace(",1.0", ",humidity"));
        Files.write(reordered, out);
        lib.ingest(me, IngestRequest.of(reordered, "plant/reordered"));
        var rows = new Rows();
        registry.predict(me, "press-ols", "plant/reordered", null, rows);
        assertThat(rows.rows).hasSize(30);
        var truth = targets("plant/reordered");
        for (Object[] r : rows.rows) assertThat((Double) r[2]).isCloseTo(truth.get(key(r[0], r[1])), within(0.6));
        Path narrow = RegressionData.writeWithoutSpeed(dir.resolve("narrow.csv"), 30, 9);
        lib.ingest(me, IngestRequest.of(narrow, "plant/narrow"));
        assertThatThrownBy(() -> registry.predict(me, "press-ols", "plant/narrow", null, new Rows()))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ModelError.FEATURES_DIFFER);
                    assertThat(e.getMessage()).contains("speed");
                });
    }

    @Test
    void theLibrarysViewOfAModelIsTheRegistrysOwn() {
        registry.train(me, LeastSquares.ID, PRESS, Map.of(), 1, "press-ols", null);
        Models.ModelEntry entry = lib.models().show(me, "press-ols");
        assertThat(entry.versions()).singleElement().satisfies(v -> assertThat(v.metricsJson()).contains("rmse"));
    }
}
