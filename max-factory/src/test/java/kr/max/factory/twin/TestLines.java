package kr.max.factory.twin;

import java.util.ArrayList;
import java.util.List;
import kr.max.core.AssetPath;
import kr.max.factory.assets.AssetModel;

/** Small lines for tests: equipment types taken from the demo line, one equipment each, with chosen parameters. */
final class TestLines {

    static final String CELL = "changwon/molding/line-1/test-cell/";
    static final AssetPath IMM = AssetPath.parse(CELL + "IMM-01");
    static final AssetPath CNC = AssetPath.parse(CELL + "CNC-01");
    static final AssetPath PRS = AssetPath.parse(CELL + "PRS-01");
    static final AssetPath MLT = AssetPath.parse(CELL + "MLT-01");

    /** One piece of equipment: id, demo type, parameters as YAML flow mapping content (may be empty). */
    record Unit(String id, String type, String parameters) {
    }

    static Unit imm(String parameters) {
        return new Unit("IMM-01", "injection-molding-machine", parameters);
    }

    static Unit cnc(String parameters) {
        return new Unit("CNC-01", "cnc-machining-center", parameters);
    }

    static Unit press(String parameters) {
        return new Unit("PRS-01", "mechanical-press", parameters);
    }

    static Unit tank(String parameters) {
        return new Unit("MLT-01", "melting-tank", parameters);
    }

    static AssetModel line(Unit... units) {
        String demo = AssetModel.demoLine().text();
        var y = new StringBuilder("enterprise: { id: hanbit, name: { ko: 한빛정밀, en: Hanbit Precision } }\n");
        y.append("equipment_types:\n");
        var done = new ArrayList<String>();
        for (Unit u : units) {
            if (done.contains(u.type())) continue;
            done.add(u.type());
            int from = demo.indexOf("  - id: " + u.type() + "\n");
            int next = demo.indexOf("\n  - id: ", from + 1);
            int sites = demo.indexOf("\nsites:", from);
            int to = next < 0 ? sites : Math.min(next, sites);
            y.append(demo, from, to).append('\n');
        }
        y.append("""
                sites:
                  - id: changwon
                    name: { ko: 창원공장, en: Changwon plant }
                    areas:
                      - id: molding
                        name: { ko: 성형동, en: Molding area }
                        lines:
                          - id: line-1
                            name: { ko: 1라인, en: Line 1 }
                            cells:
                              - id: test-cell
                                name: { ko: 시험 셀, en: Test cell }
                                equipment:
                """);
        for (Unit u : units) {
            y.append("                  - id: ").append(u.id()).append('\n');
            y.append("                    name: { ko: ").append(u.id()).append(", en: ").append(u.id()).append(" }\n");
            y.append("                    type: ").append(u.type()).append('\n');
            if (!u.parameters().isBlank()) y.append("                    parameters: { ").append(u.parameters()).append(" }\n");
        }
        return AssetModel.parse(y.toString(), "test-line.yaml");
    }

    /** Collects samples, optionally of some tags only. */
    static final class Recorder implements SampleListener {
        final List<Sample> samples = new ArrayList<>();

        @Override
        public void onSample(Sample s) {
            samples.add(s);
        }

        List<Sample> of(AssetPath equipment, String tag) {
            return samples.stream().filter(s -> s.tag().equipment().equals(equipment) && s.tag().tag().equals(tag)).toList();
        }

        double[] values(AssetPath equipment, String tag) {
            return of(equipment, tag).stream().mapToDouble(Sample::value).toArray();
        }
    }

    static kr.max.factory.assets.TagPath tag(AssetPath equipment, String tag) {
        return new kr.max.factory.assets.TagPath(equipment, tag);
    }

    static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s / (to - from);
    }

    private TestLines() {
    }
}
