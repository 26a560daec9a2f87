package kr.max.models.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import kr.max.core.ErrorCode;
import kr.max.core.MaxException;
import kr.max.models.Frame;
import kr.max.models.ModelError;
import kr.max.models.Params;
import kr.max.models.Predictions;
import kr.max.models.StandardModels;
import kr.max.models.TrainedModel;
import kr.max.models.Training;
import org.junit.jupiter.api.Test;

class PcaMonitorTest {

    private static final long SEED = 7;

    /** Ten sensors driven by three latent factors, noise 0.3. */
    private final Synthetic process = new Synthetic(10, 3, 0.3, 11);

    private Training train(Frame frame, Map<String, ?> params) {
        var type = ProcessMonitoring.pca();
        return type.train(frame, type.defaults().with(params, type.id()), SEED);
    }

    private Training trainNormal() {
        return train(process.frame(process.normal(1000), null), Map.of());
    }

    @Test
    void isRegisteredAsAStandardModel() {
        assertThat(StandardModels.byId("pca-monitor")).isSameAs(ProcessMonitoring.pca());
        assertThat(StandardModels.byId("dpca-monitor")).isSameAs(ProcessMonitoring.dynamicPca());
    }

    @Test
    void parallelAnalysisKeepsAsManyComponentsAsThereAreLatentFactors() {
        assertThat(trainNormal().metrics().get("components")).isEqualTo(3);
    }

    @Test
    void aMeanShiftAlongAComponentRaisesT2AndLeavesQAlone() {
        var model = trainNormal().model();
        double[][] faulty = new double[400][];
        for (int t = 0; t < faulty.length; t++) {
            double[] f = process.gaussians(3);
            f[0] += 5;   // five standard deviations along the first latent factor: inside the model's plane
            faulty[t] = process.sample(f);
        }
        var m = model.evaluate(process.frame(faulty, Synthetic.labels(0, 400, "shift")));
        assertThat(m.get("detection_rate_t2")).isGreaterThan(0.95);
        assertThat(m.get("detection_rate_q")).isLessThan(0.05);
        assertThat(m.get("detection_rate")).isGreaterThan(0.95);
    }

    @Test
    void aBrokenCorrelationRaisesQ() {
        var model = trainNormal().model();
        double[][] faulty = process.normal(400);
        for (var row : faulty) row[4] += 3;   // one sensor leaves the others: ten noise deviations off the plane
        var m = model.evaluate(process.frame(faulty, Synthetic.labels(0, 400, "drift")));
        assertThat(m.get("detection_rate_q")).isGreaterThan(0.95);
        assertThat(m.get("fault_samples")).isEqualTo(400);
    }

    @Test
    void falseAlarmRateOnFreshNormalDataIsNearOneMinusConfidence() {
        var model = trainNormal().model();
        var m = model.evaluate(process.frame(process.normal(20_000), Synthetic.labels(20_000, 0, "")));
        assertThat(m.get("false_alarm_rate_t2")).isCloseTo(0.01, within(0.005));
        assertThat(m.get("false_alarm_rate_q")).isCloseTo(0.01, within(0.005));
        assertThat(m.get("normal_samples")).isEqualTo(20_000);
        assertThat(m.get("detection_rate")).isNaN();
    }

    @Test
    void crossValidatedFalseAlarmRateIsReportedWithTheLimits() {
        var metrics = trainNormal().metrics();
        assertThat(metrics.get("false_alarm_rate_t2")).isBetween(0.0, 0.05);
        assertThat(metrics.get("t2_limit")).isGreaterThan(0);
        assertThat(metrics.get("q_limit")).isGreaterThan(0);
        assertThat(metrics.on()).contains("cross-validation");
    }

    @Test
    void rowsLabelledAsFaultsAreLeftOutOfTheFit() {
        double[][] normal = process.normal(600);
        double[][] faults = process.normal(200);
        for (var row : faults) row[0] += 50;
        var labelled = train(process.frame(Synthetic.concat(normal, faults), Synthetic.labels(600, 200, "fault")), Map.of());
        var clean = train(process.frame(normal, null), Map.of());
        var fresh = process.frame(process.normal(50), null);
        assertThat(column(labelled.model().predict(fresh), "score")).containsExactly(column(clean.model().predict(fresh), "score"));
        assertThat(labelled.metrics().get("detection_rate")).isEqualTo(1.0);
        assertThat(labelled.card().data()).contains("200 rows with a fault or no label left out");
    }

    @Test
    void normalLabelsAreAParameter() {
        var frame = process.frame(process.normal(300), Synthetic.labels(0, 300, "gut"));
        assertThat(train(frame, Map.of("normal_labels", "gut, 0")).metrics().get("components")).isEqualTo(3);
        assertThatThrownBy(() -> train(frame, Map.of())).satisfies(e -> assertCode(e, MonitoringError.NO_NORMAL_ROWS));
    }

    @Test
    void scorerGivesTheScoresOfPredict() {
        var model = trainNormal().model();
        double[][] x = process.normal(100);
        double[] batch = column(model.predict(process.frame(x, null)), "score");
        var scorer = model.scorer();
        for (int i = 0; i < x.length; i++) {
            var s = scorer.score(x[i]);
            assertThat(s.ready()).isTrue();
            assertThat(s.value()).isEqualTo(batch[i]);
            assertThat(s.limit()).isEqualTo(1.0);
            assertThat(s.alarm()).isEqualTo(batch[i] > 1);
        }
    }

