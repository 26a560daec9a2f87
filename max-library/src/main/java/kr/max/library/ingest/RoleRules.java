package kr.max.library.ingest;

import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.Sensitivity;

/**
 * Guesses a column's role, sensitivity and unit from its name (Korean or English, any case) and inferred type.
 * One method per rule; {@link #guess} applies them in order and the first that matches wins. The guess is a draft
 * for the provider to confirm.
 */
final class RoleRules {

    /** What the rules concluded about one column. */
    record Guess(ColumnRole role, Sensitivity sensitivity, String unit) {
    }

    private RoleRules() {
    }

    static Guess guess(String columnName, ColumnType type) {
        var n = ColumnName.of(columnName);
        boolean numeric = type == ColumnType.INTEGER || type == ColumnType.DECIMAL;
        if (isTimestampByType(type)) return new Guess(ColumnRole.TIMESTAMP, Sensitivity.NONE, null);
        if (isLabel(n)) return new Guess(ColumnRole.LABEL, Sensitivity.NONE, null);
        if (isPerson(n)) return new Guess(ColumnRole.PERSON, Sensitivity.PERSONAL, null);
        if (isTradePartner(n)) return new Guess(ColumnRole.ATTRIBUTE, Sensitivity.TRADE_SECRET, null);
        if (isRecipe(n)) return new Guess(ColumnRole.RECIPE, Sensitivity.TRADE_SECRET, null);
        if (isSetpoint(n, numeric)) return new Guess(ColumnRole.SETPOINT, Sensitivity.TRADE_SECRET, numeric ? unit(n) : null);
        if (isAsset(n)) return new Guess(ColumnRole.ASSET, Sensitivity.NONE, null);
        if (isBatch(n)) return new Guess(ColumnRole.BATCH, Sensitivity.NONE, null);
        if (isProduct(n)) return new Guess(ColumnRole.PRODUCT, Sensitivity.NONE, null);
        if (isFreeText(n)) return new Guess(ColumnRole.FREE_TEXT, Sensitivity.NONE, null);
        if (isTimestampByName(n, numeric)) return new Guess(ColumnRole.TIMESTAMP, Sensitivity.NONE, null);
        if (type == ColumnType.INTEGER && isCycleCounter(n)) return new Guess(ColumnRole.TIMESTAMP, Sensitivity.NONE, null);
        if (isIdentifier(n)) return new Guess(ColumnRole.ATTRIBUTE, Sensitivity.NONE, null);
        if (numeric) return new Guess(ColumnRole.MEASUREMENT, Sensitivity.NONE, unit(n));
        return new Guess(ColumnRole.ATTRIBUTE, Sensitivity.NONE, null);
    }

    // ---------------------------------------------------------------- roles

    /** Values that parse as timestamps make a timestamp, whatever the name. */
    static boolean isTimestampByType(ColumnType type) {
        return type == ColumnType.TIMESTAMP;
    }

    /** The verdict or class a model learns: 판정, 양불, 불량, 결과, PassOrFail, label, TAG, fault, class. */
    static boolean isLabel(ColumnName n) {
        return n.joinedIs("passorfail", "passfail", "okng", "tag", "target", "result", "judge", "judgement", "rul",
                        "remainingusefullife", "잔여수명")
                || n.hasWord("label", "fault", "class", "verdict", "defect")
                || n.headIs("result")
                || n.koreanContains("판정", "양불", "불량")
                || n.koreanHeadEndsWith("결과");
    }

    /** A person: 작업자, 검사자, 담당자, worker, operator, inspector, employee. Personal data. */
    static boolean isPerson(ColumnName n) {
        return n.hasWord("worker", "operator", "inspector", "employee")
                || n.koreanContains("작업자", "검사자", "담당자", "근무자", "사원", "사번");
    }

    /** A trade partner: supplier, vendor, customer, 협력사, 거래처. A trade secret, kept as an attribute. */
    static boolean isTradePartner(ColumnName n) {
        return n.hasWord("supplier", "vendor", "customer")
                || n.koreanContains("협력사", "거래처", "고객사", "공급사", "납품처");
    }

    /** A recipe or process condition: recipe, mold_code, 레시피, 조건. A trade secret. */
    static boolean isRecipe(ColumnName n) {
        return n.joinedIs("moldcode") || n.hasWord("recipe")
                || n.koreanContains("레시피") || n.koreanHeadEndsWith("조건");
    }

    /**
     * A setpoint: set, setpoint, sv, target, 설정, 목표 ({@code Set_Temp}, {@code 설정온도}). The short English words are
     * trusted only for numbers ({@code data_set} is no setpoint). A trade secret.
     */
    static boolean isSetpoint(ColumnName n, boolean numeric) {
        return n.hasWord("setpoint", "setting")
                || numeric && n.hasWord("set", "sv", "target")
                || n.koreanContains("설정", "목표");
    }

