package kr.max.models.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
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

/**
 * Quality prediction: the probability that a shot (a part, a batch) fails inspection, from its process
 * measurements and setpoints, with an alarm threshold for a line operator. Two types share the data, split
 * and figures: {@code quality-gbm} (gradient-boosted trees with the rare fails up-weighted) and
 * {@code quality-logistic} (L2 logistic regression with balanced class weights), the baseline every
 * {@code quality-gbm} figure should be read against.
 *
 * <p>Data: one row per shot; numeric {@code measurement} and {@code setpoint} columns are the features; the
 * {@code label} column says pass or fail (see {@link #LABELS}); the {@code timestamp} column, when present,
 * orders shots (otherwise the row order does).
 *
 * <p>Split: the first {@code train_fraction} (default 0.7) of shots by time train, the rest test; the cut
 * moves forward past shots sharing its time, so two cavities of one shot stay on one side. The alarm
 * threshold is chosen on the training part only: the highest-recall point whose precision reaches
 * {@code precision_target} (default 0.9) in out-of-fold scores of {@code threshold_folds} contiguous
 * time blocks; when no threshold reaches it, the best-F1 point among those at least twice as precise as the
 * base rate; when none is, the model never alarms (its threshold is infinite) rather than alarm at random. Figures on the test part: PR-AUC (average
 * precision), recall at the precision target, ROC-AUC, the base rate, and precision and recall at the
 * chosen threshold. Accuracy is not reported: at a 1 % fail rate a model that never alarms is 99 % accurate.
 */
public final class QualityPrediction implements ModelType {

    /** Identifier of the boosted-trees type. */
    public static final String GBM = "quality-gbm";
    /** Identifier of the logistic-regression baseline. */
    public static final String LOGISTIC = "quality-logistic";
    /** How labels are read, for documentation and messages. */
    public static final String LABELS = PassFail.EXPECTED;

    private static final int LEAST_SHOTS = 20;

    private final boolean gbm;

    private QualityPrediction(boolean gbm) {
        this.gbm = gbm;
    }

    /** Gradient-boosted trees ({@code quality-gbm}). */
    public static QualityPrediction gbm() {
        return new QualityPrediction(true);
    }

    /** The logistic-regression baseline ({@code quality-logistic}). */
    public static QualityPrediction logistic() {
        return new QualityPrediction(false);
    }

    @Override
    public String id() {
        return gbm ? GBM : LOGISTIC;
    }

    @Override
    public String titleKo() {
        return gbm ? "품질 예측 (합격/불합격, 부스팅 트리)" : "품질 예측 기준선 (합격/불합격, 로지스틱 회귀)";
    }

    @Override
    public String titleEn() {
        return gbm ? "Quality prediction (pass/fail, boosted trees)" : "Quality prediction baseline (pass/fail, logistic regression)";
    }

    @Override
    public List<ColumnRole> requires() {
        return List.of(ColumnRole.LABEL);
    }

    @Override
    public Params defaults() {
        return Params.of(QualityConfig.defaults(gbm));
    }

    @Override
    public Training train(Frame data, Params params, long seed) {
        var c = QualityConfig.of(defaults().with(params.asMap(), id()), gbm);
        if (!data.hasLabels()) throw new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, id(), ColumnRole.LABEL.word(), "frame");
        if (data.features().isEmpty()) {
            throw new MaxException(ModelError.MISSING_ROLE, Location.NOWHERE, id(), ColumnRole.MEASUREMENT.word(), "frame");
        }
        if (data.rows() < LEAST_SHOTS) throw new MaxException(ModelError.TOO_LITTLE_DATA, Location.NOWHERE, id(), data.rows(), LEAST_SHOTS);
        var passFail = PassFail.learn(data.labels(), c.positiveLabel());
        var fail = new boolean[data.rows()];
        for (int i = 0; i < fail.length; i++) fail[i] = passFail.isFail(data.labels()[i]);
        requireBothClasses(fail, "the data", passFail);

        int[] order = timeOrder(data);
        int cut = cut(data, order, c.trainFraction());
        int[] trainRows = Arrays.copyOfRange(order, 0, cut);
        int[] testRows = Arrays.copyOfRange(order, cut, order.length);
        var trainX = rows(data.x(), trainRows);
        var trainFail = rows(fail, trainRows);
        requireBothClasses(trainFail, "the training part (first " + percent(c.trainFraction()) + " by time)", passFail);

        var learner = fit(trainX, trainFail, c, seed);
        var chosen = threshold(trainX, trainFail, c, seed);
        double threshold = chosen == null ? 0.5 : chosen.threshold();
        var model = new QualityModel(id(), c, data.features(), passFail, learner, threshold);

