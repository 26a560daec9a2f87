package kr.max.factory.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import kr.max.core.AssetPath;
import org.junit.jupiter.api.Test;

class AssetModelTest {

    static final AssetPath IMM = AssetPath.parse("changwon/molding/line-1/molding-cell/IMM-01");

    @Test
    void demoLineHoldsTheChangwonPlantDownToItsFourMachines() {
        AssetModel m = AssetModel.demoLine();

        assertThat(m.enterpriseId()).isEqualTo("hanbit");
        assertThat(m.sites()).extracting(AssetNode::id).containsExactly("changwon");
        assertThat(m.sites().getFirst().name().ko()).isEqualTo("창원공장");
        assertThat(m.children(AssetPath.parse("changwon/molding/line-1"))).extracting(AssetNode::id)
                .containsExactly("molding-cell", "machining-cell", "press-cell");
        assertThat(m.children(AssetPath.parse("changwon/molding/line-1/molding-cell")))
                .extracting(AssetNode::id, AssetNode::level)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("IMM-01", Level.EQUIPMENT),
                        org.assertj.core.groups.Tuple.tuple("MLT-01", Level.EQUIPMENT));
        assertThat(m.equipment()).extracting(Equipment::id).containsExactly("IMM-01", "MLT-01", "CNC-01", "PRS-01");
        assertThat(m.equipmentUnder(AssetPath.parse("changwon/molding/line-1/machining-cell")))
                .extracting(Equipment::id).containsExactly("CNC-01");
    }

    @Test
    void equipmentIsFoundByTypeAndItsTagsByPath() {
        AssetModel m = AssetModel.demoLine();

        assertThat(m.equipmentOfType("injection-molding-machine")).extracting(Equipment::path).containsExactly(IMM);
        Equipment imm = m.equipment(IMM).orElseThrow();
        assertThat(m.typeOf(imm).model()).isEqualTo(SimulationModel.INJECTION_MOLDING);
        assertThat(imm.modbusUnit()).isEqualTo(1);

        Tag zone1 = m.tag(TagPath.parse(IMM + "/barrel-zone-1-temperature")).orElseThrow();
        assertThat(zone1.spec().unit()).isEqualTo("Cel");
        assertThat(Units.symbol(zone1.spec().unit())).isEqualTo("°C");
        assertThat(zone1.spec().name().in(Locale.KOREAN)).isEqualTo("배럴 1존 온도");
        assertThat(zone1.spec().name().in(Locale.ENGLISH)).isEqualTo("Barrel zone 1 temperature");
        assertThat(zone1.spec().alarms()).isEqualTo(new AlarmLimits(160.0, 180.0, 250.0, 270.0));
        assertThat(zone1.spec().modbus()).isEqualTo(new ModbusRegister(RegisterTable.INPUT, 0, 0.1));
        assertThat(zone1.spec().writable()).isFalse();

        Tag setpoint = m.tag(TagPath.parse(IMM + "/barrel-zone-1-setpoint")).orElseThrow();
        assertThat(setpoint.spec().writable()).isTrue();
        assertThat(setpoint.spec().role()).isEqualTo(TagRole.SETPOINT);
        assertThat(setpoint.spec().normal()).isEqualTo(new Range(150, 280));

        assertThat(m.tags(IMM)).hasSize(m.typeOf(imm).tags().size()).allMatch(t -> t.equipment().equals(IMM));
        assertThat(m.tags()).hasSize(m.equipment().stream().mapToInt(e -> m.typeOf(e).tags().size()).sum());
        assertThat(m.tag(TagPath.parse(IMM + "/no-such-tag"))).isEmpty();
    }

    @Test
    void keepsTheTextAsReadAndWritesCanonicalYamlThatReadsBackToTheSameModel() {
        AssetModel m = AssetModel.demoLine();
        assertThat(m.text()).startsWith("# M.AX 데모 라인");

        String canonical = m.toYaml();
        AssetModel back = AssetModel.parse(canonical, "canonical.yaml");

        assertThat(back.enterpriseId()).isEqualTo(m.enterpriseId());
        assertThat(back.enterpriseName()).isEqualTo(m.enterpriseName());
        assertThat(back.equipmentTypes()).isEqualTo(m.equipmentTypes());
        assertThat(back.nodes()).isEqualTo(m.nodes());
        assertThat(back.equipment()).isEqualTo(m.equipment());
        assertThat(back.text()).isEqualTo(canonical);
        assertThat(back.toYaml()).isEqualTo(canonical);
    }

    @Test
    void roundTripKeepsParametersOddIdsAndQuotedNames() {
        String yaml = """
                enterprise: { id: e1, name: { ko: "회사 \\"큰따옴표\\"", en: "A: B, C" } }
                equipment_types:
                  - id: "true"
                    name: { ko: 유형, en: Type }
                    model: melting-tank
                    tags:
                      - { id: level, name: { ko: 레벨, en: Level }, unit: "%", normal: [0.5, 99.25], max_rate_per_s: 0.001 }
                sites:
                  - id: s1
                    name: { ko: 공장, en: Plant }
                    areas:
                      - id: a1
                        name: { ko: 구역, en: Area }
                        lines:
                          - id: "007"
                            name: { ko: 라인, en: Line }
                            cells:
                              - id: c
                                name: { ko: 셀, en: Cell }
                                equipment:
                                  - { id: T-1, name: { ko: 탱크, en: Tank }, type: "true", parameters: { setpoint: 231.5, cold_start: 1 } }
                """;
        AssetModel m = AssetModel.parse(yaml, "odd.yaml");
        AssetModel back = AssetModel.parse(m.toYaml(), "back.yaml");

        assertThat(back.equipmentTypes()).isEqualTo(m.equipmentTypes());
        assertThat(back.equipment()).isEqualTo(m.equipment());
        assertThat(back.enterpriseName().ko()).isEqualTo("회사 \"큰따옴표\"");
        assertThat(back.equipment().getFirst().parameters()).containsEntry("setpoint", 231.5);
        assertThat(back.equipment().getFirst().path().toString()).isEqualTo("s1/a1/007/c/T-1");
    }

    @Test
    void knowsUcumCodesAndTheirCommonMisspellings() {
        assertThat(Units.isKnown("Cel")).isTrue();
        assertThat(Units.isKnown("{rpm}")).isTrue();
        assertThat(Units.isKnown("/min")).isTrue();
        assertThat(Units.isKnown("m/s2")).isTrue();
        assertThat(Units.isKnown("L/min")).isTrue();
        assertThat(Units.isKnown("{shot}")).isTrue();
        assertThat(Units.isKnown("°C")).isFalse();
        assertThat(Units.suggestion("°C")).contains("Cel");
        assertThat(Units.suggestion("rpm")).contains("{rpm}");
        assertThat(Units.suggestion("m/s^2")).contains("m/s2");
        assertThat(Units.suggestion("furlong")).isEmpty();
    }
}
