package kr.max.library.ingest;

import java.time.DateTimeException;
import kr.max.library.query.SqlText;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.core.dictionary.Sensitivity;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A data dictionary as YAML, the form a provider edits ({@code max dictionary --to x.yaml}, then
 * {@code max ingest --dictionary x.yaml}) and the catalog stores:
 *
 * <pre>
 * dataset: kamp/press
 * time_zone: Asia/Seoul
 * columns:
 *   - name: machine_name
 *     role: asset
 *     type: string
 *     asset_path: site/area/line/cell/equipment
 *     sensitivity: none
 *     description: { ko: "설비 이름", en: "Machine name" }
 *     format: iso          # timestamps only
 *     resolution: 0.01     # numbers only: the step values are recorded in
 *     tolerance: 0.01      # numbers only: the largest change that leaves a value fit for use
 * </pre>
 *
 * Absent values ({@code unit}, {@code asset_path}, {@code format}) are left out when writing; when reading,
 * {@code role} defaults to {@code attribute}, {@code type} to {@code string} and {@code sensitivity} to {@code none}.
 */
public final class DictionaryYaml {

    /**
     * Kinds of {@link IngestError#BAD_DICTIONARY}; the ordinal is the message's first argument and chooses its
     * wording. Arguments after it are listed per kind.
     */
    enum Problem {
        /** {1} the YAML parser's explanation (English). */
        MALFORMED_YAML,
        /** {1} the key, {2} the keys allowed there. */
        UNKNOWN_KEY,
        /** {1} the key, {2} the word, {3} the words allowed. */
        UNKNOWN_WORD,
        /** No args. */
        MISSING_NAME,
        /** {1} the column name. */
        DUPLICATE_COLUMN,
        /** {1} the key, {2} the expected shape in YAML syntax. */
        WRONG_SHAPE,
        /** {1} the zone. */
        BAD_TIME_ZONE,
        /** {1} the key. */
        DUPLICATE_KEY,
        /** {1} the pattern, {2} java.time's explanation (English). */
        BAD_FORMAT,
        /** {1} the path. */
        BAD_ASSET_PATH,
        /** No args. */
        NO_COLUMNS,
        /** {1} the key, {2} the text. */
        BAD_NUMBER
    }

    private static final YAMLMapper MAPPER = YAMLMapper.builder().build();
    private static final List<String> TOP_KEYS = List.of("dataset", "time_zone", "columns");
    private static final List<String> COLUMN_KEYS =
            List.of("name", "role", "type", "unit", "asset_path", "sensitivity", "description", "format", "resolution", "tolerance");
    private static final List<String> DESCRIPTION_KEYS = List.of("ko", "en");
    private static final Set<String> YAML_SPECIAL_WORDS = Set.of(
            "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n");

    private DictionaryYaml() {
    }

    // ---------------------------------------------------------------- writing

    /** The dictionary as YAML with a Korean and English header telling the provider what to check and edit. */
    public static String toYaml(DataDictionary dictionary, String datasetName) {
        var y = new StringBuilder(256 + 200 * dictionary.columns().size());
        y.append("""
                # M.AX 데이터 사전 / data dictionary
                #
                # [한국어] 데이터에서 자동으로 추론한 초안입니다. 열마다 role(역할), type(자료형), unit(UCUM 단위),
                #   asset_path(ISA-95 자산 경로), sensitivity(민감도), description(설명)을 확인하고 고치십시오.
                #   name(열 이름)은 원본 파일의 머리글과 같아야 합니다. 고친 뒤: max ingest --dictionary <이 파일>
                # [English] A draft inferred from the data. For every column check and correct role, type, unit
                #   (UCUM code), asset_path (ISA-95 location), sensitivity and description. Keep name exactly as in
                #   the file's header. Then: max ingest --dictionary <this file>
                #
                # role:        timestamp | asset | measurement | setpoint | label | batch | product | person | recipe | free_text | attribute
                # type:        boolean | integer | decimal | timestamp | string
                # unit:        UCUM, e.g. Cel, bar, MPa, mm, s, /min, A, V, kg (없으면 생략 / omit if none)
                # asset_path:  site/area/line/cell/equipment (아는 만큼 / as far as known)
                # sensitivity: none | personal (개인정보 / personal data) | trade_secret (영업비밀 / trade secret)
                # format:      timestamp 열만 / timestamps only: iso, or a java.time pattern such as "yyyy/M/d[ H:mm[:ss]]"
                # resolution:  숫자 열의 기록 단위 / numbers: the step values are recorded in, e.g. 0.01
                # tolerance:   값이 쓰임에 맞게 남는 최대 변화(센서 정확도) / numbers: the largest change that leaves a value
                #              fit for use (the sensor's accuracy). 반출 핑거프린트는 이 안에서만 값을 바꿉니다 / an export's
                #              fingerprint never changes a value by more; 0 = never change it
                # time_zone:   오프셋 없는 시각을 읽는 시간대 / zone of timestamps written without an offset
                """);
        if (datasetName != null) y.append("dataset: ").append(scalar(datasetName)).append('\n');
        y.append("time_zone: ").append(scalar(dictionary.timeZone())).append('\n');
        y.append("columns:\n");
        for (var c : dictionary.columns()) {
            y.append("  - name: ").append(scalar(c.name())).append('\n');
            y.append("    role: ").append(c.role().word()).append('\n');
            y.append("    type: ").append(c.type().word()).append('\n');
            if (c.unit() != null) y.append("    unit: ").append(scalar(c.unit())).append('\n');
            if (c.assetPath() != null) y.append("    asset_path: ").append(scalar(c.assetPath())).append('\n');
            y.append("    sensitivity: ").append(c.sensitivity().word()).append('\n');
            y.append("    description: { ko: ").append(quoted(c.descriptionKo()))
                    .append(", en: ").append(quoted(c.descriptionEn())).append(" }\n");
            if (c.format() != null) y.append("    format: ").append(scalar(c.format())).append('\n');
            if (c.resolution() != null) y.append("    resolution: ").append(c.resolution().toPlainString()).append('\n');
            if (c.tolerance() != null) y.append("    tolerance: ").append(c.tolerance().toPlainString()).append('\n');
        }
        return y.toString();
    }

