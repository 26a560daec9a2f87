package kr.max.factory.alarms;

import static kr.max.factory.alarms.AlarmLines.CNC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.max.core.AssetPath;
import kr.max.core.MaxException;
import kr.max.factory.alarms.AlarmEvent.Change;
import kr.max.factory.assets.Tag;
import kr.max.factory.twin.Fault;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Sample;
import kr.max.models.Frame;
import kr.max.models.Training;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bearing-defect alarm: a PCA detector trained on twenty minutes of the spindle's normal operation (seed 7)
 * watches another spindle (seed 11). A spall grows on its outer race — severity doubling every minute from 0.01, as
 * the twin's fault command replaces the defect — and the model alarm must sound before any vibration tag reaches
 * its fixed HI limit. The same run without the defect must stay quiet.
 */
class BearingDefectAlarmTest {

    static final Duration RUN = Duration.ofMinutes(12);
    static final Duration FAULT_AT = Duration.ofMinutes(2);
    static final String MODEL_ALARM = CNC + "/spindle-vibration:model";

    static Frame normal;
    static Training trained;

    @BeforeAll
    static void trainOnNormalOperation() {
        var sim = LineSimulator.create(AlarmLines.cncLine(""), 7);
        normal = NormalOperation.record(sim, CNC, SpindleVibrationFeatures.standard(), Duration.ofMinutes(20));
        trained = NormalOperation.train(normal, "pca-detector", Map.of(), 7);
    }

    /** One run of the watched spindle: its alarms' events and every sample. */
    record Run(LineSimulator sim, AlarmService alarms, ModelWatch watch, List<AlarmEvent> events, List<Sample> samples,
            Instant faultAt) {

        static Run of(long seed, boolean growingSpall) {
            var sim = LineSimulator.create(AlarmLines.cncLine(""), seed);
            var alarms = AlarmService.create(sim.model());
            var watch = ModelWatch.of("spindle-vibration", CNC, SpindleVibrationFeatures.standard(), trained.model(),
                    NormalOperation.reference(trained, normal, 7), 3);
            alarms.watch(watch);
            var events = new ArrayList<AlarmEvent>();
            var samples = new ArrayList<Sample>();
            alarms.addListener(events::add);
            sim.addListener(samples::add);
            sim.addListener(alarms);
            Instant faultAt = sim.settings().start().plus(FAULT_AT);
            if (growingSpall) {
                double severity = 0.01;
                for (Instant t = faultAt; t.isBefore(sim.settings().start().plus(RUN)); t = t.plus(Duration.ofMinutes(1))) {
                    var defect = Fault.bearingDefect(CNC, Math.min(1, severity));
                    sim.at(t, s -> s.inject(defect));
                    severity *= 2;
                }
            }
            sim.advance(RUN);
            return new Run(sim, alarms, watch, events, samples, faultAt);
        }

        List<AlarmEvent> raised(AlarmKind kind) {
            return events.stream().filter(e -> e.change() == Change.RAISED && e.alarm().kind() == kind).toList();
        }
    }

    /** The spindle's vibration tags that have a HI limit: RMS acceleration and velocity, kurtosis, crest, envelopes. */
    static List<Tag> vibrationTagsWithHi(LineSimulator sim) {
        return sim.model().tags(CNC).stream()
                .filter(t -> t.spec().alarms().hi() != null)
                .filter(t -> t.path().tag().startsWith("vibration-") || t.path().tag().startsWith("envelope-"))
                .toList();
    }

    @Test
    void bearingDefectRaisesTheModelAlarmBeforeAnyVibrationLimit() {
        Run run = Run.of(11, true);

        List<AlarmEvent> model = run.raised(AlarmKind.MODEL);
        assertThat(model).as("the model alarm").isNotEmpty();
        AlarmEvent first = model.get(0);
        Instant at = first.time();
        assertThat(at).isAfter(run.faultAt());
        // early: while the spall is still small (severity at most 0.04, the first three minutes)
        assertThat(at).isBefore(run.faultAt().plus(Duration.ofMinutes(3)));

        // at that moment no vibration tag has reached its fixed HI limit, and none ever had
        var tags = vibrationTagsWithHi(run.sim());
        assertThat(tags).extracting(t -> t.path().tag()).contains("vibration-acceleration-rms", "vibration-velocity-rms",
                "vibration-kurtosis", "envelope-bpfo");
        for (Tag tag : tags) {
            assertThat(run.samples()).filteredOn(s -> s.tag().equals(tag.path()) && !s.time().isAfter(at))
                    .as(tag.path().tag() + " up to the model alarm").isNotEmpty()
                    .allMatch(s -> s.value() < tag.spec().alarms().hi());
        }
        // limit alarms come later, or never
        var limits = run.events().stream().filter(e -> e.change() == Change.RAISED && e.alarm().kind() != AlarmKind.MODEL).toList();
        assertThat(limits).allMatch(e -> e.time().isAfter(at));
        assertThat(limits).as("the spall grows until the fixed limits see it too")
                .extracting(e -> e.alarm().source()).contains(AlarmLines.tag("vibration-kurtosis").toString());

        Alarm alarm = first.alarm();
        assertThat(alarm.id()).isEqualTo(MODEL_ALARM);
        assertThat(alarm.priority()).isEqualTo(AlarmPriority.MEDIUM);
        assertThat(alarm.valueAtRaise()).isGreaterThan(alarm.limit());
        assertThat(alarm.model()).startsWith("pca-detector (normal operation, 240 windows, seed 7)");
        assertThat(alarm.message(Locale.KOREAN)).startsWith("CNC 머시닝센터 1호기 베어링·진동 모델: 모델 pca-detector");
        assertThat(alarm.message(Locale.ENGLISH)).startsWith("CNC machining centre 1 bearing and vibration model: abnormal by model");
        assertThat(run.alarms().active()).extracting(Alarm::id).contains(MODEL_ALARM);
    }

