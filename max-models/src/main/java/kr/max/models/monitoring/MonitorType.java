package kr.max.models.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.models.Frame;
import kr.max.models.Metrics;
import kr.max.models.ModelCard;
import kr.max.models.ModelError;
import kr.max.models.ModelType;
import kr.max.models.Params;
import kr.max.models.TrainedModel;
import kr.max.models.Training;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/** {@code pca-monitor} and {@code dpca-monitor}: one implementation, dynamic PCA with EWMA reducing to PCA. */
final class MonitorType implements ModelType {

    static final MonitorType PCA = new MonitorType("pca-monitor", false);
    static final MonitorType DPCA = new MonitorType("dpca-monitor", true);

    private final String id;
    private final boolean dynamic;

    private MonitorType(String id, boolean dynamic) {
        this.id = id;
        this.dynamic = dynamic;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String titleKo() {
        return dynamic ? "공정 감시: 동적 PCA(시차 변수)와 T²·Q 지수가중이동평균(EWMA)" : "공정 감시: 주성분 분석(PCA) T²·Q 관리도";
    }

    @Override
    public String titleEn() {
        return dynamic ? "Process monitoring: dynamic PCA (lagged variables) with EWMA of T² and Q" : "Process monitoring: PCA with T² and Q control limits";
    }

    /** Numeric features only; a label column is optional (it selects the normal rows and measures detection). */
    @Override
    public List<ColumnRole> requires() {
        return List.of();
    }

    @Override
    public Params defaults() {
        var d = new LinkedHashMap<String, Object>();
        d.put("components", 0);
        d.put("variance", 0.0);
        d.put("confidence", 0.99);
        if (dynamic) {
            d.put("lags", 2);
            d.put("smoothing", 0.2);
        }
        d.put("limits", dynamic ? "cross-validated" : "theory");
        d.put("folds", 5);
        d.put("normal_labels", NormalLabels.DEFAULT);
        return Params.of(d);
    }

    @Override
    public Training train(Frame data, Params params, long seed) {
        var settings = MonitorSettings.of(defaults().with(params.asMap(), id), dynamic);
        if (data.features().isEmpty()) throw new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, id, "measurement", "data");
        boolean[] normal = normalRows(data, settings);
        var runs = Sequences.runs(data, normal);
        int lags = settings.lags();
        int dimension = data.features().size() * (lags + 1);
        int windows = Sequences.windowCount(runs, lags);
        int least = Math.max(20, dimension + 1);
        if (windows < least) throw new MaxException(ModelError.TOO_LITTLE_DATA, Location.NOWHERE, id, windows, least);
        if (settings.components() > dimension) {
            throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, "components", settings.components(),
                    "at most " + dimension + ", the number of " + (lags > 0 ? "lagged " : "") + "columns");
        }
        double[][] x = data.x();
        var pca = PrincipalComponents.fit(Sequences.windows(x, runs, lags), settings.components(), settings.variance(), seed);
        var outOfFold = outOfFold(x, runs, settings, pca.components(), seed);
        double[] t2 = outOfFold.stream().mapToDouble(s -> s[0]).toArray();
        double[] q = outOfFold.stream().mapToDouble(s -> s[1]).toArray();
        double t2Limit;
        double qLimit;
        if (settings.limits() == MonitorSettings.Limits.THEORY) {
            t2Limit = pca.t2Limit(settings.confidence());
            qLimit = pca.qLimit(settings.confidence());
        } else {
            t2Limit = scaledChiSquare(t2, settings.confidence());
            qLimit = scaledChiSquare(q, settings.confidence());
        }
        var model = new MonitorModel(id, data.features(), settings, pca, t2Limit, qLimit, mean(t2), mean(q));

