package kr.max.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.library.IngestRequest;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.query.ResultSink;
import kr.max.models.fixture.RegressionData;
import kr.max.models.fixture.TinyOnnx;
import kr.max.models.registry.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ONNX model built byte by byte in the test ({@code y = x·W + b}, MatMul and Add, opset 13) is imported into the
 * registry and run with ONNX Runtime on a dataset, on single samples and against labels.
 */
class OnnxImportTest {

    /** The law of {@link RegressionData}, as an ONNX graph: it predicts the label exactly, up to float precision. */
    static final float[] W = {(float) RegressionData.TEMPERATURE, (float) RegressionData.PRESSURE, (float) RegressionData.SPEED};
    static final float B = (float) RegressionData.INTERCEPT;

    @TempDir
    Path dir;

    Library lib;
    ModelRegistry registry;
    final Principal me = Principal.localOperator();
    Path onnx;

    @BeforeEach
    void open() throws Exception {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("onnx import test master secret 01")));
        registry = new ModelRegistry(lib);
        onnx = Files.write(dir.resolve("linear.onnx"), TinyOnnx.linear(W, B));
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

    @Test
    void anImportedModelPredictsEvaluatesAndScoresWithOnnxRuntime() throws Exception {
        var v = registry.importOnnx(me, onnx, "press-linear", "Linear law of the press line", null);
        assertThat(v.type()).isEqualTo(OnnxModelType.ID);
        assertThat(v.classification()).isEqualTo(Classification.INTERNAL);
        assertThat(v.card().data()).contains("input X float [N, 3] (3 features per row); output Y float [N, 1]");
        assertThat(v.lineage().importedFrom()).startsWith("linear.onnx sha256=");
        assertThat(v.lineage().data()).isEmpty();
        assertThat(v.lineage().codeVersion()).contains("ONNX Runtime");

        lib.ingest(me, IngestRequest.of(RegressionData.write(dir.resolve("press.csv"), 150, 4), "plant/press"));
        var out = new Rows();
        registry.predict(me, "press-linear", "plant/press", null, out);
        assertThat(out.columns).containsExactly("asset", "time", "prediction");
        var features = new Rows();
        lib.query(me, "SELECT machine, timestamp, temperature, pressure, speed FROM \"plant/press\"", features);
        Map<String, Double> expected = new HashMap<>();
        for (Object[] r : features.rows) {
            expected.put(r[0] + "|" + ((OffsetDateTime) r[1]).toInstant(),
                    RegressionData.truth((Double) r[2], (Double) r[3], (Double) r[4]));
        }
        assertThat(out.rows).hasSize(150);
        for (Object[] r : out.rows) {
            // float arithmetic in the model: values near 100 carry about 1e-5 of rounding
            assertThat((Double) r[2]).isCloseTo(expected.get(r[0] + "|" + ((OffsetDateTime) r[1]).toInstant()), within(2e-3));
        }

        var metrics = registry.evaluate(me, "press-linear", "plant/press", null);
        assertThat(metrics.get("rmse")).isCloseTo(RegressionData.NOISE, within(0.03));
        assertThat(metrics.get("rows")).isEqualTo(150);

        var scorer = registry.scorer(me, "press-linear@1");
        assertThat(scorer.score(new double[]{1, 2, 3}).value()).isCloseTo(10 + 3 - 4 + 0.03, within(1e-5));

        // the export gives back the very file imported
        Path exported = dir.resolve("back.onnx");
        registry.export(me, "press-linear", exported);
        assertThat(Files.readAllBytes(exported)).isEqualTo(Files.readAllBytes(onnx));
    }

    @Test
    void dataOfAnotherWidthIsRefusedNamingBothWidths() throws Exception {
        registry.importOnnx(me, onnx, "press-linear", null, Classification.RESTRICTED);
        lib.ingest(me, IngestRequest.of(RegressionData.writeWithoutSpeed(dir.resolve("narrow.csv"), 30, 4), "plant/narrow"));
        assertThatThrownBy(() -> registry.predict(me, "press-linear", "plant/narrow", null, new Rows()))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(OnnxError.INPUT_WIDTH);
                    assertThat(e.getMessage()).contains("press-linear@1").contains("takes 3 features").contains("has 2 (temperature, pressure)");
                });
        assertThatThrownBy(() -> registry.scorer(me, "press-linear").score(new double[]{1, 2}))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(OnnxError.INPUT_WIDTH));
    }

    @Test
    void aFileOnnxRuntimeCannotLoadIsRefusedAndNothingIsRegistered() throws Exception {
        Path bad = Files.write(dir.resolve("bad.onnx"), TinyOnnx.garbage());
        assertThatThrownBy(() -> registry.importOnnx(me, bad, "bad", null, null))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(OnnxError.UNREADABLE);
                    assertThat(e.getMessage()).contains("bad.onnx");
                });
        assertThat(registry.list(me)).isEmpty();
        assertThatThrownBy(() -> registry.train(me, OnnxModelType.ID, "plant/press", Map.of(), 1, null, null))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(OnnxError.NOT_TRAINABLE));
    }
}