    @Test
    void bytesReadBackScoreIdentically() {
        var model = trainNormal().model();
        TrainedModel copy = ProcessMonitoring.pca().read(model.toBytes());
        var frame = process.frame(process.normal(200), null);
        assertThat(copy.type()).isEqualTo("pca-monitor");
        assertThat(copy.features()).isEqualTo(model.features());
        assertThat(column(copy.predict(frame), "t2")).containsExactly(column(model.predict(frame), "t2"));
        assertThat(column(copy.predict(frame), "q")).containsExactly(column(model.predict(frame), "q"));
        assertThat(copy.toBytes()).isEqualTo(model.toBytes());
    }

    @Test
    void aMissingValueIsTakenAsTheTrainingMedian() {
        double[][] train = process.normal(1000);
        var model = train(process.frame(train, null), Map.of()).model();
        double median = PrincipalComponents.medians(train)[2];
        double[] sample = process.normal(1)[0];
        double[] withMedian = sample.clone();
        withMedian[2] = median;
        sample[2] = Double.NaN;
        assertThat(model.scorer().score(sample).value()).isEqualTo(model.scorer().score(withMedian).value());
    }

    @Test
    void predictionsCarryAssetAndTimeWhenTheDataHasThem() {
        var model = trainNormal().model();
        double[][] x = process.normal(3);
        var frame = new Frame(process.features(), x, new String[] {"p1", "p1", "p1"}, new long[] {1, 2, 3}, null);
        var p = model.predict(frame);
        assertThat(p.columns()).containsExactly("asset", "time", "t2", "q", "score", "alarm");
        assertThat(p.rows().get(2)[0]).isEqualTo("p1");
        assertThat(p.rows().get(2)[1]).isEqualTo(3L);
    }

    @Test
    void aFrameWithTheFeaturesInAnotherOrderIsBoundByName() {
        var model = trainNormal().model();
        double[][] x = process.normal(20);
        var reversed = process.features().reversed();
        double[][] rx = Arrays.stream(x).map(r -> {
            double[] o = new double[r.length];
            for (int j = 0; j < r.length; j++) o[j] = r[r.length - 1 - j];
            return o;
        }).toArray(double[][]::new);
        assertThat(column(model.predict(new Frame(reversed, rx, null, null, null)), "score"))
                .containsExactly(column(model.predict(process.frame(x, null)), "score"));
        assertThatThrownBy(() -> model.predict(new Frame(List.of("other"), new double[][] {{1}}, null, null, null)))
                .satisfies(e -> assertCode(e, ModelError.FEATURES_DIFFER));
    }

    @Test
    void tooFewRowsAreRefused() {
        assertThatThrownBy(() -> train(process.frame(process.normal(8), null), Map.of()))
                .satisfies(e -> assertCode(e, ModelError.TOO_LITTLE_DATA));
    }

    @Test
    void dataWithoutMeasurementColumnsIsRefused() {
        var empty = new Frame(List.of(), new double[50][0], null, null, null);
        assertThatThrownBy(() -> train(empty, Map.of())).satisfies(e -> assertCode(e, ModelError.MISSING_ROLE));
    }

    @Test
    void badParametersAreRefusedByName() {
        var frame = process.frame(process.normal(200), null);
        assertThatThrownBy(() -> train(frame, Map.of("confidence", 1.5))).satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(frame, Map.of("components", 11))).satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(frame, Map.of("limits", "guess"))).satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(frame, Map.of("lags", 2))).satisfies(e -> assertCode(e, ModelError.UNKNOWN_PARAMETER));
    }

    @Test
    void evaluationNeedsLabels() {
        var model = trainNormal().model();
        assertThatThrownBy(() -> model.evaluate(process.frame(process.normal(10), null)))
                .satisfies(e -> assertCode(e, ModelError.MISSING_ROLE));
    }

    @Test
    void damagedBytesAreRefused() {
        byte[] bytes = trainNormal().model().toBytes();
        assertThatThrownBy(() -> ProcessMonitoring.pca().read(Arrays.copyOf(bytes, bytes.length / 2)))
                .satisfies(e -> assertCode(e, ModelError.UNREADABLE_MODEL));
        assertThatThrownBy(() -> ProcessMonitoring.dynamicPca().read(bytes))
                .satisfies(e -> assertCode(e, ModelError.UNREADABLE_MODEL));
    }

    @Test
    void theModelCardStatesDataSplitAndLimitations() {
        var card = trainNormal().card();
        assertThat(card.data()).contains("1000 rows", "10 features", "3 components");
        assertThat(card.split()).contains("5-fold", "Jackson–Mudholkar");
        assertThat(card.limitationsKo()).hasSameSizeAs(card.limitationsEn()).isNotEmpty();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Params d = ProcessMonitoring.pca().defaults();
        assertThat(d.number("confidence")).isEqualTo(0.99);
        assertThat(d.text("limits")).isEqualTo("theory");
        Params dd = ProcessMonitoring.dynamicPca().defaults();
        assertThat(dd.integer("lags")).isEqualTo(2);
        assertThat(dd.number("smoothing")).isEqualTo(0.2);
        assertThat(dd.text("limits")).isEqualTo("cross-validated");
    }

    static double[] column(Predictions p, String name) {
        int c = p.columns().indexOf(name);
        return p.rows().stream().mapToDouble(r -> ((Number) r[c]).doubleValue()).toArray();
    }

    static void assertCode(Throwable e, ErrorCode code) {
        assertThat(e).isInstanceOf(MaxException.class);
        assertThat(((MaxException) e).code()).isEqualTo(code);
        assertThat(((MaxException) e).message(java.util.Locale.KOREAN)).startsWith(code.code());
    }
}
