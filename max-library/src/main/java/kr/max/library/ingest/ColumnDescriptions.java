package kr.max.library.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.max.core.dictionary.ColumnRole;

/**
 * Short Korean and English descriptions of a column from its name, role and unit, through a small table of
 * manufacturing words: {@code Barrel_Temperature_1} → "Barrel temperature 1 (measurement, Cel)" and
 * "배럴 온도 1 (측정값, Cel)". Words missing from the table are kept as written. A draft for the provider.
 */
final class ColumnDescriptions {

    /** English word → Korean. */
    private static final Map<String, String> KOREAN = Map.ofEntries(
            Map.entry("barrel", "배럴"), Map.entry("temperature", "온도"), Map.entry("temp", "온도"),
            Map.entry("mold", "금형"), Map.entry("die", "금형"), Map.entry("pressure", "압력"),
            Map.entry("injection", "사출"), Map.entry("cycle", "사이클"), Map.entry("time", "시간"),
            Map.entry("speed", "속도"), Map.entry("velocity", "속도"), Map.entry("position", "위치"),
            Map.entry("current", "전류"), Map.entry("voltage", "전압"), Map.entry("power", "전력"),
            Map.entry("machine", "설비"), Map.entry("equip", "설비"), Map.entry("equipment", "설비"),
            Map.entry("part", "부품"), Map.entry("product", "제품"), Map.entry("model", "모델"),
            Map.entry("name", "이름"), Map.entry("id", "ID"), Map.entry("code", "코드"), Map.entry("cd", "코드"),
            Map.entry("no", "번호"), Map.entry("number", "번호"), Map.entry("lot", "로트"), Map.entry("batch", "배치"),
            Map.entry("date", "일자"), Map.entry("datetime", "일시"), Map.entry("timestamp", "시각"),
            Map.entry("plan", "계획"), Map.entry("fact", "공장"), Map.entry("factory", "공장"),
            Map.entry("pass", "합격"), Map.entry("fail", "불합격"), Map.entry("or", "또는"),
            Map.entry("reason", "사유"), Map.entry("comment", "의견"), Map.entry("memo", "메모"), Map.entry("note", "비고"),
            Map.entry("worker", "작업자"), Map.entry("operator", "작업자"), Map.entry("inspector", "검사자"),
            Map.entry("employee", "직원"), Map.entry("set", "설정"), Map.entry("setpoint", "설정값"),
            Map.entry("target", "목표"), Map.entry("flow", "유량"), Map.entry("level", "레벨"), Map.entry("weight", "무게"),
            Map.entry("thickness", "두께"), Map.entry("width", "폭"), Map.entry("length", "길이"), Map.entry("height", "높이"),
            Map.entry("vibration", "진동"), Map.entry("humidity", "습도"), Map.entry("torque", "토크"),
            Map.entry("rpm", "회전수"), Map.entry("count", "개수"), Map.entry("quantity", "수량"), Map.entry("qty", "수량"),
            Map.entry("label", "라벨"), Map.entry("class", "분류"), Map.entry("fault", "고장"), Map.entry("result", "결과"),
            Map.entry("recipe", "레시피"), Map.entry("line", "라인"), Map.entry("sensor", "센서"), Map.entry("motor", "모터"),
            Map.entry("spindle", "스핀들"), Map.entry("oil", "오일"), Map.entry("water", "물"), Map.entry("cooling", "냉각"),
            Map.entry("heater", "히터"), Map.entry("screw", "스크류"), Map.entry("clamp", "형체"), Map.entry("clamping", "형체"),
            Map.entry("hold", "보압"), Map.entry("holding", "보압"), Map.entry("switch", "전환"), Map.entry("stroke", "스트로크"),
            Map.entry("volume", "체적"), Map.entry("cushion", "쿠션"), Map.entry("plasticizing", "가소화"),
            Map.entry("max", "최대"), Map.entry("min", "최소"), Map.entry("avg", "평균"), Map.entry("mean", "평균"),
            Map.entry("total", "합계"), Map.entry("serial", "일련번호"), Map.entry("type", "유형"), Map.entry("status", "상태"),
            Map.entry("alarm", "알람"), Map.entry("supplier", "공급사"), Map.entry("vendor", "공급사"),
            Map.entry("customer", "고객사"), Map.entry("unit", "유닛"), Map.entry("engine", "엔진"),
            Map.entry("operation", "운전"), Map.entry("process", "공정"), Map.entry("defect", "불량"),
            Map.entry("start", "시작"), Map.entry("end", "종료"), Map.entry("work", "작업"), Map.entry("order", "지시"));

