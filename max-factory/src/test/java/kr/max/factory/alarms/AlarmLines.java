package kr.max.factory.alarms;

import kr.max.core.AssetPath;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.TagPath;

/** A line of one CNC machining centre, its type taken from the demo line, for the alarm tests. */
final class AlarmLines {

    static final AssetPath CNC = AssetPath.parse("changwon/molding/line-1/machining-cell/CNC-01");

    /** The demo line's CNC type and one machine of it; {@code parameters} as YAML flow mapping content, may be empty. */
    static AssetModel cncLine(String parameters) {
        String demo = AssetModel.demoLine().text();
        int from = demo.indexOf("  - id: cnc-machining-center\n");
        int to = demo.indexOf("\n  - id: ", from + 1);
        var y = new StringBuilder("enterprise: { id: hanbit, name: { ko: 한빛정밀, en: Hanbit Precision } }\nequipment_types:\n");
        y.append(demo, from, to).append('\n');
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
                              - id: machining-cell
                                name: { ko: 가공 셀, en: Machining cell }
                                equipment:
                                  - id: CNC-01
                                    name: { ko: CNC 머시닝센터 1호기, en: CNC machining centre 1 }
                                    type: cnc-machining-center
                """);
        if (!parameters.isBlank()) y.append("                    parameters: { ").append(parameters).append(" }\n");
        return AssetModel.parse(y.toString(), "alarm-test-line.yaml");
    }

    static TagPath tag(String id) {
        return new TagPath(CNC, id);
    }

    private AlarmLines() {
    }
}
