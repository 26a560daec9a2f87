package kr.max.factory.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.max.core.AssetPath;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.DataType;
import kr.max.factory.assets.Tag;
import kr.max.factory.assets.TagPath;
import org.junit.jupiter.api.Test;

/** What a connector sees of the demo line: which tags, when, in what order, encoded how. */
class LineSimulatorTest {

    static final AssetModel DEMO = AssetModel.demoLine();

    @Test
    void everyTagOfTheDemoLineSamplesAtItsPeriodFromTheStart() {
        var sim = LineSimulator.create(DEMO, 1);
        var samples = new ArrayList<Sample>();
        sim.addListener(samples::add);
        assertThat(sim.latest(sim.tags().getFirst())).isEmpty();

        sim.advance(Duration.ofSeconds(10));

        assertThat(sim.tags()).containsExactlyElementsOf(DEMO.tags().stream().map(Tag::path).toList());
        assertThat(sim.now()).isEqualTo(SimulationSettings.DEFAULT_START.plusSeconds(10));
        assertThat(sim.steps()).isEqualTo(1000);
        for (Tag t : DEMO.tags()) {
            List<Sample> own = samples.stream().filter(s -> s.tag().equals(t.path())).toList();
            int period = t.spec().sampleMillis();
            assertThat(own).as(t.path().toString()).hasSize(10_000 / period);
            assertThat(own.getFirst().time()).isEqualTo(SimulationSettings.DEFAULT_START.plusMillis(period));
            assertThat(sim.latest(t.path())).contains(own.getLast());
        }
    }

    @Test
    void samplesComeInTimeOrderAndEachEquipmentNumbersItsOwn() {
        var sim = LineSimulator.create(DEMO, 2);
        var samples = new ArrayList<Sample>();
        sim.addListener(samples::add);
        sim.advance(Duration.ofSeconds(5));

        Map<AssetPath, Long> last = new HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (i > 0) assertThat(s.time()).isAfterOrEqualTo(samples.get(i - 1).time());
            long previous = last.getOrDefault(s.tag().equipment(), 0L);
            assertThat(s.sequence()).isEqualTo(previous + 1);
            last.put(s.tag().equipment(), s.sequence());
            assertThat(s.quality()).isEqualTo(Quality.GOOD);
        }
        assertThat(last).hasSize(4);
    }

    @Test
    void valuesAreEncodedAsTheirTagsDataTypeAndRegisterScale() {
        var sim = LineSimulator.create(DEMO, 3);
        var samples = new ArrayList<Sample>();
        sim.addListener(samples::add);
        sim.advance(Duration.ofSeconds(30));

        for (Sample s : samples) {
            var spec = DEMO.tag(s.tag()).orElseThrow().spec();
            if (spec.type() == DataType.BOOL) {
                assertThat(s.value()).isIn(0.0, 1.0);
            } else if (spec.modbus() != null) {
                // whole numbers of the register's scale, written as short decimals: 230.4, not 230.40000000000003
                BigDecimal raw = BigDecimal.valueOf(s.value()).divide(BigDecimal.valueOf(spec.modbus().scale()));
                assertThat(raw.stripTrailingZeros().scale()).as(s.toString()).isLessThanOrEqualTo(0);
            }
        }
    }

    @Test
    void valueTheRegisterCannotHoldIsClampedAndMarkedUncertain() {
        String yaml = DEMO.text().replace("max_rate_per_s: 0.5\n        modbus: { table: input, address: 0, scale: 0.1 }",
                "max_rate_per_s: 0.5\n        modbus: { table: input, address: 0, scale: 0.001 }");
        assertThat(yaml).isNotEqualTo(DEMO.text());
        var sim = LineSimulator.create(AssetModel.parse(yaml, "tiny-scale.yaml"), 4);
        sim.advance(Duration.ofSeconds(1));
        var melt = TagPath.parse("changwon/molding/line-1/molding-cell/MLT-01/melt-temperature");
        Sample s = sim.latest(melt).orElseThrow();
        assertThat(s.quality()).isEqualTo(Quality.UNCERTAIN);
        assertThat(s.value()).isEqualTo(32.767);          // 32767 × 0.001: the most an int16 holds
    }

    @Test
    void equipmentWithoutASimulationModelProducesNothingAndCannotBeWritten() {
        String yaml = DEMO.text().replace("    model: press\n", "");
        var model = AssetModel.parse(yaml, "no-press-model.yaml");
        var sim = LineSimulator.create(model, 5);
        var samples = new ArrayList<Sample>();
        sim.addListener(samples::add);
        sim.advance(Duration.ofSeconds(2));

        var press = AssetPath.parse("changwon/molding/line-1/press-cell/PRS-01");
        assertThat(samples).noneMatch(s -> s.tag().equipment().equals(press));
        assertThat(sim.tags()).noneMatch(t -> t.equipment().equals(press));
        var e = catchThrowableOfType(MaxException.class,
                () -> sim.write(new TagPath(press, "strokes-per-minute-setpoint"), 20));
        assertThat(e.code()).isEqualTo(FactoryError.NOT_SIMULATED);
    }
}