    @Test
    void noFaultRunOfEqualLengthRaisesNoModelAlarm() {
        Run run = Run.of(11, false);

        assertThat(run.watch().lastScore()).as("the watch scored the stream").isPresent();
        assertThat(run.watch().lastScore().orElseThrow().time()).isAfter(run.sim().now().minusSeconds(10));
        assertThat(run.raised(AlarmKind.MODEL)).isEmpty();
        assertThat(run.events()).as("no alarm of any kind").isEmpty();
        assertThat(run.alarms().alarm(MODEL_ALARM).state()).isEqualTo(AlarmState.NORMAL);
    }

    @Test
    void modelAlarmClearsWhenTheDefectIsRepaired() {
        var sim = LineSimulator.create(AlarmLines.cncLine(""), 12);
        var alarms = AlarmService.create(sim.model());
        alarms.watch(ModelWatch.of("spindle-vibration", CNC, SpindleVibrationFeatures.standard(), trained.model(), "pca", 3));
        sim.addListener(alarms);
        sim.advance(Duration.ofMinutes(1));
        var defect = sim.inject(Fault.bearingDefect(CNC, 0.05));
        sim.advance(Duration.ofMinutes(1));
        assertThat(alarms.alarm(MODEL_ALARM).state()).isEqualTo(AlarmState.UNACKNOWLEDGED);
        alarms.acknowledge(MODEL_ALARM, "kim", "bearing replacement ordered");
        sim.clear(defect);
        sim.advance(Duration.ofMinutes(1));
        assertThat(alarms.alarm(MODEL_ALARM).state()).isEqualTo(AlarmState.NORMAL);
        assertThat(alarms.history()).filteredOn(e -> e.alarm().id().equals(MODEL_ALARM)).extracting(AlarmEvent::change)
                .containsExactly(Change.RAISED, Change.ACKNOWLEDGED, Change.RETURNED_TO_NORMAL);
    }

    @Test
    void watchesThatDoNotFitTheModelOrTheLineAreRefused() {
        var sim = LineSimulator.create(AlarmLines.cncLine(""), 13);
        var alarms = AlarmService.create(sim.model());
        var power = new FeatureExtractor() {
            @Override
            public List<String> inputs() {
                return List.of("spindle-power");
            }

            @Override
            public List<String> names() {
                return List.of("mean_power");
            }

            @Override
            public int windowRows() {
                return 5;
            }

            @Override
            public double[] features(double[][] rows) {
                double s = 0;
                for (double[] r : rows) s += r[0];
                return new double[] {s / rows.length};
            }
        };
        assertThatThrownBy(() -> ModelWatch.of("power", CNC, power, trained.model(), "pca", 3))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(AlarmError.MODEL_FEATURES_DIFFER));
        var elsewhere = AssetPath.parse("changwon/molding/line-1/machining-cell/CNC-99");
        assertThatThrownBy(() -> alarms.watch(ModelWatch.of("spindle-vibration", elsewhere, SpindleVibrationFeatures.standard(),
                trained.model(), "pca", 3)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.message(Locale.ENGLISH))
                        .startsWith("MAX-ALARM-020").contains("CNC-99"));
        var missingTag = new FeatureExtractor() {
            @Override
            public List<String> inputs() {
                return List.of("spindle-power", "oil-pressure");
            }

            @Override
            public List<String> names() {
                return List.of("x");
            }

            @Override
            public int windowRows() {
                return 1;
            }

            @Override
            public double[] features(double[][] rows) {
                return new double[] {rows[0][0]};
            }
        };
        assertThatThrownBy(() -> alarms.watch(ModelWatch.of("oil", CNC, missingTag, (kr.max.models.Scorer) null, "none", 1)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.message(Locale.ENGLISH))
                        .startsWith("MAX-ALARM-021").contains("oil-pressure").contains("spindle-power"));
        alarms.watch(ModelWatch.of("spindle-vibration", CNC, SpindleVibrationFeatures.standard(), trained.model(), "pca", 3));
        assertThatThrownBy(() -> alarms.watch(ModelWatch.of("spindle-vibration", CNC, SpindleVibrationFeatures.standard(),
                trained.model(), "pca", 3)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(AlarmError.DUPLICATE_WATCH));
        assertThatThrownBy(() -> NormalOperation.record(sim, CNC, SpindleVibrationFeatures.standard(), Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.message(Locale.ENGLISH))
                        .startsWith("MAX-ALARM-023").contains("gave 6 windows"));
    }
}