        long normalRows = 0;
        for (boolean b : normal) if (b) normalRows++;
        long faultRows = 0;
        if (data.hasLabels()) for (var l : data.labels()) if (settings.normal().kind(l) == NormalLabels.Kind.FAULT) faultRows++;
        var metrics = Metrics.on(settings.folds() + "-fold time-block cross-validation on normal rows"
                + (faultRows > 0 ? "; fault-labelled rows" : ""));
        int t2Alarms = 0;
        int qAlarms = 0;
        int either = 0;
        for (int i = 0; i < t2.length; i++) {
            if (t2[i] > t2Limit) t2Alarms++;
            if (q[i] > qLimit) qAlarms++;
            if (t2[i] > t2Limit || q[i] > qLimit) either++;
        }
        metrics.put("false_alarm_rate", (double) either / t2.length)
                .put("false_alarm_rate_t2", (double) t2Alarms / t2.length)
                .put("false_alarm_rate_q", (double) qAlarms / t2.length);
        if (faultRows > 0) {
            var onFaults = model.evaluate(data);
            for (var name : List.of("detection_rate", "detection_rate_t2", "detection_rate_q", "detection_delay")) {
                metrics.put(name, onFaults.get(name));
            }
        }
        metrics.put("components", pca.components())
                .put("explained_variance", pca.explainedVariance())
                .put("t2_limit", t2Limit)
                .put("q_limit", qLimit)
                .put("training_vectors", windows)
                .put("out_of_fold_vectors", t2.length);
        return new Training(model, metrics.build(), card(data, settings, pca, normalRows, faultRows, windows));
    }

    private boolean[] normalRows(Frame data, MonitorSettings settings) {
        boolean[] normal = new boolean[data.rows()];
        if (!data.hasLabels()) {
            java.util.Arrays.fill(normal, true);
            return normal;
        }
        boolean any = false;
        var seen = new LinkedHashSet<String>();
        for (int i = 0; i < normal.length; i++) {
            normal[i] = settings.normal().kind(data.labels()[i]) == NormalLabels.Kind.NORMAL;
            any |= normal[i];
            if (seen.size() < 5 && data.labels()[i] != null) seen.add(data.labels()[i]);
        }
        if (!any) throw new MaxException(MonitoringError.NO_NORMAL_ROWS, Location.NOWHERE, id, settings.normal(), String.join(", ", seen));
        return normal;
    }

    /**
     * The (smoothed) statistics of each block of each run, scored by a model fitted without that block. A
     * block is a contiguous stretch of time, so autocorrelation does not leak the held-out samples into the
     * fit the way a random split would.
     */
    private List<double[]> outOfFold(double[][] x, List<int[]> runs, MonitorSettings settings, int components, long seed) {
        var out = new ArrayList<double[]>();
        int folds = settings.folds();
        int lags = settings.lags();
        for (int k = 0; k < folds; k++) {
            var fit = new ArrayList<int[]>();
            var held = new ArrayList<int[]>();
            for (var run : runs) {
                int lo = (int) ((long) k * run.length / folds);
                int hi = (int) ((long) (k + 1) * run.length / folds);
                if (lo > 0) fit.add(java.util.Arrays.copyOfRange(run, 0, lo));
                if (hi < run.length) fit.add(java.util.Arrays.copyOfRange(run, hi, run.length));
                if (hi > lo) held.add(java.util.Arrays.copyOfRange(run, lo, hi));
            }
            if (Sequences.windowCount(fit, lags) <= components + 1) continue;
            var pca = PrincipalComponents.fit(Sequences.windows(x, fit, lags), components, 0, seed);
            for (var run : held) {
                var stream = new StatisticStream(pca, lags, settings.smoothing(), Double.NaN, Double.NaN);
                for (int r : run) {
                    var s = stream.push(x[r]);
                    if (s != null) out.add(s);
                }
            }
        }
        if (out.size() < 2) throw new MaxException(ModelError.TOO_LITTLE_DATA, Location.NOWHERE, id, out.size(), 2);
        return out;
    }

    /**
     * The quantile of g·χ²(h) with the mean and variance of the values (Box 1954): the form T² and Q take
     * for Gaussian data, and a smooth fit where an empirical 99th percentile of a few hundred autocorrelated
     * values would be mostly noise.
     */
    static double scaledChiSquare(double[] values, double confidence) {
        double mean = mean(values);
        double variance = 0;
        for (double v : values) variance += (v - mean) * (v - mean);
        variance /= Math.max(1, values.length - 1);
        if (!(variance > 0) || !(mean > 0)) return Math.max(mean, 0) * (1 + 1e-9) + Double.MIN_NORMAL;
        double g = variance / (2 * mean);
        double h = Math.min(2 * mean * mean / variance, 1e7);
        return g * new ChiSquaredDistribution(null, h).inverseCumulativeProbability(confidence);
    }

    private static double mean(double[] values) {
        double s = 0;
        for (double v : values) s += v;
        return values.length == 0 ? Double.NaN : s / values.length;
    }

    private ModelCard card(Frame data, MonitorSettings s, PrincipalComponents pca, long normalRows, long faultRows, int windows) {
        int assets = data.byAsset().size();
        var dataText = String.format(Locale.ROOT,
                "%d rows of %d asset(s), %d features; %d rows labelled normal fitted%s; %d %s of %d columns; %d components explaining %.1f %% of the variance; missing values replaced by training medians",
                data.rows(), assets, data.features().size(), normalRows,
                data.hasLabels() ? " (" + (data.rows() - normalRows) + " rows with a fault or no label left out)" : " (no label column: every row taken as normal)",
                windows, s.lags() > 0 ? "lagged vectors (lags " + s.lags() + ")" : "vectors", pca.columns(), pca.components(),
                100 * pca.explainedVariance());
        var split = String.format(Locale.ROOT,
                "Fitted on every normal row. False-alarm rates: %d-fold cross-validation over contiguous time blocks of each asset's normal rows "
                        + "(a model fitted without a block scores it). Detection rates: %s. Limits: %s at confidence %s%s.",
                s.folds(), faultRows > 0 ? faultRows + " fault-labelled rows, never fitted" : "none (no fault-labelled rows)",
                s.limits() == MonitorSettings.Limits.THEORY ? "T² from the F distribution, Q by Jackson–Mudholkar"
                        : "scaled χ² matched to the out-of-fold statistics",
                s.confidence(), s.smoothing() < 1 ? ", on EWMA-smoothed statistics (weight " + s.smoothing() + ")" : "");
        var ko = new ArrayList<String>();
        var en = new ArrayList<String>();
        ko.add("정상 데이터가 짧으면(수백 표본) 새 정상 데이터에서의 오경보율이 명목값(1 − confidence)보다 높습니다. 교차검증 오경보율을 보십시오.");
        en.add("With short normal data (a few hundred samples) the false-alarm rate on new normal data exceeds the nominal 1 − confidence; see the cross-validated rate.");
        ko.add("선형 모델입니다. 강한 비선형 관계나 여러 운전 모드(제품 전환, 부하 변화)가 섞인 데이터에서는 오경보가 늘어납니다.");
        en.add("A linear model: strongly nonlinear relations, or operating modes (grade changes, loads) absent from or mixed in the training data, raise false alarms.");
        ko.add("이상을 감지할 뿐 원인을 진단하지 않으며, 제어가 보상해 측정값에 흔적이 거의 남지 않는 고장은 감지하지 못합니다.");
        en.add("It detects, it does not diagnose; faults that control loops compensate so that the measurements barely change go undetected.");
        if (s.smoothing() < 1) {
            ko.add("EWMA 평활은 작고 느린 이상을 더 잘 잡는 대신 감지를 늦춥니다. 평활된 통계량의 한계는 교차검증에 맞춘 근사입니다.");
            en.add("EWMA smoothing catches small and slow faults at the cost of detection delay; its limits are an approximation fitted by cross-validation.");
        }
        return new ModelCard(
                dynamic ? "정상 운전 데이터에 시차 변수를 더한 동적 주성분 모델로 T²(주성분 공간)·Q(잔차, SPE) 통계량의 지수가중이동평균을 계산해 공정 이상을 표본마다 감지합니다."
                        : "정상 운전 데이터의 주성분 모델로 T²(주성분 공간)·Q(잔차, SPE) 통계량을 계산해 공정 이상을 표본마다 감지합니다.",
                dynamic ? "Detects abnormal process operation sample by sample from exponentially weighted moving averages of Hotelling's T² and Q (SPE) of a dynamic PCA model (lagged variables) of normal operation."
                        : "Detects abnormal process operation sample by sample from Hotelling's T² (principal components) and Q (residual, SPE) of a PCA model of normal operation.",
                "연속 공정의 센서 데이터(측정·설정값 열)를 표본마다 감시해 경보를 내는 데 씁니다. 경보는 운전원이 확인할 신호이며 자동 정지 판단에 단독으로 쓰지 마십시오.",
                "Sample-by-sample alarms on the sensor data (measurement and setpoint columns) of a continuous process, for an operator to check; not on its own for automatic shutdown.",
                dataText, split, ko, en);
    }

    @Override
    public TrainedModel read(byte[] bytes) {
        return MonitorModel.read(id, bytes);
    }
}
