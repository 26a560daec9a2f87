package kr.max.models.vibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import kr.max.core.MaxException;
import kr.max.models.Frame;
import kr.max.models.ModelError;
import kr.max.models.Params;
import kr.max.models.Scorer;
import kr.max.models.StandardModels;
import kr.max.models.Training;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VibrationDiagnosisTest {

    static final List<String> KINDS = List.of("N", "IR", "OR", "B");
    static final int SAMPLES = 48_000;   // 4 s per record at 12 kHz

    static final VibrationDiagnosis TYPE = new VibrationDiagnosis();
    static Frame frame;
    static Training training;

    @BeforeAll
    static void trainOnce() {
        frame = SyntheticBearing.frame(KINDS, SAMPLES, 1);
        training = TYPE.train(frame, TYPE.defaults(), 42);
    }

    private static Params params(Map<String, Object> overrides) {
        return TYPE.defaults().with(overrides, TYPE.id());
    }

    @Test
    void characteristicFrequenciesOfTheCwruBearingMatchItsPublishedMultiplesOfShaftSpeed() {
        var b = SyntheticBearing.CWRU;
        assertThat(b.bpfi() / b.shaftHz()).isCloseTo(5.4152, within(5e-4));
        assertThat(b.bpfo() / b.shaftHz()).isCloseTo(3.5848, within(5e-4));
        assertThat(b.ftf() / b.shaftHz()).isCloseTo(0.39828, within(5e-4));
        assertThat(2 * b.bsf() / b.shaftHz()).isCloseTo(4.7135, within(5e-4));
    }

    @Test
    void classifiesImpactTrainsAtDifferentDefectFrequenciesOnTheLaterPartOfEachRecord() {
        var m = training.metrics();
        assertThat(m.on()).contains("time split");
        assertThat(m.get("windows")).isGreaterThan(150);
        assertThat(m.get("accuracy")).isGreaterThanOrEqualTo(0.95);
        for (var c : List.of("Normal", "IR", "OR", "B")) assertThat(m.get("recall." + c)).as(c).isGreaterThanOrEqualTo(0.9);
        assertThat(training.card().split()).contains("first 50 %").contains("no window crosses the cut");
        assertThat(training.card().data()).contains("BPFI 162.2 Hz");
    }

    @Test
    void theEnvelopeSpectrumStandsOutAtTheDefectsOwnFrequency() {
        var c = VibrationConfig.of(TYPE.defaults());
        var names = WindowFeatures.names(c, List.of("a"));
        var f = new WindowFeatures(c);
        var ir = new double[names.size()];
        var or = new double[names.size()];
        f.compute(SyntheticBearing.signal("IR", 2048, 5), ir, 0);
        f.compute(SyntheticBearing.signal("OR", 2048, 5), or, 0);
        int bpfi = names.indexOf("a.envelope_bpfi_1"), bpfo = names.indexOf("a.envelope_bpfo_1");
        assertThat(ir[bpfi]).isGreaterThan(ir[bpfo] + 0.3);
        assertThat(or[bpfo]).isGreaterThan(or[bpfi] + 0.3);
    }

    @Test
    void noTrainingWindowStraddlesTheCutAndTestWindowsStartAtIt() {
        var records = frame.byAsset();
        var train = Windows.of(records, 2048, 512, Windows.Part.TRAIN, 0.5);
        var test = Windows.of(records, 2048, 512, Windows.Part.TEST, 0.5);
        for (var w : train) assertThat(w.start() + 2048).isLessThanOrEqualTo(SAMPLES / 2);
        for (var w : test) assertThat(w.start()).isGreaterThanOrEqualTo(SAMPLES / 2);
        assertThat(test).allSatisfy(w -> assertThat(w.start() + 2048).isLessThanOrEqualTo(SAMPLES));
    }

    @Test
    void theScorerFedOneSampleAtATimeGivesTheBatchPredictionOfEachWindow() {
        var model = training.model();
        var predictions = model.predict(frame);
        assertThat(predictions.columns()).containsExactly("asset", "start", "end", "predicted", "probability");
        var rows = frame.byAsset().get("rig-IR");
        var expected = predictions.rows().stream().filter(r -> r[0].equals("rig-IR")).toList();
        var scorer = model.scorer();
        var ready = new ArrayList<Scorer.Score>();
        int notReady = 0;
        for (int i : rows) {
            var s = scorer.score(frame.x()[i]);
            if (s.ready()) ready.add(s);
            else notReady++;
        }
        assertThat(ready).hasSize(expected.size());
        assertThat(notReady).isEqualTo(SAMPLES - expected.size());
        for (int w = 0; w < ready.size(); w++) {
            assertThat(ready.get(w).label()).isEqualTo(expected.get(w)[3]);
            assertThat(ready.get(w).value()).isCloseTo((double) expected.get(w)[4], within(1e-6));
        }
        assertThat(ready).allSatisfy(s -> assertThat(s.alarm()).isEqualTo(!s.label().equals("Normal")));
    }

    @Test
    void aScorerIsNotReadyUntilItsFirstWindowIsFull() {
        var scorer = training.model().scorer();
        for (int i = 0; i < 2047; i++) assertThat(scorer.score(new double[] {0.01 * Math.sin(i)}).ready()).isFalse();
        assertThat(scorer.score(new double[] {0}).ready()).isTrue();
        for (int i = 0; i < 511; i++) assertThat(scorer.score(new double[] {0}).ready()).isFalse();
        assertThat(scorer.score(new double[] {0}).ready()).isTrue();
    }

    @Test
    void aStoredModelReadsBackAndPredictsTheSame() {
        var model = training.model();
        var back = StandardModels.byId("vibration-gbm").read(model.toBytes());
        assertThat(back.type()).isEqualTo("vibration-gbm");
        assertThat(back.features()).containsExactly("acceleration");
        var a = model.predict(frame).rows();
        var b = back.predict(frame).rows();
        assertThat(b).hasSize(a.size());
        for (int i = 0; i < a.size(); i++) assertThat(b.get(i)).containsExactly(a.get(i));
        assertThat(back.evaluate(frame).values()).isEqualTo(model.evaluate(frame).values());
    }

    @Test
    void theSameDataParametersAndSeedGiveTheSameModel() {
        var small = SyntheticBearing.frame(List.of("N", "OR"), 12_000, 3);
        var p = params(Map.of("window", 1024, "step", 512, "rounds", 20));
        var a = TYPE.train(small, p, 7).model();
        var b = TYPE.train(small, p, 7).model();
        assertThat(b.toBytes()).isEqualTo(a.toBytes());
    }

    @Test
    void evaluationCountsEveryLabelledWindowAndNamesTheConfusion() {
        var m = training.model().evaluate(frame);
        long windows = KINDS.size() * ((SAMPLES - 2048) / 512 + 1);
        assertThat(m.get("windows")).isEqualTo((double) windows);
        double total = m.values().entrySet().stream().filter(e -> e.getKey().startsWith("confusion.")).mapToDouble(Map.Entry::getValue).sum();
        assertThat(total).isEqualTo((double) windows);
    }

    @Test
    void refusesDataWithoutALabelOrTime() {
        var noLabels = new Frame(frame.features(), frame.x(), frame.assets(), frame.times(), null);
        assertThatThrownBy(() -> TYPE.train(noLabels, TYPE.defaults(), 1)).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(ModelError.MISSING_ROLE);
            assertThat(e.getMessage()).contains("MAX-MODEL-010").contains("\"label\"");
        });
        var noTimes = new Frame(frame.features(), frame.x(), frame.assets(), null, frame.labels());
        assertThatThrownBy(() -> TYPE.train(noTimes, TYPE.defaults(), 1))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.getMessage()).contains("MAX-MODEL-010").contains("timestamp"));
    }

    @Test
    void refusesASingleClass() {
        var one = SyntheticBearing.frame(List.of("OR"), 12_000, 3);
        assertThatThrownBy(() -> TYPE.train(one, TYPE.defaults(), 1)).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(VibrationError.ONE_CLASS);
            assertThat(e.getMessage()).contains("MAX-MODEL-302").contains("\"OR\"");
        });
    }

    @Test
    void refusesRecordsTooShortForOneTrainingWindow() {
        var shortOnes = SyntheticBearing.frame(List.of("N", "OR"), 3000, 3);
        assertThatThrownBy(() -> TYPE.train(shortOnes, TYPE.defaults(), 1)).isInstanceOfSatisfying(MaxException.class, e -> {
            assertThat(e.code()).isEqualTo(VibrationError.NO_TRAINING_WINDOW);
            assertThat(e.getMessage()).contains("2048").contains("1500");
        });
    }

    @Test
    void refusesParametersOutOfRangeAndUnknownOnes() {
        assertThatThrownBy(() -> TYPE.train(frame, params(Map.of("step", 0)), 1))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.BAD_PARAMETER));
        assertThatThrownBy(() -> TYPE.train(frame, params(Map.of("band_spacing", "octave")), 1))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.getMessage()).contains("band_spacing"));
        assertThatThrownBy(() -> params(Map.of("windw", 1024)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.UNKNOWN_PARAMETER));
    }

    @Test
    void refusesAFrameWhoseChannelsDifferFromTraining() {
        var other = new Frame(List.of("velocity"), frame.x(), frame.assets(), frame.times(), frame.labels());
        assertThatThrownBy(() -> training.model().predict(other))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelError.FEATURES_DIFFER));
    }

    @Test
    void logSpacedBandsCoverTheSpectrumWithoutEmptyBands() {
        var c = VibrationConfig.of(params(Map.of("band_spacing", "log", "bands", 40)));
        var f = new WindowFeatures(c);
        var out = new double[WindowFeatures.perChannel(c)];
        var x = SyntheticBearing.signal("IR", 2048, 5);
        assertThat(f.compute(x, out, 0)).isEqualTo(out.length);
        assertThat(Arrays.stream(out).allMatch(Double::isFinite)).isTrue();
        assertThat(WindowFeatures.names(c, List.of("a"))).hasSize(out.length).doesNotHaveDuplicates();
    }
}
