package kr.max.models.anomaly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.models.Frame;
import kr.max.models.ModelCard;
import kr.max.models.ModelError;
import kr.max.models.ModelType;
import kr.max.models.Params;
import kr.max.models.TrainedModel;
import kr.max.models.Training;
import kr.max.models.monitoring.NormalLabels;
import kr.max.models.monitoring.PrincipalComponents;

/**
 * {@code isolation-forest} and {@code pca-detector}: unsupervised, fitted on every training row (labels,
 * when present, only measure), with the limit set by a contamination share of the training scores or
 * given outright. What differs is the {@link Scoring} each fits.
 */
abstract sealed class DetectorType implements ModelType {

    static final DetectorType FOREST = new Forest();
    static final DetectorType PCA = new Pca();

    /** Parameters of this type only; the shared ones follow them. */
    abstract Map<String, Object> ownDefaults();

    abstract Scoring fit(double[][] x, Params p, long seed);

    /** The limit when neither {@code limit} nor {@code contamination} sets it. */
    abstract double defaultLimit(double contamination, double[] trainingScores);

    abstract int least(int features);

    abstract String describe(Scoring scoring);

    abstract String purposeKo();

    abstract String purposeEn();

    abstract List<String> limitationsKo();

    abstract List<String> limitationsEn();

    @Override
    public List<ColumnRole> requires() {
        return List.of();
    }

    @Override
    public Params defaults() {
        var d = new LinkedHashMap<String, Object>(ownDefaults());
        d.put("limit", 0.0);
        d.put("holdout", 0.2);
        d.put("normal_labels", NormalLabels.DEFAULT);
        return Params.of(d);
    }

    @Override
    public Training train(Frame data, Params params, long seed) {
        var p = defaults().with(params.asMap(), id());
        double contamination = p.number("contamination");
        if (!(contamination >= 0 && contamination < 0.5)) bad("contamination", contamination, "a share in [0, 0.5), such as 0.01");
        double explicit = p.number("limit");
        if (!(explicit >= 0)) bad("limit", explicit, "0 (set by contamination) or a positive score");
        double holdout = p.number("holdout");
        if (!(holdout >= 0 && holdout <= 0.5)) bad("holdout", holdout, "a share in [0, 0.5]; 0 measures on the training rows");
        var normal = NormalLabels.parse(p.text("normal_labels"));
        if (data.features().isEmpty()) throw new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, id(), "measurement", "data");

