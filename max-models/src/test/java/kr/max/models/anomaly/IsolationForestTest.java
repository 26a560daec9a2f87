package kr.max.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import kr.max.core.ErrorCode;
import kr.max.core.MaxException;
import kr.max.models.Frame;
import kr.max.models.ModelError;
import kr.max.models.ModelType;
import kr.max.models.StandardModels;
import kr.max.models.Training;
import kr.max.models.monitoring.PrincipalComponents;
import kr.max.models.monitoring.Synthetic;
import org.junit.jupiter.api.Test;

class IsolationForestTest {

    private static final ModelType FOREST = AnomalyDetection.isolationForest();

    private final Synthetic process = new Synthetic(5, 2, 0.3, 31);

    private Training train(Frame frame, Map<String, ?> params, long seed) {
        return FOREST.train(frame, FOREST.defaults().with(params, FOREST.id()), seed);
    }

    /**
     * 1,000 normal samples and 20 planted outliers, each displaced by 4 to 8 units with a random sign on every
     * sensor (the sensors' standard deviations are about 1.5): few and different, what the forest isolates.
     */
    private Frame withOutliers() {
        double[][] outliers = process.normal(20);
        var random = new java.util.SplittableRandom(99);
        for (var row : outliers) for (int j = 0; j < row.length; j++) row[j] += (random.nextBoolean() ? 1 : -1) * random.nextDouble(4, 8);
        return process.frame(Synthetic.concat(process.normal(1000), outliers), Synthetic.labels(1000, 20, "outlier"));
    }

    @Test
    void isRegisteredAsAStandardModel() {
        assertThat(StandardModels.byId("isolation-forest")).isSameAs(FOREST);
        assertThat(StandardModels.byId("pca-detector")).isSameAs(AnomalyDetection.pcaDetector());
    }

    @Test
    void plantedOutliersRankAboveInliers() {
        var frame = withOutliers();
        var model = train(frame, Map.of("holdout", 0), 1).model();
        var m = model.evaluate(frame);
        assertThat(m.get("auc")).isGreaterThan(0.95);
        assertThat(m.get("labelled_anomalies")).isEqualTo(20);
        // contamination 0.01 flags 10 of the 1,020 rows: all of them should be planted ones
        assertThat(m.get("precision")).isEqualTo(1.0);
    }

    @Test
    void contaminationFlagsAboutThatShareOfTheTrainingRows() {
        var frame = process.frame(process.normal(2000), null);
        var training = train(frame, Map.of("contamination", 0.05, "holdout", 0), 1);
        assertThat(training.metrics().get("training_flagged_share")).isCloseTo(0.05, within(0.002));
        assertThat(training.model().evaluate(frame).get("flagged_share")).isCloseTo(0.05, within(0.002));
        // on the time-ordered hold-out of fresh normal rows the share stays near it too
        var held = train(frame, Map.of("contamination", 0.05), 1).metrics();
        assertThat(held.get("flagged_share")).isCloseTo(0.05, within(0.025));
        assertThat(held.on()).contains("last 20 %");
    }

    @Test
    void anExplicitLimitReplacesContamination() {
        var model = train(process.frame(process.normal(500), null), Map.of("limit", 0.6), 1).model();
        var s = model.scorer().score(process.normal(1)[0]);
        assertThat(s.limit()).isEqualTo(0.6);
        assertThat(s.alarm()).isEqualTo(s.value() > 0.6);
        assertThat(s.ready()).isTrue();
    }

    @Test
    void scoresLieBetweenZeroAndOneAndPredictAgreesWithTheScorer() {
        var frame = withOutliers();
        var model = train(frame, Map.of(), 1).model();
        var p = model.predict(frame);
        assertThat(p.columns()).containsExactly("score", "alarm");
        var scorer = model.scorer();
        for (int i = 0; i < frame.rows(); i++) {
            double s = ((Number) p.rows().get(i)[0]).doubleValue();
            assertThat(s).isBetween(0.0, 1.0);
            assertThat(scorer.score(frame.x()[i]).value()).isEqualTo(s);
        }
    }