        var testFail = rows(fail, testRows);
        long trainFails = count(trainFail), testFails = count(testFail);
        var m = Metrics.on(String.format(Locale.ROOT, "last %s of shots by time: %d shots, %d fails", percent(1 - c.trainFraction()),
                testRows.length, testFails));
        model.metrics(m, model.score(rows(data.x(), testRows)), testFail);
        m.put("train_shots", trainRows.length).put("train_fails", trainFails)
                .put("threshold_precision_on_training", chosen == null ? Double.NaN : chosen.precision())
                .put("threshold_recall_on_training", chosen == null ? Double.NaN : chosen.recall());
        var metrics = m.build();
        return new Training(model, metrics, card(c, data, passFail, trainRows.length, trainFails, testRows.length, testFails, chosen, metrics));
    }

    private Learner fit(double[][] x, boolean[] fail, QualityConfig c, long seed) {
        return gbm ? GbmLearner.fit(x, fail, c, seed) : LogisticLearner.fit(x, fail, c.l2(), c.balanced(), c.maxIterations());
    }

    /**
     * Out-of-fold scores of the training part in contiguous time blocks, each scored by a model fitted on
     * the other blocks (a block whose complement lacks a class is left out), then the operating point.
     */
    private Ranking.Point threshold(double[][] x, boolean[] fail, QualityConfig c, long seed) {
        int n = x.length, k = c.thresholdFolds();
        var scores = new ArrayList<Double>();
        var truth = new ArrayList<Boolean>();
        for (int f = 0; f < k; f++) {
            int from = (int) ((long) f * n / k), to = (int) ((long) (f + 1) * n / k);
            if (from == to) continue;
            int[] rest = IntStream.concat(IntStream.range(0, from), IntStream.range(to, n)).toArray();
            var restFail = rows(fail, rest);
            long restFails = count(restFail);
            if (restFails == 0 || restFails == rest.length) continue;
            var learner = fit(rows(x, rest), restFail, c, seed + 1 + f);
            double[] s = learner.score(Arrays.copyOfRange(x, from, to));
            for (int i = from; i < to; i++) {
                scores.add(s[i - from]);
                truth.add(fail[i]);
            }
        }
        var s = scores.stream().mapToDouble(Double::doubleValue).toArray();
        var t = new boolean[truth.size()];
        for (int i = 0; i < t.length; i++) t[i] = truth.get(i);
        return s.length == 0 ? null : Ranking.choose(s, t, c.precisionTarget());
    }

    private void requireBothClasses(boolean[] fail, String part, PassFail pf) {
        long fails = count(fail);
        if (fails == 0 || fails == fail.length) {
            throw new MaxException(QualityError.ONE_CLASS, Location.NOWHERE, id(), part, fail.length, fails == 0 ? pf.passText() : pf.failText());
        }
    }

    /** Rows in time order (stable), or in their own order without a time column. */
    private static int[] timeOrder(Frame data) {
        var idx = IntStream.range(0, data.rows()).boxed().toArray(Integer[]::new);
        if (data.hasTimes()) Arrays.sort(idx, Comparator.comparingLong(i -> data.times()[i]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** The first test position: the fraction's cut, moved forward past shots with the same time. */
    private static int cut(Frame data, int[] order, double fraction) {
        int cut = (int) Math.round(order.length * fraction);
        if (data.hasTimes()) {
            while (cut > 0 && cut < order.length && data.times()[order[cut]] == data.times()[order[cut - 1]]) cut++;
        }
        return cut;
    }

    private static double[][] rows(double[][] x, int[] rows) {
        var out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = x[rows[i]];
        return out;
    }

    private static boolean[] rows(boolean[] x, int[] rows) {
        var out = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = x[rows[i]];
        return out;
    }

    private static long count(boolean[] b) {
        long n = 0;
        for (boolean v : b) if (v) n++;
        return n;
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%.0f %%", f * 100);
    }

    private ModelCard card(QualityConfig c, Frame data, PassFail pf, int trainShots, long trainFails, int testShots, long testFails,
            Ranking.Point chosen, Metrics m) {
        String dataText = String.format(Locale.ROOT,
                "%,d shots, %d features %s; fail = label \"%s\", pass = \"%s\"; training part: %,d fails and %,d passes (%.2f %% fail);"
                        + " test part: %,d fails and %,d passes (%.2f %% fail)",
                data.rows(), data.features().size(), data.features(), pf.failText(), pf.passText(), trainFails, trainShots - trainFails,
                100.0 * trainFails / trainShots, testFails, testShots - testFails, testShots == 0 ? Double.NaN : 100.0 * testFails / testShots);
        String split = "time-ordered: the first " + percent(c.trainFraction()) + " of shots by "
                + (data.hasTimes() ? "time" : "row order") + " train, the last " + percent(1 - c.trainFraction())
                + " test (shots sharing the cut's time stay in training); alarm threshold chosen on the training part from out-of-fold"
                + " scores of " + c.thresholdFolds() + " contiguous time blocks for precision " + c.precisionTarget();
        double target = c.precisionTarget() * 100;
        String prec = fmt(m.values().get("precision_at_threshold")), rec = fmt(m.values().get("recall_at_threshold"));
        var ko = new ArrayList<String>();
        var en = new ArrayList<String>();
        ko.add(String.format(Locale.ROOT, "불량은 드뭅니다: 학습 %,d건 중 %,d건, 시험 %,d건 중 %,d건. 기준선 불량률(%.2f %%)보다 PR-AUC가 얼마나 높은지로 읽으십시오."
                        + " 항상 '합격'이라고 답해도 정확도는 %.1f %%가 되므로 정확도는 보고하지 않습니다.",
                trainShots, trainFails, testShots, testFails, 100 * m.values().getOrDefault("base_rate", Double.NaN),
                100 * (1 - m.values().getOrDefault("base_rate", Double.NaN))));
        en.add(String.format(Locale.ROOT, "Fails are rare: %,d of %,d training shots and %,d of %,d test shots. Read PR-AUC against the base rate (%.2f %%);"
                        + " answering 'pass' every time would be %.1f %% accurate, so accuracy is not reported.",
                trainFails, trainShots, testFails, testShots, 100 * m.values().getOrDefault("base_rate", Double.NaN),
                100 * (1 - m.values().getOrDefault("base_rate", Double.NaN))));
        ko.add(String.format(Locale.ROOT, "현장 작업자에게: 정밀도 %.0f %%는 경보 10번 중 약 %.0f번이 실제 불량이라는 뜻이고, 재현율은 실제 불량 가운데 경보로 잡아내는 비율입니다."
                + " 시험 구간에서 이 모델의 경보 기준은 정밀도 %s, 재현율 %s였습니다.", target, target / 10, prec, rec));
        en.add(String.format(Locale.ROOT, "For a line operator: precision %.0f %% means about %.0f of 10 alarms are real defects; recall is the share of real"
                + " defects the alarm catches. On the test part this model's alarm threshold gave precision %s and recall %s.", target, target / 10, prec, rec));
        if (testFails < 30) {
            ko.add("시험 구간의 불량이 " + testFails + "건뿐이라 PR-AUC와 재현율은 불확실성이 큽니다(불량 한 건이 재현율을 " + fmt(testFails == 0 ? Double.NaN : 1.0 / testFails) + "만큼 바꿉니다).");
            en.add("The test part holds only " + testFails + " fails, so PR-AUC and recall are uncertain (one fail moves recall by "
                    + fmt(testFails == 0 ? Double.NaN : 1.0 / testFails) + ").");
        }
        if (chosen == null) {
            ko.add("학습 구간의 교차 검증에서 불량이 있는 구간을 평가하지 못해 경보 기준을 0.5로 두었습니다. 기준을 믿지 마십시오.");
            en.add("No out-of-fold block with fails could be scored on the training part, so the alarm threshold is left at 0.5; do not rely on it.");
        } else if (Double.isInfinite(chosen.threshold())) {
            ko.add("학습 구간의 교차 검증 점수로는 무작위의 두 배만큼 정밀한 기준도 없어 이 모델은 경보를 내지 않습니다. 순위(PR-AUC)만 참고하십시오.");
            en.add("No threshold was even twice as precise as chance in out-of-fold training scores, so this model never alarms; use its ranking"
                    + " (PR-AUC) only.");
        } else if (chosen.precision() < c.precisionTarget()) {
            ko.add(String.format(Locale.ROOT, "학습 구간의 교차 검증 점수로는 정밀도 목표에 이르는 기준이 없어 F1이 가장 높은 기준(정밀도 %s, 재현율 %s)을 썼습니다.",
                    fmt(chosen.precision()), fmt(chosen.recall())));
            en.add(String.format(Locale.ROOT, "No threshold reached the precision target in out-of-fold training scores; the best-F1 threshold"
                    + " (precision %s, recall %s there) is used instead.", fmt(chosen.precision()), fmt(chosen.recall())));
        }
        if (gbm) {
            ko.add("불량에 가중치를 주어 학습했으므로 출력값은 순위를 매기는 점수이며, 그대로 불량 확률로 읽으면 과대평가됩니다.");
            en.add("Fails were up-weighted in training, so the output ranks shots; read literally as a probability it overstates the fail rate.");
        }
        ko.add("공정 조건, 금형, 재료가 학습 기간과 다르면 성능이 떨어질 수 있으며 주기적으로 다시 학습해야 합니다.");
        en.add("Performance may drop when process conditions, mold or material differ from the training period; retrain periodically.");
        return new ModelCard(
                "사출 등 공정의 측정값·설정값으로 각 샷(부품)이 검사에서 불합격할 가능성을 예측하고 경보를 냅니다.",
                "Predicts, from process measurements and setpoints, how likely each shot (part) is to fail inspection, and raises an alarm.",
                "검사 전에 의심 샷을 골라 재검사·격리하는 보조 수단입니다. 검사를 대신하지 않으며, 경보가 없다고 합격을 보장하지 않습니다.",
                "An aid for picking suspect shots for re-inspection or quarantine before inspection. It does not replace inspection; no alarm does not"
                        + " guarantee a pass.",
                dataText, split, ko, en);
    }

    private static String fmt(Double v) {
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    @Override
    public TrainedModel read(byte[] bytes) {
        return QualityModel.read(bytes, id());
    }
}