        Frame fitOn = data;
        Frame measureOn = data;
        String split = "no hold-out: fitted and measured on every row";
        if (holdout > 0) {
            var s = data.splitByTime(1 - holdout);
            fitOn = s.train();
            measureOn = s.test();
            split = s.description() + "; labels, where present, are never used for fitting";
        }
        int least = least(data.features().size());
        if (fitOn.rows() < least) throw new MaxException(ModelError.TOO_LITTLE_DATA, Location.NOWHERE, id(), fitOn.rows(), least);
        var scoring = fit(fitOn.x(), p, seed);
        var probe = new DetectorModel(id(), data.features(), scoring, Double.NaN, normal);
        double[] trainingScores = probe.scores(fitOn);
        double limit = explicit > 0 ? explicit
                : contamination > 0 ? Detections.contaminationLimit(trainingScores, contamination)
                : defaultLimit(contamination, trainingScores);
        var model = new DetectorModel(id(), data.features(), scoring, limit, normal);
        var held = model.evaluate(measureOn);
        var metrics = kr.max.models.Metrics.on(holdout > 0 ? "the last " + Math.round(holdout * 100) + " % of each asset's rows by time" : "the training rows");
        held.values().forEach(metrics::put);
        long flaggedInTraining = 0;
        for (double s : trainingScores) if (s > limit) flaggedInTraining++;
        metrics.put("limit", limit).put("training_flagged_share", (double) flaggedInTraining / trainingScores.length);
        var card = new ModelCard(purposeKo(), purposeEn(),
                "측정값 열이 있는 어떤 데이터에서도 표본별 이상 점수와 경보를 냅니다. 레이블 없이 학습하므로 경보는 확인할 후보이며 불량 판정이 아닙니다.",
                "Per-sample anomaly scores and flags on any data with measurement columns. It learns without labels, so a flag is a "
                        + "candidate to check, not a verdict of defect.",
                String.format(Locale.ROOT, "%d rows of %d asset(s), %d features; fitted on %d rows; %s; missing values replaced by "
                        + "training medians; limit %.6g (%s)", data.rows(), data.byAsset().size(), data.features().size(), fitOn.rows(),
                        describe(scoring), limit, explicit > 0 ? "given" : contamination > 0 ? "contamination " + contamination + " of the training scores"
                                : "default"),
                split, limitationsKo(), limitationsEn());
        return new Training(model, metrics.build(), card);
    }

    static void bad(String name, Object value, String expected) {
        throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, name, value, expected);
    }

    /** {@code isolation-forest}. */
    static final class Forest extends DetectorType {

        @Override
        public String id() {
            return "isolation-forest";
        }

        @Override
        public String titleKo() {
            return "이상 탐지: 격리 숲(Isolation Forest)";
        }

        @Override
        public String titleEn() {
            return "Anomaly detection: isolation forest";
        }

        @Override
        Map<String, Object> ownDefaults() {
            var d = new LinkedHashMap<String, Object>();
            d.put("trees", 100);
            d.put("subsample", 256);
            d.put("contamination", 0.01);
            return d;
        }

        @Override
        Scoring fit(double[][] x, Params p, long seed) {
            int trees = p.integer("trees");
            if (trees < 1 || trees > 10_000) bad("trees", trees, "a whole number from 1 to 10000");
            int subsample = p.integer("subsample");
            if (subsample < 2 || subsample > 1 << 20) bad("subsample", subsample, "a whole number of at least 2");
            return IsolationForest.grow(x, trees, subsample, seed);
        }

        @Override
        double defaultLimit(double contamination, double[] trainingScores) {
            return Detections.contaminationLimit(trainingScores, 0);
        }

        @Override
        int least(int features) {
            return 10;
        }

        @Override
        String describe(Scoring scoring) {
            var f = (IsolationForest) scoring;
            return f.trees() + " trees on subsamples of " + f.subsample();
        }

        @Override
        String purposeKo() {
            return "무작위 분할로 표본을 고립시키는 데 필요한 경로 길이로 이상 점수(0–1, 클수록 이상)를 계산합니다(Liu, Ting, Zhou 2008).";
        }

        @Override
        String purposeEn() {
            return "Scores each sample (0–1, higher is more anomalous) by how few random splits isolate it (Liu, Ting and Zhou 2008).";
        }

        @Override
        List<String> limitationsKo() {
            return List.of("축에 평행한 분할만 쓰므로 변수 사이의 상관이 깨진 이상(각 값은 정상 범위)은 잘 잡지 못합니다. 그런 경우 pca-detector 를 쓰십시오.",
                    "contamination 은 학습 데이터에서 경보를 낼 비율을 정할 뿐, 실제 이상 비율을 알려 주지 않습니다.",
                    "표본을 서로 독립으로 보므로 시간에 따른 변화(드리프트, 진동 패턴)는 보지 않습니다.");
        }

        @Override
        List<String> limitationsEn() {
            return List.of("Axis-parallel splits only: an anomaly that breaks a correlation while every value stays in its normal range is "
                            + "poorly caught; use pca-detector for that.",
                    "Contamination sets the share flagged on the training data; it does not tell the true share of anomalies.",
                    "Samples are taken as independent: changes over time (drift, oscillation) are not seen.");
        }

        @Override
        public TrainedModel read(byte[] bytes) {
            return DetectorModel.read(id(), bytes, IsolationForest::read);
        }
    }

    /** {@code pca-detector}. */
    static final class Pca extends DetectorType {

        @Override
        public String id() {
            return "pca-detector";
        }

        @Override
        public String titleKo() {
            return "이상 탐지: 주성분 분석(PCA) 재구성 오차와 T²";
        }

        @Override
        public String titleEn() {
            return "Anomaly detection: PCA reconstruction error and T²";
        }

        @Override
        Map<String, Object> ownDefaults() {
            var d = new LinkedHashMap<String, Object>();
            d.put("components", 0);
            d.put("variance", 0.0);
            d.put("confidence", 0.99);
            d.put("contamination", 0.0);
            return d;
        }

        @Override
        Scoring fit(double[][] x, Params p, long seed) {
            int components = p.integer("components");
            int m = x[0].length;
            if (components < 0 || components > m) bad("components", components, "0 (choose) or a whole number up to " + m + ", the number of features");
            double variance = p.number("variance");
            if (!(variance >= 0 && variance <= 1)) bad("variance", variance, "0 (parallel analysis) or a share in (0, 1]");
            double confidence = p.number("confidence");
            if (!(confidence > 0.5 && confidence < 1)) bad("confidence", confidence, "a probability between 0.5 and 1, such as 0.99");
            return PcaScoring.of(PrincipalComponents.fit(x, components, variance, seed), confidence);
        }

        @Override
        double defaultLimit(double contamination, double[] trainingScores) {
            return 1;   // either statistic beyond its limit at the given confidence
        }

        @Override
        int least(int features) {
            return Math.max(10, features + 1);
        }

        @Override
        String describe(Scoring scoring) {
            var s = (PcaScoring) scoring;
            return String.format(Locale.ROOT, "%d principal components explaining %.1f %% of the variance; score = max(T²/%.4g, Q/%.4g) "
                    + "(limits at confidence %s)", s.pca().components(), 100 * s.pca().explainedVariance(), s.t2Limit(), s.qLimit(), s.confidence());
        }

        @Override
        String purposeKo() {
            return "정상 데이터의 주성분 모델에서 벗어난 정도(T²: 주성분 공간, Q: 재구성 오차)로 표본별 이상을 찾습니다.";
        }

        @Override
        String purposeEn() {
            return "Finds anomalous samples by how far they leave a principal component model of the data: T² within the components, "
                    + "Q (reconstruction error) outside them.";
        }

        @Override
        List<String> limitationsKo() {
            var out = new ArrayList<String>();
            out.add("선형 모델입니다. 여러 운전 모드가 섞이거나 비선형 관계가 강한 데이터에서는 정상 표본도 점수가 높습니다.");
            out.add("학습 데이터에 이상이 많으면 주성분이 이상을 따라가 점수가 낮아집니다.");
            out.add("표본을 서로 독립으로 봅니다. 시간 구조가 있으면 dpca-monitor 를 쓰십시오.");
            return out;
        }

        @Override
        List<String> limitationsEn() {
            return List.of("A linear model: with mixed operating modes or strong nonlinear relations normal samples score high too.",
                    "Many anomalies in the training data pull the components towards them and lower their scores.",
                    "Samples are taken as independent; for data with time structure use dpca-monitor.");
        }

        @Override
        public TrainedModel read(byte[] bytes) {
            return DetectorModel.read(id(), bytes, PcaScoring::read);
        }
    }
}
