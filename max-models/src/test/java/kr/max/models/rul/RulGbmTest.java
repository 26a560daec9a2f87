package kr.max.models.rul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.models.Frame;
import kr.max.models.ModelError;
import kr.max.models.Params;
import kr.max.models.StandardModels;
import kr.max.models.TrainedModel;
import kr.max.models.Training;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RulGbmTest {

    private static final RulGbm TYPE = new RulGbm();
    /** Fewer rounds than the default keep the tests quick; the data is clean enough for them. */
    private static final Params QUICK = TYPE.defaults().with(Map.of("rounds", 150, "eta", 0.08, "threads", 1), RulGbm.ID);

    private static Training oneRegime;
    private static Frame oneRegimeTest;

    @BeforeAll
    static void trainOnce() {
        oneRegime = TYPE.train(new DegradationData(40, 1, 1).runToFailure(), QUICK, 7);
        oneRegimeTest = new DegradationData(30, 1, 2).cutWithLabels();
    }

    private static double[] lastLabels(Frame f) {
        return f.byAsset().values().stream().mapToDouble(idx -> Double.parseDouble(f.labels()[idx[idx.length - 1]])).toArray();
    }

    /** RMSE of the best constant guess: the mean of the truth itself. */
    private static double constantGuessRmse(double[] truth) {
        double mean = Arrays.stream(truth).average().orElseThrow();
        return Math.sqrt(Arrays.stream(truth).map(t -> (t - mean) * (t - mean)).average().orElseThrow());
    }

    @Test
    void isAStandardModelThatNeedsAssetAndTimestamp() {
        assertThat(StandardModels.byId("rul-gbm")).isInstanceOf(RulGbm.class);
        assertThat(TYPE.requires()).containsExactly(ColumnRole.ASSET, ColumnRole.TIMESTAMP);
        assertThat(TYPE.defaults().asMap()).containsEntry("window", 30).containsEntry("rul_cap", 125).containsEntry("alarm_below", 20);
    }

    @Test
    void predictsFarBetterThanTheBestConstantGuessOnUnitsItHasNotSeen() {
        var metrics = oneRegime.model().evaluate(oneRegimeTest);
        double baseline = constantGuessRmse(lastLabels(oneRegimeTest));

        assertThat(metrics.get("units")).isEqualTo(30);
        assertThat(metrics.get("rmse")).isLessThan(0.5 * baseline);
        assertThat(metrics.get("nasa_score")).isPositive();
        assertThat(oneRegime.metrics().get("rmse")).as("held-out units of the training data").isLessThan(0.6 * baseline);
    }

    @Test
    void predictsOneRowPerUnitForItsLastCycle() {
        var p = oneRegime.model().predict(oneRegimeTest);

        assertThat(p.columns()).containsExactly("unit", "rul");
        assertThat(p.rows()).hasSize(30);
        assertThat(p.rows().get(0)[0]).isEqualTo("t1");
        assertThat(p.rows()).allSatisfy(r -> assertThat((Double) r[1]).isBetween(0.0, 140.0));
    }

    @Test
    void findsTheOperatingRegimesAndNormalizingPerRegimeMatters() {
        var train = new DegradationData(40, 6, 3).runToFailure();
        var test = new DegradationData(30, 6, 4).cutWithLabels();

        var normalized = TYPE.train(train, QUICK, 7);
        var raw = TYPE.train(train, QUICK.with(Map.of("settings", "none"), RulGbm.ID), 7);
        double withRegimes = normalized.model().evaluate(test).get("rmse");
        double without = raw.model().evaluate(test).get("rmse");

        assertThat(((RulModel) normalized.model()).regimes().count()).isEqualTo(6);
        assertThat(((RulModel) raw.model()).regimes().count()).isEqualTo(1);
        assertThat(normalized.card().data()).contains("6 operating regime(s)");
        assertThat(withRegimes).isLessThan(0.5 * constantGuessRmse(lastLabels(test)));
        assertThat(withRegimes).isLessThan(0.8 * without);
    }

    @Test
    void findsOneRegimeWhenThereIsOne() {
        assertThat(((RulModel) oneRegime.model()).regimes().count()).isEqualTo(1);
        assertThat(oneRegime.card().data()).contains("1 operating regime(s)").contains("capped at 125").contains("window 30");
    }

    @Test
    void dropsConstantSensors() {
        var kept = RulFit.names(oneRegimeTest, ((RulModel) oneRegime.model()).kept());
        assertThat(kept).doesNotContain("s11").contains("s1", "s8");
    }

    @Test
    void namedSettingsAreClusteredOnAndNotUsedAsSensors() {
        var t = TYPE.train(new DegradationData(30, 6, 5).runToFailure(),
                QUICK.with(Map.of("settings", "setting1, setting2,setting3", "refit", false), RulGbm.ID), 3);
        var m = (RulModel) t.model();

        assertThat(m.regimes().count()).isEqualTo(6);
        assertThat(RulFit.names(oneRegimeTest, m.kept())).noneMatch(n -> n.startsWith("setting"));
    }

    @Test
    void aStoredModelPredictsExactlyTheSame() {
        var model = oneRegime.model();
        byte[] bytes = model.toBytes();
        TrainedModel back = TYPE.read(bytes);

        assertThat(back.type()).isEqualTo("rul-gbm");
        assertThat(back.features()).isEqualTo(model.features());
        assertThat(back.predict(oneRegimeTest).rows()).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(model.predict(oneRegimeTest).rows());
        assertThat(back.toBytes()).isEqualTo(bytes);
    }

    @Test
    void theSameDataParametersAndSeedGiveTheSameModel() {
        var data = new DegradationData(12, 1, 8).runToFailure();
        var once = TYPE.train(data, QUICK.with(Map.of("rounds", 30), RulGbm.ID), 5);
        var again = TYPE.train(data, QUICK.with(Map.of("rounds", 30), RulGbm.ID), 5);

        assertThat(again.model().toBytes()).isEqualTo(once.model().toBytes());
        assertThat(again.metrics()).isEqualTo(once.metrics());
    }

    @Test
    void theScorerFollowingAStreamGivesWhatBatchPredictionGivesAtEachPoint() {
        var model = oneRegime.model();
        var unit = oneRegimeTest.byAsset().get("t3");
        var scorer = model.scorer();
        for (int n = 1; n <= unit.length; n++) {
            var score = scorer.score(oneRegimeTest.x()[unit[n - 1]]);
            if (n == 1 || n == 25 || n == unit.length) {
                double batch = (Double) model.predict(oneRegimeTest.select(Arrays.copyOf(unit, n))).rows().get(0)[1];
                assertThat(score.value()).as("after %d samples", n).isEqualTo(batch);
                assertThat(score.ready()).isTrue();
                assertThat(score.limit()).isEqualTo(20.0);
                assertThat(score.alarm()).isEqualTo(batch < 20);
            }
        }
    }

    @Test
    void theScorerAlarmsNearTheEndOfLife() {
        var data = new DegradationData(1, 1, 11).runToFailure();
        var scorer = oneRegime.model().scorer();
        Boolean alarmAtStart = null;
        boolean alarmAtEnd = false;
        for (var row : data.x()) {
            var s = scorer.score(row);
            if (alarmAtStart == null) alarmAtStart = s.alarm();
            alarmAtEnd = s.alarm();
        }
        assertThat(alarmAtStart).isFalse();
        assertThat(alarmAtEnd).isTrue();
    }

    @Test
    void learnsFromALabelColumnWhenThereIsOne() {
        var labelled = new DegradationData(30, 1, 12).cutWithLabels();
        var t = TYPE.train(labelled, QUICK.with(Map.of("refit", false), RulGbm.ID), 1);

        assertThat(t.model().evaluate(oneRegimeTest).get("rmse")).isLessThan(0.6 * constantGuessRmse(lastLabels(oneRegimeTest)));
    }

    @Test
    void evaluatesARunToFailureFrameByCuttingItsUnits() {
        var m = oneRegime.model().evaluate(new DegradationData(20, 1, 13).runToFailure());

        assertThat(m.on()).contains("cut at seeded random points");
        assertThat(m.get("units")).isEqualTo(20);
        assertThat(m.get("rmse")).isLessThan(30);
    }

    @Test
    void theCardStatesTheSplitCapAndLimitations() {
        var card = oneRegime.card();
        assertThat(card.split()).contains("8 of 40 units").contains("held out").contains("cycles of life remain");
        assertThat(card.limitationsEn()).anyMatch(l -> l.contains("last cycle"));
        assertThat(card.limitationsKo()).hasSameSizeAs(card.limitationsEn());
        assertThat(oneRegime.metrics().on()).contains("held-out 8 units");
    }

    @Test
    void refusesDataWithoutAnAssetColumn() {
        var f = oneRegimeTest;
        var noAssets = new Frame(f.features(), f.x(), null, f.times(), null);
        assertThatThrownBy(() -> TYPE.train(noAssets, QUICK, 1))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ModelError.MISSING_ROLE);
                    assertThat(e.getMessage()).contains("MAX-MODEL-010").contains("asset");
                });
    }

    @Test
    void refusesDataWithoutATimestampColumn() {
        var f = oneRegimeTest;
        var noTimes = new Frame(f.features(), f.x(), f.assets(), null, null);
        assertThatThrownBy(() -> oneRegime.model().predict(noTimes))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.MISSING_ROLE));
    }

    @Test
    void refusesTooFewUnits() {
        var four = new DegradationData(4, 1, 1).runToFailure();
        assertThatThrownBy(() -> TYPE.train(four, QUICK, 1))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ModelError.TOO_LITTLE_DATA);
                    assertThat(e.getMessage()).contains("MAX-MODEL-011").contains("4").contains("5");
                });
    }

    @Test
    void refusesALabelThatIsNoNumberOfCycles() {
        var f = new DegradationData(6, 1, 1).cutWithLabels();
        var labels = f.labels().clone();
        labels[17] = "soon";
        var bad = new Frame(f.features(), f.x(), f.assets(), f.times(), labels);
        assertThatThrownBy(() -> TYPE.train(bad, QUICK, 1))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ModelError.UNREADABLE_LABEL);
                    assertThat(e.getMessage()).contains("MAX-MODEL-012").contains("soon");
                });
        labels[17] = "-3";
        var negative = new Frame(f.features(), f.x(), f.assets(), f.times(), labels);
        assertThatThrownBy(() -> oneRegime.model().evaluate(negative))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.UNREADABLE_LABEL));
    }

    @Test
    void refusesDataWithOtherFeatures() {
        var f = oneRegimeTest;
        var renamed = new java.util.ArrayList<>(f.features());
        renamed.set(4, "other");
        var other = new Frame(renamed, f.x(), f.assets(), f.times(), null);
        assertThatThrownBy(() -> oneRegime.model().predict(other))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.FEATURES_DIFFER));
    }

    @Test
    void refusesBadParameters() {
        assertThatThrownBy(() -> TYPE.train(oneRegimeTest, QUICK.with(Map.of("window", 1), RulGbm.ID), 1))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> TYPE.train(oneRegimeTest, QUICK.with(Map.of("settings", "nozzle"), RulGbm.ID), 1))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ModelError.BAD_PARAMETER);
                    assertThat(e.getMessage()).contains("nozzle");
                });
        assertThatThrownBy(() -> QUICK.with(Map.of("windw", 20), RulGbm.ID))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.UNKNOWN_PARAMETER));
    }

    @Test
    void refusesDamagedOrForeignBytes() {
        var bytes = oneRegime.model().toBytes();
        for (var damaged : List.of(Arrays.copyOf(bytes, bytes.length / 2), "not a model".getBytes(), new byte[0])) {
            assertThatThrownBy(() -> TYPE.read(damaged))
                    .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.UNREADABLE_MODEL));
        }
    }

    @Test
    void toleratesMissingValuesByCarryingTheLastOneForward() {
        var f = oneRegimeTest;
        var x = new double[f.rows()][];
        for (int i = 0; i < x.length; i++) x[i] = f.x()[i].clone();
        x[f.byAsset().get("t2")[5]][4] = Double.NaN;
        var withGap = new Frame(f.features(), x, f.assets(), f.times(), f.labels());
        var rul = new HashMap<Object, Object>();
        for (var r : oneRegime.model().predict(withGap).rows()) rul.put(r[0], r[1]);
        assertThat(rul.values()).allSatisfy(v -> assertThat((Double) v).isFinite());
    }
}
