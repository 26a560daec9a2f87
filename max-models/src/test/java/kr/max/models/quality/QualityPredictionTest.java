package kr.max.models.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import kr.max.core.MaxException;
import kr.max.models.Frame;
import kr.max.models.ModelError;
import kr.max.models.StandardModels;
import kr.max.models.Training;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QualityPredictionTest {

    static final QualityPrediction GBM = QualityPrediction.gbm();
    static final QualityPrediction LOGISTIC = QualityPrediction.logistic();
    static Frame shots;
    static Training gbm;
    static Training logistic;

    @BeforeAll
    static void trainBoth() {
        shots = SyntheticShots.shots(10_000, 1, "Y", "N");
        gbm = GBM.train(shots, GBM.defaults(), 42);
        logistic = LOGISTIC.train(shots, LOGISTIC.defaults(), 42);
    }

    @Test
    void bothFindThePlantedFailMechanismWellAboveTheBaseRateAndTheTreesFindMore() {
        // Checked over data seeds 1–10: gbm above logistic every time; logistic at least 7 times the base rate.
        var g = gbm.metrics();
        var l = logistic.metrics();
        double base = g.get("base_rate");
        assertThat(base).isBetween(0.005, 0.03);
        assertThat(g.get("pr_auc")).isGreaterThan(4 * base);
        assertThat(l.get("pr_auc")).isGreaterThan(4 * base);
        assertThat(g.get("pr_auc")).isGreaterThan(l.get("pr_auc"));
        assertThat(g.get("roc_auc")).isGreaterThan(0.8);
        assertThat(g.values()).containsKeys("recall_at_90_precision", "threshold", "precision_at_threshold", "recall_at_threshold");
    }

    @Test
    void splitsByTimeAndCountsEachClassOnEachSide() {
        var m = gbm.metrics();
        assertThat(m.get("train_shots")).isEqualTo(7000.0);
        assertThat(m.get("shots")).isEqualTo(3000.0);
        long fails = Arrays.stream(shots.labels()).filter("N"::equals).count();
        assertThat(m.get("train_fails") + m.get("fails")).isEqualTo((double) fails);
        long testFails = Arrays.stream(shots.labels(), 7000, 10_000).filter("N"::equals).count();
        assertThat(m.get("fails")).isEqualTo((double) testFails);
        var card = gbm.card();
        assertThat(card.split()).contains("first 70 % of shots by time train");
        assertThat(card.data()).contains((long) m.get("train_fails") + " fails").contains("fail = label \"N\"");
        assertThat(card.limitationsEn().get(0)).contains("Fails are rare").contains("accuracy is not reported");
        assertThat(card.limitationsKo().get(1)).contains("정밀도 90 %");
    }

    @Test
    void theCutNeverSeparatesShotsOfTheSameTime() {
        // two cavities per shot: each time appears twice, so a cut at 70 % of 41 rows would split a pair
        int n = 41 * 2;
        var x = new double[n][];
        var times = new long[n];
        var labels = new String[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {i % 7, i % 3};
            times[i] = i / 2;
            labels[i] = i % 10 == 3 ? "NG" : "OK";
        }
        var m = LOGISTIC.train(new Frame(java.util.List.of("a", "b"), x, null, times, labels), LOGISTIC.defaults(), 1).metrics();
        assertThat(m.get("train_shots") % 2).isZero();
    }

    @Test
    void theScorerGivesTheBatchProbabilityAndAlarmsAtTheThreshold() {
        for (var t : new Training[] {gbm, logistic}) {
            var model = t.model();
            var predictions = model.predict(shots);
            assertThat(predictions.columns()).containsExactly("row", "time", "p_fail", "alarm", "predicted");
            var scorer = model.scorer();
            double threshold = t.metrics().get("threshold");
            for (int i = 0; i < 500; i++) {
                var s = scorer.score(shots.x()[i]);
                var row = predictions.rows().get(i);
                assertThat(s.ready()).isTrue();
                assertThat(s.value()).isCloseTo((double) row[2], within(1e-9));
                assertThat(s.limit()).isEqualTo(threshold);
                assertThat(s.alarm()).isEqualTo(s.value() >= threshold).isEqualTo(row[3]);
                assertThat(s.label()).isEqualTo(s.alarm() ? "N" : "Y").isEqualTo(row[4]);
            }
        }
    }

    @Test
    void storedModelsReadBackAndScoreTheSame() {
        for (var t : new Training[] {gbm, logistic}) {
            var model = t.model();
            var back = StandardModels.byId(model.type()).read(model.toBytes());
            assertThat(back.type()).isEqualTo(model.type());
            assertThat(back.features()).isEqualTo(SyntheticShots.FEATURES);
            var a = model.predict(shots).rows();
            var b = back.predict(shots).rows();
            for (int i = 0; i < a.size(); i++) assertThat(b.get(i)).containsExactly(a.get(i));
            assertThat(back.evaluate(shots).values()).isEqualTo(model.evaluate(shots).values());
        }
    }

    @Test
    void aModelOfOneTypeIsNotReadAsTheOther() {
        assertThatThrownBy(() -> LOGISTIC.read(gbm.model().toBytes()))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.UNREADABLE_MODEL));
    }

    @Test
    void theSameDataParametersAndSeedGiveTheSameModel() {
        var small = SyntheticShots.shots(2000, 4, "Y", "N");
        var p = GBM.defaults().with(Map.of("rounds", 30), GBM.id());
        assertThat(GBM.train(small, p, 9).model().toBytes()).isEqualTo(GBM.train(small, p, 9).model().toBytes());
    }

    @Test
    void readsTheUsualPassAndFailWordsInAnyCase() {
        assertThat(PassFail.learn(new String[] {"Y", "n"}, "").isFail("N")).isTrue();
        for (var pair : new String[][] {{"Y", "N"}, {"pass", "FAIL"}, {"1", "0"}, {"1.0", "0.0"}, {"합격", "불합격"}, {"Ok", "nG"},
                {"양품", "불량"}, {"TRUE", "false"}}) {
            var pf = PassFail.learn(pair, "");
            assertThat(pf.isFail(pair[0])).as(pair[0]).isFalse();
            assertThat(pf.isFail(pair[1])).as(pair[1]).isTrue();
            assertThat(pf.failText()).isEqualTo(pair[1]);
            assertThat(pf.passText()).isEqualTo(pair[0]);
        }
    }

    @Test
    void aPositiveLabelNamesTheFailValueOfADefectFlag() {
        var pf = PassFail.learn(new String[] {"0", "1", "0"}, "1");
        assertThat(pf.isFail("1")).isTrue();
        assertThat(pf.isFail("0")).isFalse();
        assertThat(pf.failText()).isEqualTo("1");
        assertThatThrownBy(() -> PassFail.learn(new String[] {"scrap", "good", "rework"}, "scrap"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.getMessage()).contains("MAX-MODEL-402").contains("rework"));
    }

    @Test
    void aPositiveLabelParameterTrainsOnAnInvertedFlag() {
        var flagged = SyntheticShots.shots(3000, 2, "0", "1");
        var t = LOGISTIC.train(flagged, LOGISTIC.defaults().with(Map.of("positive_label", "1"), LOGISTIC.id()), 1);
        long fails = Arrays.stream(flagged.labels()).filter("1"::equals).count();
        assertThat(t.metrics().get("train_fails") + t.metrics().get("fails")).isEqualTo((double) fails);
    }

    @Test
    void refusesALabelItCannotRead() {
        var labels = shots.labels().clone();
        labels[17] = "maybe";
        var bad = new Frame(shots.features(), shots.x(), null, shots.times(), labels);
        assertThatThrownBy(() -> GBM.train(bad, GBM.defaults(), 1)).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(ModelError.UNREADABLE_LABEL);
            assertThat(e.getMessage()).contains("MAX-MODEL-012").contains("\"maybe\"").contains("PASS/FAIL");
        });
    }

    @Test
    void refusesDataWithoutLabels() {
        var none = new Frame(shots.features(), shots.x(), null, shots.times(), null);
        assertThatThrownBy(() -> LOGISTIC.train(none, LOGISTIC.defaults(), 1)).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(ModelError.MISSING_ROLE);
            assertThat(e.getMessage()).contains("MAX-MODEL-010").contains("\"label\"");
        });
        assertThatThrownBy(() -> gbm.model().evaluate(none))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.MISSING_ROLE));
    }

    @Test
    void refusesASingleClassAndATrainingPartWithoutFails() {
        var allPass = new String[shots.rows()];
        Arrays.fill(allPass, "Y");
        var one = new Frame(shots.features(), shots.x(), null, shots.times(), allPass);
        assertThatThrownBy(() -> GBM.train(one, GBM.defaults(), 1)).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(QualityError.ONE_CLASS);
            assertThat(e.getMessage()).contains("MAX-MODEL-401").contains("the data").contains("\"Y\"");
        });
        var lateFails = allPass.clone();
        lateFails[9_990] = "N";
        var late = new Frame(shots.features(), shots.x(), null, shots.times(), lateFails);
        assertThatThrownBy(() -> GBM.train(late, GBM.defaults(), 1))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.getMessage()).contains("MAX-MODEL-401").contains("the training part"));
    }

    @Test
    void refusesTooFewShots() {
        var few = shots.select(new int[] {0, 1, 2, 3, 4});
        assertThatThrownBy(() -> LOGISTIC.train(few, LOGISTIC.defaults(), 1))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.TOO_LITTLE_DATA));
    }

    @Test
    void averagePrecisionAndRecallAtPrecisionFollowTheirDefinitions() {
        double[] score = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
        boolean[] fail = {true, false, true, false, false, true};
        // points: (P 1, R 1/3), (1/2, 1/3), (2/3, 2/3), (1/2, 2/3), (2/5, 2/3), (1/2, 1)
        assertThat(Ranking.averagePrecision(score, fail)).isCloseTo(1.0 / 3 + 2.0 / 3 / 3 + 0.5 / 3, within(1e-12));
        assertThat(Ranking.recallAtPrecision(score, fail, 0.9)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Ranking.recallAtPrecision(score, fail, 0.6)).isCloseTo(2.0 / 3, within(1e-12));
        // ROC-AUC: of the 9 fail/pass pairs the fail scores higher in 3 + 2 + 0 = 5
        assertThat(Ranking.rocAuc(score, fail)).isCloseTo(5.0 / 9, within(1e-12));
        var chosen = Ranking.choose(score, fail, 0.6);
        assertThat(chosen.threshold()).isEqualTo(0.7);
        assertThat(chosen.recall()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void withoutAThresholdReachingTheTargetTheAlarmTakesBestF1AtTwiceTheBaseRateOrNeverSounds() {
        double[] score = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0};
        boolean[] useful = {false, true, false, true, false, false, false, false, false, false};
        var chosen = Ranking.choose(score, useful, 0.9);
        assertThat(chosen.threshold()).isEqualTo(0.6);
        assertThat(chosen.recall()).isEqualTo(1.0);
        boolean[] useless = {false, false, false, false, false, false, false, false, true, true};
        var never = Ranking.choose(score, useless, 0.9);
        assertThat(never.threshold()).isInfinite();
        assertThat(Ranking.at(score, useless, never.threshold()).alarms()).isZero();
    }

    @Test
    void tiedScoresAlarmTogether() {
        double[] score = {0.5, 0.5, 0.5, 0.1};
        boolean[] fail = {true, false, false, false};
        assertThat(Ranking.curve(score, fail)).hasSize(2);
        assertThat(Ranking.averagePrecision(score, fail)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Ranking.rocAuc(score, fail)).isCloseTo((2 * 0.5 + 1) / 3.0, within(1e-12));
    }

    @Test
    void bothTypesAreListedAmongTheStandardModels() {
        assertThat(StandardModels.byId("quality-gbm").titleEn()).contains("boosted");
        assertThat(StandardModels.byId("quality-logistic").titleEn()).contains("logistic");
        assertThat(StandardModels.byId("quality-logistic").defaults().asMap()).containsKeys("l2", "balanced", "precision_target");
    }
}