    /** Korean word → English, for Korean names; matched longest first inside compounds such as 설정온도. */
    private static final Map<String, String> ENGLISH = Map.ofEntries(
            Map.entry("일시", "date and time"), Map.entry("일자", "date"), Map.entry("날짜", "date"),
            Map.entry("시간", "time"), Map.entry("시각", "time"), Map.entry("설비", "equipment"), Map.entry("호기", "machine"),
            Map.entry("장비", "equipment"), Map.entry("기계", "machine"), Map.entry("작업자", "worker"),
            Map.entry("검사자", "inspector"), Map.entry("담당자", "person in charge"), Map.entry("온도", "temperature"),
            Map.entry("압력", "pressure"), Map.entry("판정", "verdict"), Map.entry("양불", "pass/fail"),
            Map.entry("불량", "defect"), Map.entry("결과", "result"), Map.entry("로트", "lot"), Map.entry("배치", "batch"),
            Map.entry("품번", "part number"), Map.entry("품명", "part name"), Map.entry("품목", "item"),
            Map.entry("레시피", "recipe"), Map.entry("조건", "condition"), Map.entry("설정", "set"), Map.entry("목표", "target"),
            Map.entry("비고", "remarks"), Map.entry("사유", "reason"), Map.entry("메모", "memo"), Map.entry("의견", "comment"),
            Map.entry("협력사", "partner company"), Map.entry("거래처", "trading partner"), Map.entry("고객사", "customer"),
            Map.entry("공급사", "supplier"), Map.entry("전류", "current"), Map.entry("전압", "voltage"),
            Map.entry("속도", "speed"), Map.entry("위치", "position"), Map.entry("유량", "flow"), Map.entry("습도", "humidity"),
            Map.entry("진동", "vibration"), Map.entry("금형", "mold"), Map.entry("사출", "injection"),
            Map.entry("번호", "number"), Map.entry("코드", "code"), Map.entry("명", "name"), Map.entry("이름", "name"),
            Map.entry("수량", "quantity"), Map.entry("무게", "weight"), Map.entry("중량", "weight"),
            Map.entry("두께", "thickness"), Map.entry("길이", "length"), Map.entry("제품", "product"), Map.entry("부품", "part"),
            Map.entry("공정", "process"), Map.entry("라인", "line"), Map.entry("회전수", "rotation speed"),
            Map.entry("모델", "model"), Map.entry("유형", "type"), Map.entry("상태", "status"), Map.entry("검사", "inspection"),
            Map.entry("생산", "production"), Map.entry("가동", "operating"), Map.entry("계획", "plan"), Map.entry("실적", "actual"),
            Map.entry("작업", "work"), Map.entry("지시", "order"), Map.entry("전력", "power"), Map.entry("냉각수", "coolant"));

    private static final int LONGEST_KOREAN_WORD = 3;

    private ColumnDescriptions() {
    }

    /** Words that names split apart but that mean one thing: TimeStamp, PassOrFail, SetPoint. English, Korean. */
    private static final Map<String, String[]> COMPOUNDS = Map.of(
            "timestamp", new String[] {"timestamp", "시각"},
            "datetime", new String[] {"date and time", "일시"},
            "passorfail", new String[] {"pass or fail", "합격 여부"},
            "passfail", new String[] {"pass or fail", "합격 여부"},
            "okng", new String[] {"OK or NG", "양불"},
            "setpoint", new String[] {"setpoint", "설정값"});

