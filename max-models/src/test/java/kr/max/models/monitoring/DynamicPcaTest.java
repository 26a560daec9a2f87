package kr.max.models.monitoring;

import static kr.max.models.monitoring.PcaMonitorTest.assertCode;
import static kr.max.models.monitoring.PcaMonitorTest.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import kr.max.models.Frame;
import kr.max.models.ModelError;
import kr.max.models.ModelType;
import kr.max.models.Training;
import org.junit.jupiter.api.Test;

class DynamicPcaTest {

    private static final long SEED = 7;

    /** Six sensors driven by two latent AR(1) factors. */
    private final Synthetic process = new Synthetic(6, 2, 0.2, 23);

    /**
     * {@code n} samples whose latent factors follow {@code f(t) = φ·f(t−1) + e(t)} with unit stationary
     * variance: changing φ from 0.9 to −0.9 changes how samples follow each other and nothing else.
     */
    private double[][] autoregressive(int n, double phi, double[] state) {
        double innovation = Math.sqrt(1 - phi * phi);
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < state.length; j++) state[j] = phi * state[j] + innovation * process.gaussian();
            x[t] = process.sample(state.clone());
        }
        return x;
    }

    private Training train(ModelType type, Frame frame, Map<String, ?> params) {
        return type.train(frame, type.defaults().with(params, type.id()), SEED);
    }

    @Test
    void anAutocorrelationChangeIsCaughtByDynamicPcaAndMissedByPca() {
        var trainFrame = process.frame(autoregressive(2000, 0.9, new double[2]), null);
        var state = new double[2];
        double[][] normal = autoregressive(500, 0.9, state);
        double[][] faulty = autoregressive(1000, -0.9, state);
        var test = process.frame(Synthetic.concat(normal, faulty), Synthetic.labels(500, 1000, "oscillation"));

        var pca = train(ProcessMonitoring.pca(), trainFrame, Map.of()).model().evaluate(test);
        var dpca = train(ProcessMonitoring.dynamicPca(), trainFrame, Map.of()).model().evaluate(test);

        assertThat(pca.get("detection_rate")).isLessThan(0.1);
        assertThat(dpca.get("detection_rate")).isGreaterThan(0.9);
        assertThat(dpca.get("false_alarm_rate")).isLessThan(0.05);
    }

    /**
     * Sensor {@code a} is an AR(1) signal, {@code b} repeats it one sample later (a transport delay) and
     * {@code c} is independent; with {@code lead} the delay turns into an advance, which leaves every
     * correlation between samples taken at the same time unchanged.
     */
    private static double[][] delayed(int n, boolean lead, java.util.SplittableRandom random) {
        double[] a = new double[n + 2];
        double c = 0;
        for (int t = 1; t < a.length; t++) a[t] = 0.8 * a[t - 1] + 0.6 * random.nextGaussian();
        double[][] x = new double[n][];
        for (int t = 1; t <= n; t++) {
            c = 0.8 * c + 0.6 * random.nextGaussian();
            x[t - 1] = new double[] {a[t], (lead ? a[t + 1] : a[t - 1]) + 0.1 * random.nextGaussian(), c};
        }
        return x;
    }

    @Test
    void aDelayThatBecomesAnAdvanceIsCaughtInTheRightTimeDirection() {
        var random = new java.util.SplittableRandom(5);
        var features = java.util.List.of("a", "b", "c");
        var trainFrame = new Frame(features, delayed(2000, false, random), null, null, null);
        var test = new Frame(features, Synthetic.concat(delayed(500, false, random), delayed(1000, true, random)), null, null,
                Synthetic.labels(500, 1000, "advance"));

        var pca = train(ProcessMonitoring.pca(), trainFrame, Map.of()).model().evaluate(test);
        // 9 lagged columns hold 2 exact relations (b(t) = a(t−1), b(t−1) = a(t−2)): keep the other 7 directions
        // in the model so Q is made of those two alone
        var dpca = train(ProcessMonitoring.dynamicPca(), trainFrame, Map.of("components", 7)).model().evaluate(test);

        assertThat(pca.get("detection_rate")).isLessThan(0.1);
        assertThat(dpca.get("detection_rate_q")).isGreaterThan(0.9);
        // samples scored with their history in the order the model learned it raise no alarms
        assertThat(dpca.get("false_alarm_rate")).isLessThan(0.05);
    }

    @Test
    void theScorerKeepsItsLagWindowAndAgreesWithPredict() {
        var model = train(ProcessMonitoring.dynamicPca(), process.frame(autoregressive(800, 0.9, new double[2]), null), Map.of()).model();
        double[][] x = autoregressive(60, 0.9, new double[2]);
        double[] batch = column(model.predict(process.frame(x, null)), "score");
        var scorer = model.scorer();
        for (int i = 0; i < x.length; i++) {
            var s = scorer.score(x[i]);
            assertThat(s.ready()).isEqualTo(i >= 2);
            if (i < 2) {
                assertThat(batch[i]).isNaN();
                assertThat(s.alarm()).isFalse();
            } else {
                assertThat(s.value()).isEqualTo(batch[i]);
            }
        }
    }

    @Test
    void eachAssetKeepsItsOwnLagWindowInBatch() {
        var model = train(ProcessMonitoring.dynamicPca(), process.frame(autoregressive(800, 0.9, new double[2]), null), Map.of()).model();
        double[][] a = autoregressive(30, 0.9, new double[2]);
        double[][] b = autoregressive(30, 0.9, new double[2]);
        // interleaved rows, and the second asset's given newest first: order comes from the time column
        double[][] mixed = new double[60][];
        String[] assets = new String[60];
        long[] times = new long[60];
        for (int i = 0; i < 30; i++) {
            mixed[2 * i] = a[i];
            assets[2 * i] = "a";
            times[2 * i] = i;
            mixed[2 * i + 1] = b[29 - i];
            assets[2 * i + 1] = "b";
            times[2 * i + 1] = 29 - i;
        }
        double[] together = column(model.predict(new Frame(process.features(), mixed, assets, times, null)), "score");
        double[] alone = column(model.predict(process.frame(b, null)), "score");
        double[] bTogether = new double[30];
        for (int i = 0; i < 30; i++) bTogether[29 - i] = together[2 * i + 1];
        assertThat(bTogether).isEqualTo(alone);   // Arrays.equals: the two unready NaNs match too
        assertThat(alone).startsWith(Double.NaN, Double.NaN);
    }

    @Test
    void lagsSetTheWidthOfTheModel() {
        var frame = process.frame(autoregressive(400, 0.9, new double[2]), null);
        var training = train(ProcessMonitoring.dynamicPca(), frame, Map.of("lags", 3, "smoothing", 1.0));
        assertThat(training.card().data()).contains("lagged vectors (lags 3) of 24 columns");
        assertThat(training.metrics().get("training_vectors")).isEqualTo(397);
    }

    @Test
    void bytesReadBackScoreIdentically() {
        var model = train(ProcessMonitoring.dynamicPca(), process.frame(autoregressive(600, 0.9, new double[2]), null), Map.of()).model();
        var copy = ProcessMonitoring.dynamicPca().read(model.toBytes());
        var frame = process.frame(autoregressive(100, -0.5, new double[2]), null);
        assertThat(column(copy.predict(frame), "score")).containsExactly(column(model.predict(frame), "score"));
        var s1 = model.scorer();
        var s2 = copy.scorer();
        for (var row : frame.x()) assertThat(s2.score(row)).isEqualTo(s1.score(row));
    }

    @Test
    void theSameSeedGivesTheSameModel() {
        var frame = process.frame(autoregressive(600, 0.9, new double[2]), null);
        assertThat(train(ProcessMonitoring.dynamicPca(), frame, Map.of()).model().toBytes())
                .isEqualTo(train(ProcessMonitoring.dynamicPca(), frame, Map.of()).model().toBytes());
    }

    @Test
    void smoothedStatisticsRefuseTheoreticalLimits() {
        var frame = process.frame(autoregressive(300, 0.9, new double[2]), null);
        assertThatThrownBy(() -> train(ProcessMonitoring.dynamicPca(), frame, Map.of("limits", "theory")))
                .satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(ProcessMonitoring.dynamicPca(), frame, Map.of("smoothing", 0)))
                .satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> train(ProcessMonitoring.dynamicPca(), frame, Map.of("lags", -1)))
                .satisfies(e -> assertCode(e, ModelError.BAD_PARAMETER));
        assertThat(train(ProcessMonitoring.dynamicPca(), frame, Map.of("limits", "theory", "smoothing", 1)).model()).isNotNull();
    }

    @Test
    void lagsNeedMoreRows() {
        // 6 sensors with 2 lags: at least 20 lagged vectors, and 20 rows make 18
        var frame = process.frame(autoregressive(20, 0.9, new double[2]), null);
        assertThatThrownBy(() -> train(ProcessMonitoring.dynamicPca(), frame, Map.of()))
                .satisfies(e -> assertCode(e, ModelError.TOO_LITTLE_DATA));
        assertThat(train(ProcessMonitoring.pca(), frame, Map.of()).model()).isNotNull();
    }
}