    /** A plain scalar when that is unambiguous, else a double-quoted one. */
    private static String scalar(String s) {
        if (s.isEmpty() || YAML_SPECIAL_WORDS.contains(s.toLowerCase(Locale.ROOT))) return quoted(s);
        char first = s.charAt(0);
        if (!(Character.isLetter(first) || first == '_') || first > 0x7F) return quoted(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '-' || c == '.' || c == '/';
            if (!plain) return quoted(s);
        }
        return s;
    }

    private static String quoted(String s) {
        var q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) q.append(String.format("\\x%02X", (int) c));
                    else q.append(c);
                }
            }
        }
        return q.append('"').toString();
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a dictionary written by {@link #toYaml} and edited by hand.
     *
     * @param sourceName the file name, for error locations
     * @throws MaxException {@link IngestError#BAD_DICTIONARY} located at the line where the parser knows it:
     *                      malformed YAML, an unknown key, an unknown role/type/sensitivity word, a column without a
     *                      name, a duplicate column, a bad time zone, timestamp format or asset path
     */
    public static DataDictionary fromYaml(String yaml, String sourceName) {
        try (JsonParser p = MAPPER.createParser(yaml)) {
            return new Reader(p, sourceName).document();
        } catch (MaxException e) {
            throw e;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            long line = at == null ? 0 : Math.max(0, at.getLineNr());
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw new MaxException(IngestError.BAD_DICTIONARY, Location.line(sourceName, line), e,
                    Problem.MALFORMED_YAML.ordinal(), SqlText.firstLine(why));
        }
    }

    /** The parser's explanation without its source excerpts: the lines that do not start with blank space. */

    /** A streaming walk over the YAML, so every complaint can name its line. */
    private static final class Reader {
        private final JsonParser p;
        private final String sourceName;

        Reader(JsonParser p, String sourceName) {
            this.p = p;
            this.sourceName = sourceName;
        }

        DataDictionary document() {
            JsonToken t = p.nextToken();
            if (t == null) throw bad(0, Problem.NO_COLUMNS);
            if (t != JsonToken.START_OBJECT) throw bad(line(), Problem.WRONG_SHAPE, "(document)", "dataset: …\ncolumns: […]");
            String timeZone = null;
            List<ColumnSpec> columns = null;
            var seen = new HashSet<String>();
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                long keyLine = line();
                if (!seen.add(key)) throw bad(keyLine, Problem.DUPLICATE_KEY, key);
                p.nextToken();
                switch (key) {
                    case "dataset" -> scalar(key);
                    case "time_zone" -> timeZone = timeZone(scalar(key), keyLine);
                    case "columns" -> columns = columns();
                    default -> throw bad(keyLine, Problem.UNKNOWN_KEY, key, String.join(", ", TOP_KEYS));
                }
            }
            if (columns == null || columns.isEmpty()) throw bad(0, Problem.NO_COLUMNS);
            return new DataDictionary(columns, timeZone);
        }

        private List<ColumnSpec> columns() {
            if (p.currentToken() != JsonToken.START_ARRAY) throw bad(line(), Problem.WRONG_SHAPE, "columns", "- name: …");
            var columns = new ArrayList<ColumnSpec>();
            var names = new HashSet<String>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) throw bad(line(), Problem.WRONG_SHAPE, "columns", "- name: …");
                long start = line();
                var c = column(start);
                if (!names.add(c.spec.name())) throw bad(c.nameLine, Problem.DUPLICATE_COLUMN, c.spec.name());
                columns.add(c.spec);
            }
            return columns;
        }

        private record ParsedColumn(ColumnSpec spec, long nameLine) {
        }

        private ParsedColumn column(long startLine) {
            String name = null;
            long nameLine = startLine;
            ColumnRole role = ColumnRole.ATTRIBUTE;
            ColumnType type = ColumnType.STRING;
            Sensitivity sensitivity = Sensitivity.NONE;
            String unit = null;
            String assetPath = null;
            String format = null;
            long formatLine = startLine;
            String ko = "";
            String en = "";
            java.math.BigDecimal resolution = null;
            java.math.BigDecimal tolerance = null;
            var seen = new HashSet<String>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                long keyLine = line();
                if (!seen.add(key)) throw bad(keyLine, Problem.DUPLICATE_KEY, key);
                p.nextToken();
                switch (key) {
                    case "name" -> {
                        name = scalar(key);
                        nameLine = keyLine;
                    }
                    case "role" -> role = word(key, keyLine, ColumnRole.values(), ColumnRole::word, role);
                    case "type" -> type = word(key, keyLine, ColumnType.values(), ColumnType::word, type);
                    case "sensitivity" -> sensitivity = word(key, keyLine, Sensitivity.values(), Sensitivity::word, sensitivity);
                    case "unit" -> unit = blankToNull(scalar(key));
                    case "asset_path" -> assetPath = assetPath(blankToNull(scalar(key)), keyLine);
                    case "format" -> {
                        format = blankToNull(scalar(key));
                        formatLine = keyLine;
                    }
                    case "description" -> {
                        String[] d = description();
                        ko = d[0];
                        en = d[1];
                    }
                    case "resolution" -> resolution = number(key, keyLine, false);
                    case "tolerance" -> tolerance = number(key, keyLine, true);
                    default -> throw bad(keyLine, Problem.UNKNOWN_KEY, key, String.join(", ", COLUMN_KEYS));
                }
            }
            if (name == null || name.isBlank()) throw bad(startLine, Problem.MISSING_NAME);
            if (type == ColumnType.TIMESTAMP && format != null) checkFormat(format, formatLine);
            var spec = new ColumnSpec(name, role, type, unit, assetPath, sensitivity, ko, en, format, resolution, tolerance);
            return new ParsedColumn(spec, nameLine);
        }

        /** A decimal number: positive, or also zero where {@code zeroAllowed}. */
        private java.math.BigDecimal number(String key, long keyLine, boolean zeroAllowed) {
            String text = scalar(key);
            try {
                var n = new java.math.BigDecimal(text.strip());
                if (n.signum() < 0 || n.signum() == 0 && !zeroAllowed) throw bad(keyLine, Problem.BAD_NUMBER, key, text);
                return n.stripTrailingZeros();
            } catch (NumberFormatException | NullPointerException e) {
                throw bad(keyLine, Problem.BAD_NUMBER, key, text);
            }
        }

        /** {@code { ko: …, en: … }}, or one text used for both languages. */
        private String[] description() {
            String[] d = {"", ""};
            if (p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    long keyLine = line();
                    p.nextToken();
                    switch (key) {
                        case "ko" -> d[0] = nullToEmpty(scalar("description." + key));
                        case "en" -> d[1] = nullToEmpty(scalar("description." + key));
                        default -> throw bad(keyLine, Problem.UNKNOWN_KEY, key, String.join(", ", DESCRIPTION_KEYS));
                    }
                }
                return d;
            }
            String both = nullToEmpty(scalar("description"));
            d[0] = both;
            d[1] = both;
            return d;
        }

        private <E> E word(String key, long keyLine, E[] values, java.util.function.Function<E, String> word, E absent) {
            String text = scalar(key);
            if (text == null || text.isBlank()) return absent;
            for (E v : values) if (word.apply(v).equalsIgnoreCase(text.trim())) return v;
            var allowed = new ArrayList<String>();
            for (E v : values) allowed.add(word.apply(v));
            throw bad(keyLine, Problem.UNKNOWN_WORD, key, text, String.join(" | ", allowed));
        }

        private String timeZone(String zone, long keyLine) {
            if (zone == null || zone.isBlank()) return null;
            try {
                ZoneId.of(zone.trim());
                return zone.trim();
            } catch (DateTimeException e) {
                throw bad(keyLine, Problem.BAD_TIME_ZONE, zone);
            }
        }

        private String assetPath(String path, long keyLine) {
            if (path == null) return null;
            try {
                return AssetPath.parse(path.trim()).toString();
            } catch (MaxException e) {
                throw bad(keyLine, Problem.BAD_ASSET_PATH, path);
            }
        }

        private void checkFormat(String format, long keyLine) {
            if (TimestampPattern.named(format) != null) return;
            try {
                DateTimeFormatter.ofPattern(format);
            } catch (IllegalArgumentException e) {
                throw bad(keyLine, Problem.BAD_FORMAT, format, e.getMessage());
            }
        }

        /** The current token as text; {@code null} for YAML null; a list or mapping is an error. */
        private String scalar(String key) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) return null;
            if (t == null || !t.isScalarValue()) throw bad(line(), Problem.WRONG_SHAPE, key, key + ": text");
            return p.getString();
        }

        private long line() {
            TokenStreamLocation at = p.currentTokenLocation();
            return at == null ? 0 : Math.max(0, at.getLineNr());
        }

        private MaxException bad(long line, Problem problem, Object... details) {
            var args = new Object[details.length + 1];
            args[0] = problem.ordinal();
            System.arraycopy(details, 0, args, 1, details.length);
            return new MaxException(IngestError.BAD_DICTIONARY, Location.line(sourceName, line), args);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