    /** Equipment: EQUIP, EQUIP_CD, machine_name, asset, unit, engine, 설비, 호기, 장비. */
    static boolean isAsset(ColumnName n) {
        return n.headIs("equip", "equipment", "machine", "asset", "unit", "engine", "device")
                || n.koreanHeadEndsWith("설비", "호기", "장비", "기계");
    }

    /** A production lot or batch: lot, batch, 로트, 배치. */
    static boolean isBatch(ColumnName n) {
        return n.headIs("lot", "batch") || n.koreanHeadEndsWith("로트", "배치");
    }

    /** The product or part: part, product, model, PART_NAME, 품번, 품명. */
    static boolean isProduct(ColumnName n) {
        return n.headIs("part", "product", "model", "item", "sku")
                || n.koreanContains("품번", "품명", "품목")
                || n.koreanHeadEndsWith("제품", "부품", "모델");
    }

    /** Free text: reason, comment, memo, note, 비고, 사유. May hold anything, names included. */
    static boolean isFreeText(ColumnName n) {
        return n.headIs("reason", "comment", "comments", "memo", "note", "notes", "remark", "remarks", "description", "desc")
                || n.koreanContains("비고", "사유", "메모", "의견");
    }

    /**
     * A whole-number count of operating cycles or samples (C-MAPSS's {@code cycle}, {@code time_in_cycles}, 사이클, a
     * waveform's {@code sample_index}): the time axis of run-to-failure data and of vibration records, which models
     * order samples by. {@code Cycle_Time} is a duration, not this.
     */
    static boolean isCycleCounter(ColumnName n) {
        return n.joinedIs("cycle", "cycles", "cycleno", "cyclenumber", "timeincycles", "timecycles", "sampleindex", "sampleno",
                "samplenumber") || n.koreanContains("사이클");
    }

    /**
     * Named like a time (일시, 일자, 시간, 시각, timestamp, time, date, datetime) but with values that did not parse:
     * still the timestamp, for the provider to give its format. A numeric "time" is a duration ({@code Cycle_Time}).
     */
    static boolean isTimestampByName(ColumnName n, boolean numeric) {
        return !numeric && (n.joinedIs("timestamp", "datetime", "ts")
                || n.headIs("time", "date", "datetime", "timestamp")
                || n.koreanEndsWith("일시", "일자", "시간", "시각", "날짜"));
    }

    /** An identifier or counter: id, no, seq, index, key, 번호, 순번, 코드. An attribute, not a measurement. */
    static boolean isIdentifier(ColumnName n) {
        return n.lastWordIs("id", "no", "seq", "idx", "index", "key", "uuid", "serial", "code", "cd", "number", "num")
                || n.koreanEndsWith("번호", "순번", "코드");
    }

    // ---------------------------------------------------------------- units (UCUM)

    /** A UCUM unit where the name leaves no doubt, else null. */
    static String unit(ColumnName n) {
        String explicit = unitWrittenInName(n);
        if (explicit != null) return explicit;
        if (isTemperature(n)) return "Cel";
        if (isDurationInSeconds(n)) return "s";
        if (n.headIs("position")) return "mm";
        if (n.headIs("current") || n.koreanContains("전류")) return "A";
        if (n.headIs("voltage") || n.koreanContains("전압")) return "V";
        // Pressure: bar, MPa, kgf/cm² and psi are all common; only a unit in the name decides (above).
        return null;
    }

    /** A unit word in the name: {@code Pressure_bar}, {@code Speed_rpm}, {@code Weight_kg}. */
    static String unitWrittenInName(ColumnName n) {
        for (int i = n.words().size() - 1; i >= 0; i--) {
            String unit = switch (n.words().get(i)) {
                case "bar" -> "bar";
                case "mpa" -> "MPa";
                case "kpa" -> "kPa";
                case "psi" -> "[psi]";
                case "rpm" -> "/min";
                case "mm" -> "mm";
                case "um" -> "um";
                case "kg" -> "kg";
                case "sec" -> "s";
                case "ms" -> "ms";
                case "hz" -> "Hz";
                case "kw" -> "kW";
                case "kwh" -> "kW.h";
                case "degc", "celsius" -> "Cel";
                case "pct", "percent" -> "%";
                default -> null;
            };
            if (unit != null) return unit;
        }
        return null;
    }

    /** temperature, temp, 온도: degrees Celsius (Cel), the unit of every Korean plant. */
    static boolean isTemperature(ColumnName n) {
        return n.hasWord("temperature", "temp") || n.koreanContains("온도");
    }

    /**
     * An English name ending in time or duration ({@code Cycle_Time}, {@code Injection_Time}): seconds. The Korean
     * 시간 is left alone: 가동시간 is usually hours.
     */
    static boolean isDurationInSeconds(ColumnName n) {
        return n.headIs("time", "duration");
    }
}