    /** Abbreviations spelled out in English descriptions. */
    private static final Map<String, String> SPELLED_OUT = Map.of(
            "cd", "code", "equip", "equipment", "id", "ID", "nm", "name", "no", "number", "qty", "quantity",
            "temp", "temperature", "pos", "position");

    static String english(String columnName, ColumnRole role, String unit) {
        var parts = new ArrayList<String>();
        for (String w : mergeCompounds(ColumnName.split(columnName))) {
            if (COMPOUNDS.containsKey(w)) parts.add(COMPOUNDS.get(w)[0]);
            else if (isHangul(w.charAt(0))) parts.addAll(translateKorean(w));
            else parts.add(SPELLED_OUT.getOrDefault(w, w));
        }
        return capitalize(String.join(" ", parts)) + suffix(roleEnglish(role), unit);
    }

    static String korean(String columnName, ColumnRole role, String unit) {
        var parts = new ArrayList<String>();
        for (String w : mergeCompounds(ColumnName.split(columnName))) {
            parts.add(COMPOUNDS.containsKey(w) ? COMPOUNDS.get(w)[1] : KOREAN.getOrDefault(w, w));
        }
        return String.join(" ", parts) + suffix(roleKorean(role), unit);
    }

    /** Joins runs of two or three words that form a compound ({@code time, stamp} → {@code timestamp}). */
    private static List<String> mergeCompounds(List<String> words) {
        var out = new ArrayList<String>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String merged = null;
            for (int len = 3; len >= 2 && merged == null; len--) {
                if (i + len > words.size()) continue;
                String joined = String.join("", words.subList(i, i + len));
                if (COMPOUNDS.containsKey(joined)) {
                    merged = joined;
                    i += len - 1;
                }
            }
            out.add(merged != null ? merged : words.get(i));
        }
        return out;
    }

    static String roleEnglish(ColumnRole role) {
        return role.word().replace('_', ' ');
    }

    static String roleKorean(ColumnRole role) {
        return switch (role) {
            case TIMESTAMP -> "시각";
            case ASSET -> "설비";
            case MEASUREMENT -> "측정값";
            case SETPOINT -> "설정값";
            case LABEL -> "판정 라벨";
            case BATCH -> "로트";
            case PRODUCT -> "제품";
            case PERSON -> "사람";
            case RECIPE -> "레시피";
            case FREE_TEXT -> "자유 기술";
            case ATTRIBUTE -> "속성";
        };
    }

    /** Splits a Korean compound into table words, longest match first; unknown syllables stay together. */
    private static List<String> translateKorean(String word) {
        var out = new ArrayList<String>();
        var unknown = new StringBuilder();
        int i = 0;
        while (i < word.length()) {
            String match = null;
            for (int len = Math.min(LONGEST_KOREAN_WORD, word.length() - i); len >= 1; len--) {
                String candidate = word.substring(i, i + len);
                if (ENGLISH.containsKey(candidate) && (len > 1 || i > 0)) {
                    match = candidate;
                    break;
                }
            }
            if (match == null) {
                unknown.append(word.charAt(i++));
                continue;
            }
            if (!unknown.isEmpty()) {
                out.add(unknown.toString());
                unknown.setLength(0);
            }
            out.add(ENGLISH.get(match));
            i += match.length();
        }
        if (!unknown.isEmpty()) out.add(unknown.toString());
        return out;
    }

    private static String suffix(String role, String unit) {
        return unit == null ? " (" + role + ")" : " (" + role + ", " + unit + ")";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static boolean isHangul(char c) {
        return c >= '\uAC00' && c <= '\uD7A3' || c >= '\u3131' && c <= '\u318E';
    }
}