    @Test
    void theSameSeedGrowsTheSameForestAndAnotherSeedAnother() {
        var frame = process.frame(process.normal(600), null);
        assertThat(train(frame, Map.of(), 5).model().toBytes()).isEqualTo(train(frame, Map.of(), 5).model().toBytes());
        assertThat(train(frame, Map.of(), 5).model().toBytes()).isNotEqualTo(train(frame, Map.of(), 6).model().toBytes());
    }

    @Test
    void bytesReadBackScoreIdentically() {
        var frame = withOutliers();
        var model = train(frame, Map.of(), 1).model();
        var copy = FOREST.read(model.toBytes());
        assertThat(scores(copy.predict(frame))).isEqualTo(scores(model.predict(frame)));
        assertThat(copy.toBytes()).isEqualTo(model.toBytes());
        assertThatThrownBy(() -> AnomalyDetection.pcaDetector().read(model.toBytes())).satisfies(e -> assertCode(e, ModelError.UNREADABLE_MODEL));
    }

    @Test
    void pathLengthsAreNormalizedByTheAverageSearchPath() {
        assertThat(IsolationForest.averagePath(1)).isZero();
        assertThat(IsolationForest.averagePath(2)).isEqualTo(1.0);
        // c(256) = 2 (ln 255 + γ) − 2 · 255 / 256
        assertThat(IsolationForest.averagePath(256)).isCloseTo(10.2448, within(1e-4));
    }

    @Test
    void treesHaveTheSubsampleAndHeightLimitOfThePaper() {
        var forest = IsolationForest.grow(process.normal(1000), 100, 256, 3);
        assertThat(forest.trees()).isEqualTo(100);
        assertThat(forest.subsample()).isEqualTo(256);
        var small = IsolationForest.grow(process.normal(40), 10, 256, 3);
        assertThat(small.subsample()).isEqualTo(40);
    }

    @Test
    void aMissingValueIsTakenAsTheTrainingMedian() {
        double[][] x = process.normal(800);
        var model = train(process.frame(x, null), Map.of("holdout", 0), 1).model();
        double[] sample = process.normal(1)[0];
        double[] withMedian = sample.clone();
        withMedian[1] = PrincipalComponents.medians(x)[1];
        sample[1] = Double.NaN;
        assertThat(model.scorer().score(sample).value()).isEqualTo(model.scorer().score(withMedian).value());
    }

    @Test
    void badInputsAreRefusedWithTheirCodes() {
        assertThatThrownBy(() -> train(process.frame(process.normal(6), null), Map.of("holdout", 0), 1))
                .satisfies(e -> assertCode(e, ModelError.TOO_LITTLE_DATA));
        assertThatThrownBy(() -> train(new Frame(List.of(), new double[40][0], null, null, null), Map.of(), 1))
                .satisfies(e -> assertCode(e, ModelError.MISSING_ROLE));
        var frame = process.frame(process.normal(100), null);
        assertThatThrownBy(() -> train(frame, Map.of("contamination", 0.7), 1)).satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(frame, Map.of("trees", 0), 1)).satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(frame, Map.of("trees", "many"), 1)).satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(frame, Map.of("components", 2), 1)).satisfies(e -> assertCode(e, ModelError.UNKNOWN_PARAMETER));
    }

    static double[] scores(kr.max.models.Predictions p) {
        int c = p.columns().indexOf("score");
        return p.rows().stream().mapToDouble(r -> ((Number) r[c]).doubleValue()).toArray();
    }

    static void assertCode(Throwable e, ErrorCode code) {
        assertThat(e).isInstanceOf(MaxException.class);
        assertThat(((MaxException) e).code()).isEqualTo(code);
        assertThat(((MaxException) e).message(java.util.Locale.KOREAN)).startsWith(code.code());
    }
}
