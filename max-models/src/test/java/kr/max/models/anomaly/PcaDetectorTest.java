package kr.max.models.anomaly;

import static kr.max.models.anomaly.IsolationForestTest.assertCode;
import static kr.max.models.anomaly.IsolationForestTest.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import kr.max.models.Frame;
import kr.max.models.ModelError;
import kr.max.models.ModelType;
import kr.max.models.Training;
import kr.max.models.monitoring.Synthetic;
import org.junit.jupiter.api.Test;

class PcaDetectorTest {

    private static final ModelType PCA = AnomalyDetection.pcaDetector();
    private static final ModelType FOREST = AnomalyDetection.isolationForest();

    private final Synthetic process = new Synthetic(8, 2, 0.2, 41);

    private static Training train(ModelType type, Frame frame, Map<String, ?> params) {
        return type.train(frame, type.defaults().with(params, type.id()), 3);
    }

    /**
     * 1,000 normal samples and 30 whose third sensor reads 1.5 standard deviations from its mean, on the side
     * opposite to where the latent factors put it: every value stays in its normal range, only the
     * correlation between the sensors is broken.
     */
    private Frame brokenCorrelations() {
        double[] l = process.loadings[2];
        double sd = Math.sqrt(l[0] * l[0] + l[1] * l[1] + process.noise * process.noise);
        double[][] odd = new double[30][];
        for (int i = 0; i < odd.length; i++) {
            double[] f = process.gaussians(2);
            odd[i] = process.sample(f);
            double implied = l[0] * f[0] + l[1] * f[1];
            odd[i][2] = 12 - Math.signum(implied) * 1.5 * sd;   // 12: the third sensor's operating point
        }
        return process.frame(Synthetic.concat(process.normal(1000), odd), Synthetic.labels(1000, 30, "inconsistent"));
    }

    @Test
    void aBrokenCorrelationScoresHighThoughEveryValueIsInRange() {
        var frame = brokenCorrelations();
        var pca = train(PCA, frame, Map.of("holdout", 0)).model().evaluate(frame);
        var forest = train(FOREST, frame, Map.of("holdout", 0)).model().evaluate(frame);
        assertThat(pca.get("auc")).isGreaterThan(0.95);
        // the forest's axis-parallel splits see such samples far less well: the limitation its card states
        assertThat(forest.get("auc")).isLessThan(pca.get("auc"));
    }

    @Test
    void withoutContaminationTheLimitIsTheConfidenceLimit() {
        var training = train(PCA, process.frame(process.normal(2000), null), Map.of("holdout", 0));
        assertThat(training.metrics().get("limit")).isEqualTo(1.0);
        var fresh = training.model().evaluate(process.frame(process.normal(5000), null));
        // either statistic beyond its 99 % limit: about 2 % of normal samples
        assertThat(fresh.get("flagged_share")).isCloseTo(0.02, within(0.008));
    }

    @Test
    void contaminationSetsTheLimitFromTheTrainingScores() {
        var training = train(PCA, process.frame(process.normal(1000), null), Map.of("contamination", 0.1, "holdout", 0));
        assertThat(training.metrics().get("training_flagged_share")).isCloseTo(0.1, within(0.002));
        assertThat(training.metrics().get("limit")).isLessThan(1.0);
    }

    @Test
    void predictGivesT2QScoreAndAlarmPerSample() {
        var frame = brokenCorrelations();
        var model = train(PCA, frame, Map.of()).model();
        var p = model.predict(frame);
        assertThat(p.columns()).containsExactly("t2", "q", "score", "alarm");
        assertThat(p.rows()).hasSize(frame.rows());
        var scorer = model.scorer();
        for (int i = 0; i < frame.rows(); i += 97) {
            var s = scorer.score(frame.x()[i]);
            assertThat(s.value()).isEqualTo(((Number) p.rows().get(i)[2]).doubleValue());
            assertThat(s.alarm()).isEqualTo(p.rows().get(i)[3]);
        }
    }

    @Test
    void bytesReadBackScoreIdentically() {
        var frame = brokenCorrelations();
        var model = train(PCA, frame, Map.of("contamination", 0.02)).model();
        var copy = PCA.read(model.toBytes());
        assertThat(scores(copy.predict(frame))).isEqualTo(scores(model.predict(frame)));
        assertThat(copy.toBytes()).isEqualTo(model.toBytes());
    }

    @Test
    void labelsOnlyMeasureOnTheHoldOut() {
        var frame = brokenCorrelations();
        var training = train(PCA, frame, Map.of());
        // the last 20 % by row order holds the 30 swapped samples and 176 normal ones
        assertThat(training.metrics().get("samples")).isEqualTo(206);
        assertThat(training.metrics().get("labelled_anomalies")).isEqualTo(30);
        assertThat(training.card().split()).contains("never used for fitting");
    }

    @Test
    void badInputsAreRefusedWithTheirCodes() {
        var frame = process.frame(process.normal(100), null);
        assertThatThrownBy(() -> train(PCA, frame, Map.of("components", 9))).satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(PCA, frame, Map.of("confidence", 0.2))).satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(PCA, frame, Map.of("holdout", 0.9))).satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(PCA, process.frame(process.normal(8), null), Map.of("holdout", 0)))
                .satisfies(e -> assertCode(e, ModelError.TOO_LITTLE_DATA));
    }
}
