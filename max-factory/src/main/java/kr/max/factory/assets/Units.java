package kr.max.factory.assets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The subset of UCUM (Unified Code for Units of Measure, case-sensitive form) that tags may use. UCUM codes are
 * what the data dictionary stores, so a tag's history lands in the library with a unit every tool can read.
 *
 * <p>Besides the listed codes, a bare UCUM annotation such as {@code {count}} or {@code {shot}} is accepted as a
 * dimensionless count. Common misspellings ({@code °C}, {@code rpm}, {@code m/s^2}) are answered with the code to
 * write instead.
 */
public final class Units {

    /** A unit: its UCUM code, the symbol to display, and its name. */
    public record Unit(String code, String symbol, Name name) {
    }

    private static final Map<String, Unit> KNOWN = new LinkedHashMap<>();
    private static final Map<String, String> SPELLINGS = new LinkedHashMap<>();
    private static final Pattern ANNOTATION = Pattern.compile("\\{[A-Za-z0-9_.-]+}");

    static {
        unit("Cel", "°C", "섭씨온도", "degree Celsius");
        unit("K", "K", "켈빈", "kelvin");
        unit("bar", "bar", "바", "bar");
        unit("Pa", "Pa", "파스칼", "pascal");
        unit("kPa", "kPa", "킬로파스칼", "kilopascal");
        unit("MPa", "MPa", "메가파스칼", "megapascal");
        unit("m", "m", "미터", "metre");
        unit("mm", "mm", "밀리미터", "millimetre");
        unit("um", "µm", "마이크로미터", "micrometre");
        unit("m/s", "m/s", "미터 매 초", "metre per second");
        unit("mm/s", "mm/s", "밀리미터 매 초", "millimetre per second");
        unit("m/s2", "m/s²", "미터 매 초 제곱", "metre per second squared");
        unit("[g]", "g₀", "표준 중력 가속도", "standard gravity");
        unit("g", "g", "그램", "gram");
        unit("kg", "kg", "킬로그램", "kilogram");
        unit("t", "t", "톤", "tonne");
        unit("N", "N", "뉴턴", "newton");
        unit("kN", "kN", "킬로뉴턴", "kilonewton");
        unit("N.m", "N·m", "뉴턴미터", "newton metre");
        unit("A", "A", "암페어", "ampere");
        unit("mA", "mA", "밀리암페어", "milliampere");
        unit("V", "V", "볼트", "volt");
        unit("W", "W", "와트", "watt");
        unit("kW", "kW", "킬로와트", "kilowatt");
        unit("kW.h", "kWh", "킬로와트시", "kilowatt hour");
        unit("{rpm}", "rpm", "분당 회전수", "revolutions per minute");
        unit("/min", "/min", "매 분", "per minute");
        unit("Hz", "Hz", "헤르츠", "hertz");
        unit("kHz", "kHz", "킬로헤르츠", "kilohertz");
        unit("s", "s", "초", "second");
        unit("ms", "ms", "밀리초", "millisecond");
        unit("min", "min", "분", "minute");
        unit("h", "h", "시간", "hour");
        unit("%", "%", "퍼센트", "percent");
        unit("1", "", "무차원", "dimensionless");
        unit("L", "L", "리터", "litre");
        unit("L/min", "L/min", "리터 매 분", "litre per minute");
        unit("m3/h", "m³/h", "세제곱미터 매 시", "cubic metre per hour");
        unit("{count}", "", "개수", "count");

        spelling("Cel", "°C", "℃", "C", "degC", "deg C", "celsius");
        spelling("{rpm}", "rpm", "RPM", "r/min");
        spelling("/min", "spm", "SPM", "1/min", "per min");
        spelling("um", "µm", "μm", "micron");
        spelling("m/s2", "m/s^2", "m/s²", "m/s**2", "m s-2");
        spelling("mm/s", "mm/sec");
        spelling("s", "sec", "secs", "S");
        spelling("min", "mins");
        spelling("h", "hr", "hrs", "hour");
        spelling("L/min", "l/min", "lpm", "LPM");
        spelling("L", "l");
        spelling("kW.h", "kWh", "kwh");
        spelling("kW", "KW", "kw");
        spelling("{count}", "ea", "EA", "pcs", "count");
        spelling("N.m", "Nm", "N·m");
        spelling("MPa", "Mpa");
        spelling("kPa", "KPa", "kpa");
        spelling("bar", "Bar", "BAR");
        spelling("[g]", "G");
        spelling("%", "percent", "pct");
    }

    private Units() {
    }

    private static void unit(String code, String symbol, String ko, String en) {
        KNOWN.put(code, new Unit(code, symbol, new Name(ko, en)));
    }

    private static void spelling(String code, String... wrong) {
        for (String w : wrong) SPELLINGS.put(w, code);
    }

    /** The unit for a UCUM code of the subset; annotations such as {@code {shot}} are dimensionless counts. */
    public static Optional<Unit> find(String code) {
        Unit u = KNOWN.get(code);
        if (u != null) return Optional.of(u);
        if (ANNOTATION.matcher(code).matches()) {
            String word = code.substring(1, code.length() - 1);
            return Optional.of(new Unit(code, "", new Name(word, word)));
        }
        return Optional.empty();
    }

    public static boolean isKnown(String code) {
        return find(code).isPresent();
    }

    /** The listed units, in the order above. */
    public static List<Unit> all() {
        return List.copyOf(KNOWN.values());
    }

    /** The UCUM code someone who wrote {@code wrong} most likely meant, if it is a known misspelling. */
    public static Optional<String> suggestion(String wrong) {
        String s = SPELLINGS.get(wrong.strip());
        if (s == null) s = SPELLINGS.get(wrong.strip().toLowerCase(Locale.ROOT));
        return Optional.ofNullable(s);
    }

    /** The symbol to show beside a value: {@code °C} for {@code Cel}; the code itself if unknown. */
    public static String symbol(String code) {
        return find(code).map(Unit::symbol).orElse(code);
    }
}
