package kr.max.library.deid;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.Sensitivity;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads and writes {@link DeidProfile} YAML with a streaming parser, so every complaint names line and column. */
final class ProfileYaml {

    private static final YAMLMapper MAPPER = YAMLMapper.builder().build();
    static final List<String> TOP_KEYS =
            List.of("profile", "k", "suppression_limit", "allow_keep_sensitive", "rules", "default");
    static final List<String> RULE_KEYS =
            List.of("match", "action", "to", "width", "hierarchy", "level", "bound", "quasi_identifier");
    static final List<String> MATCH_KEYS = List.of("role", "sensitivity", "unit");
    private static final List<DeidAction> DEFAULT_ACTIONS =
            List.of(DeidAction.KEEP, DeidAction.DROP, DeidAction.SUPPRESS, DeidAction.PSEUDONYMIZE);

    private ProfileYaml() {
    }

    static DeidProfile read(String yaml, String sourceName, HierarchySource hierarchies) {
        try (JsonParser p = MAPPER.createParser(yaml)) {
            return new Reader(p, sourceName, hierarchies).document();
        } catch (MaxException e) {
            throw e;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            long line = at == null ? 0 : Math.max(0, at.getLineNr());
            int column = at == null ? 0 : Math.max(0, at.getColumnNr());
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            // the YAML parser's last mark is the problem; its first is where the enclosing construct began
            Matcher mark = MARK.matcher(why);
            while (mark.find()) {
                line = Long.parseLong(mark.group(1));
                column = Integer.parseInt(mark.group(2));
            }
            throw new MaxException(DeidError.MALFORMED_YAML, Location.cell(sourceName, line, column, null), e,
                    explanation(why));
        }
    }

    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

    /** The parser's explanation without its source excerpts: the lines that do not start with blank space. */
    static String explanation(String message) {
        var parts = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList();
        return parts.isEmpty() ? message.strip() : String.join("; ", parts);
    }

    // ---------------------------------------------------------------- reading

    private static final class Reader {
        private final JsonParser p;
        private final String sourceName;
        private final HierarchySource hierarchies;

        Reader(JsonParser p, String sourceName, HierarchySource hierarchies) {
            this.p = p;
            this.sourceName = sourceName;
            this.hierarchies = hierarchies;
        }

        DeidProfile document() {
            JsonToken t = p.nextToken();
            if (t == null) throw new MaxException(DeidError.MISSING_KEY, here(), "profile");
            if (t != JsonToken.START_OBJECT) {
                throw new MaxException(DeidError.WRONG_TYPE, here(), "(profile)", "profile: …\nk: …\nrules: [ … ]");
            }
            String name = null;
            Integer k = null;
            BigDecimal limit = BigDecimal.ZERO;
            boolean allowKeepSensitive = false;
            List<DeidRule> rules = List.of();
            DeidAction defaultAction = DeidAction.KEEP;
            var seen = new HashSet<String>();
            Location start = here();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                Location keyAt = here();
                if (!seen.add(key)) throw new MaxException(DeidError.DUPLICATE_KEY, keyAt, key);
                p.nextToken();
                switch (key) {
                    case "profile" -> name = text(key, "profile: injection-share");
                    case "k" -> k = integer(key, 1, Integer.MAX_VALUE, "1 …");
                    case "suppression_limit" -> limit = share(key);
                    case "allow_keep_sensitive" -> allowKeepSensitive = bool(key);
                    case "rules" -> rules = rules();
                    case "default" -> defaultAction = defaultAction();
                    default -> throw new MaxException(DeidError.UNKNOWN_KEY, keyAt, key, String.join(", ", TOP_KEYS));
                }
            }
            if (name == null || name.isBlank()) throw new MaxException(DeidError.MISSING_KEY, start, "profile");
            boolean qi = rules.stream().anyMatch(DeidRule::quasiIdentifier);
            if (qi && k == null) throw new MaxException(DeidError.MISSING_KEY, start, "k");
            return new DeidProfile(name.strip(), k == null ? 1 : k, limit, allowKeepSensitive, rules, defaultAction,
                    sourceName);
        }

        private List<DeidRule> rules() {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw new MaxException(DeidError.WRONG_TYPE, here(), "rules", "rules: [ - match: … action: … ]");
            }
            var rules = new ArrayList<DeidRule>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw new MaxException(DeidError.WRONG_TYPE, here(), "rules", "- match: { role: … }\n  action: …");
                }
                rules.add(rule());
            }
            return rules;
        }

        /** A rule's keys as read, each with where it was written. */
        private static final class RawRule {
            final Map<String, Location> at = new LinkedHashMap<>();
            Set<ColumnRole> roles = Set.of();
            Set<Sensitivity> sensitivities = Set.of();
            String unit;
            boolean matchGiven;
            DeidAction action;
            TimeGranularity to;
            BigDecimal width;
            CategoryHierarchy hierarchy;
            Integer level;
            NoiseBound bound;
            boolean quasiIdentifier;
        }

        private DeidRule rule() {
            Location start = here();
            var r = new RawRule();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                Location keyAt = here();
                if (r.at.putIfAbsent(key, keyAt) != null) throw new MaxException(DeidError.DUPLICATE_KEY, keyAt, key);
                p.nextToken();
                switch (key) {
                    case "match" -> match(r);
                    case "action" -> r.action = word(key, DeidAction.values(), DeidAction::word);
                    case "to" -> r.to = word(key, TimeGranularity.values(), TimeGranularity::word);
                    case "width" -> r.width = positiveNumber(key);
                    case "hierarchy" -> r.hierarchy = hierarchy(keyAt);
                    case "level" -> r.level = integer(key, 0, Integer.MAX_VALUE, "0 …");
                    case "bound" -> r.bound = bound();
                    case "quasi_identifier" -> r.quasiIdentifier = bool(key);
                    default -> throw new MaxException(DeidError.UNKNOWN_KEY, keyAt, key, String.join(", ", RULE_KEYS));
                }
            }
            if (!r.matchGiven) throw new MaxException(DeidError.MISSING_KEY, start, "match");
            if (r.action == null) throw new MaxException(DeidError.MISSING_KEY, start, "action");
            DeidAction a = r.action;
            for (String param : List.of("to", "width", "hierarchy", "level")) {
                if (r.at.containsKey(param) && a != DeidAction.GENERALIZE) {
                    throw new MaxException(DeidError.PARAMETER_NOT_FOR_ACTION, r.at.get(param), param, a.word());
                }
            }
            if (r.at.containsKey("bound") && a != DeidAction.PERTURB) {
                throw new MaxException(DeidError.PARAMETER_NOT_FOR_ACTION, r.at.get("bound"), "bound", a.word());
            }
            if (r.quasiIdentifier && !a.mayBeQuasiIdentifier()) {
                throw new MaxException(DeidError.QUASI_IDENTIFIER_NOT_ALLOWED, r.at.get("quasi_identifier"), a.word());
            }
            Generalization g = null;
            if (a == DeidAction.GENERALIZE) g = generalization(r, start);
            if (a == DeidAction.PERTURB && r.bound == null) {
                throw new MaxException(DeidError.MISSING_PARAMETER, start, a.word(), "bound");
            }
            return new DeidRule(r.roles, r.sensitivities, r.unit, a, g, r.bound, r.quasiIdentifier, start);
        }

        private Generalization generalization(RawRule r, Location start) {
            var given = new ArrayList<String>();
            for (String param : List.of("to", "width", "hierarchy")) if (r.at.containsKey(param)) given.add(param);
            if (given.isEmpty()) {
                throw new MaxException(DeidError.MISSING_PARAMETER, start, "generalize", "to | width | hierarchy");
            }
            if (given.size() > 1) {
                throw new MaxException(DeidError.CONFLICTING_PARAMETERS, r.at.get(given.get(1)), given.get(0), given.get(1));
            }
            if (r.level != null && r.hierarchy == null) {
                throw new MaxException(DeidError.CONFLICTING_PARAMETERS, r.at.get("level"), "level", given.getFirst());
            }
            if (r.to != null) return new Generalization.Time(r.to);
            if (r.width != null) return new Generalization.Width(r.width);
            int level = r.level == null ? 1 : r.level;
            if (level > r.hierarchy.height() + 1) {
                throw new MaxException(DeidError.OUT_OF_RANGE, r.at.get("level"), "level", level,
                        "0 … " + (r.hierarchy.height() + 1));
            }
            return new Generalization.Categories(r.hierarchy, level);
        }

        private void match(RawRule r) {
            Location matchAt = here();
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new MaxException(DeidError.WRONG_TYPE, matchAt, "match", "match: { role: setpoint, sensitivity: trade_secret }");
            }
            r.matchGiven = true;
            var seen = new HashSet<String>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                Location keyAt = here();
                if (!seen.add(key)) throw new MaxException(DeidError.DUPLICATE_KEY, keyAt, key);
                p.nextToken();
                switch (key) {
                    case "role" -> r.roles = words(key, ColumnRole.values(), ColumnRole::word, ColumnRole.class);
                    case "sensitivity" -> r.sensitivities = words(key, Sensitivity.values(), Sensitivity::word, Sensitivity.class);
                    case "unit" -> r.unit = text(key, "unit: Cel");
                    default -> throw new MaxException(DeidError.UNKNOWN_KEY, keyAt, key, String.join(", ", MATCH_KEYS));
                }
            }
            if (r.roles.isEmpty() && r.sensitivities.isEmpty() && r.unit == null) {
                throw new MaxException(DeidError.EMPTY_MATCH, matchAt);
            }
        }

        /** A file reference, or an inline mapping of value to its labels (a list, or one label). */
        private CategoryHierarchy hierarchy(Location keyAt) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                String reference = p.getString().strip();
                HierarchySource.Text file;
                try {
                    file = hierarchies.read(reference);
                } catch (IOException | RuntimeException e) {
                    throw new MaxException(DeidError.HIERARCHY_UNREADABLE, keyAt, e, reference);
                }
                return CategoryHierarchy.parseCsv(file.content(), reference, file.fileName());
            }
            if (t != JsonToken.START_OBJECT) {
                throw new MaxException(DeidError.WRONG_TYPE, here(), "hierarchy",
                        "hierarchy: assets.csv | hierarchy: { M1: [line-A, ulsan], M2: [line-A, ulsan] }");
            }
            Location mapAt = here();
            var entries = new LinkedHashMap<String, List<String>>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String value = p.currentName();
                Location valueAt = here();
                if (entries.containsKey(value)) {
                    throw new MaxException(DeidError.HIERARCHY_DUPLICATE_VALUE, valueAt, value, valueAt.line());
                }
                JsonToken v = p.nextToken();
                var labels = new ArrayList<String>();
                if (v == JsonToken.START_ARRAY) {
                    while ((v = p.nextToken()) != JsonToken.END_ARRAY) labels.add(scalarText("hierarchy." + value));
                } else {
                    labels.add(scalarText("hierarchy." + value));
                }
                if (!entries.isEmpty()) {
                    int expected = entries.values().iterator().next().size();
                    if (labels.size() != expected) {
                        throw new MaxException(DeidError.HIERARCHY_RAGGED, valueAt, labels.size(), expected);
                    }
                }
                entries.put(value, labels);
            }
            return CategoryHierarchy.of(entries, mapAt);
        }

        private NoiseBound bound() {
            JsonToken t = p.currentToken();
            Location at = here();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                BigDecimal b = decimal("bound");
                if (b.signum() < 0) throw new MaxException(DeidError.OUT_OF_RANGE, at, "bound", b.toPlainString(), "0 …");
                return new NoiseBound(b, false);
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getString().strip();
                if (s.endsWith("%")) {
                    try {
                        BigDecimal b = new BigDecimal(s.substring(0, s.length() - 1).strip());
                        if (b.signum() < 0) throw new MaxException(DeidError.OUT_OF_RANGE, at, "bound", s, "0% …");
                        return new NoiseBound(b, true);
                    } catch (NumberFormatException e) {
                        // falls through to the shape error
                    }
                }
            }
            throw new MaxException(DeidError.WRONG_TYPE, at, "bound", "bound: 0.5 | bound: \"2%\"");
        }

        private DeidAction defaultAction() {
            DeidAction a = word("default", DeidAction.values(), DeidAction::word);
            if (!DEFAULT_ACTIONS.contains(a)) {
                throw new MaxException(DeidError.UNKNOWN_WORD, here(), "default", a.word(),
                        String.join(" | ", DEFAULT_ACTIONS.stream().map(DeidAction::word).toList()));
            }
            return a;
        }

        // ------------------------------------------------------------ scalars

        private String text(String key, String example) {
            JsonToken t = p.currentToken();
            if (t == null || !t.isScalarValue() || t == JsonToken.VALUE_NULL) {
                throw new MaxException(DeidError.WRONG_TYPE, here(), key, example);
            }
            return p.getString();
        }

        private String scalarText(String key) {
            JsonToken t = p.currentToken();
            if (t == null || !t.isScalarValue() || t == JsonToken.VALUE_NULL) {
                throw new MaxException(DeidError.WRONG_TYPE, here(), key, "text");
            }
            return p.getString().strip();
        }

        private int integer(String key, int min, int max, String range) {
            Location at = here();
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new MaxException(DeidError.WRONG_TYPE, at, key, key + ": 5");
            }
            BigDecimal v = decimal(key);
            if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
                throw new MaxException(DeidError.OUT_OF_RANGE, at, key, v.toPlainString(), range);
            }
            return v.intValueExact();
        }

        private BigDecimal positiveNumber(String key) {
            Location at = here();
            JsonToken t = p.currentToken();
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new MaxException(DeidError.WRONG_TYPE, at, key, key + ": 10");
            }
            BigDecimal v = decimal(key);
            if (v.signum() <= 0) throw new MaxException(DeidError.OUT_OF_RANGE, at, key, v.toPlainString(), "> 0");
            return v;
        }

        /** A share 0..1, as a number or as a percentage text {@code "5%"}. */
        private BigDecimal share(String key) {
            Location at = here();
            JsonToken t = p.currentToken();
            BigDecimal v;
            String shown;
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                v = decimal(key);
                shown = v.toPlainString();
            } else if (t == JsonToken.VALUE_STRING && p.getString().strip().endsWith("%")) {
                shown = p.getString().strip();
                try {
                    v = new BigDecimal(shown.substring(0, shown.length() - 1).strip()).movePointLeft(2);
                } catch (NumberFormatException e) {
                    throw new MaxException(DeidError.WRONG_TYPE, at, key, key + ": 0.05 | " + key + ": \"5%\"");
                }
            } else {
                throw new MaxException(DeidError.WRONG_TYPE, at, key, key + ": 0.05 | " + key + ": \"5%\"");
            }
            if (v.signum() < 0 || v.compareTo(BigDecimal.ONE) > 0) {
                throw new MaxException(DeidError.OUT_OF_RANGE, at, key, shown, "0 … 1 (0% … 100%)");
            }
            return v.stripTrailingZeros();
        }

        private BigDecimal decimal(String key) {
            try {
                return new BigDecimal(p.getString().strip().replace("_", ""));
            } catch (NumberFormatException e) {
                // .inf, .nan and other spellings a YAML parser reads as numbers
                throw new MaxException(DeidError.OUT_OF_RANGE, here(), key, p.getString(), "a finite number");
            }
        }

        private boolean bool(String key) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE) return true;
            if (t == JsonToken.VALUE_FALSE) return false;
            throw new MaxException(DeidError.WRONG_TYPE, here(), key, key + ": true | " + key + ": false");
        }

        private <E> E word(String key, E[] values, Function<E, String> word) {
            JsonToken t = p.currentToken();
            Location at = here();
            var allowed = String.join(" | ", java.util.Arrays.stream(values).map(word).toList());
            if (t != JsonToken.VALUE_STRING) throw new MaxException(DeidError.WRONG_TYPE, at, key, key + ": " + allowed);
            String text = p.getString().strip();
            for (E v : values) if (word.apply(v).equalsIgnoreCase(text)) return v;
            throw new MaxException(DeidError.UNKNOWN_WORD, at, key, text, allowed);
        }

        /** One word or a list of words. */
        private <E extends Enum<E>> Set<E> words(String key, E[] values, Function<E, String> word, Class<E> type) {
            var set = EnumSet.noneOf(type);
            if (p.currentToken() == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) set.add(word(key, values, word));
                if (set.isEmpty()) {
                    throw new MaxException(DeidError.WRONG_TYPE, here(), key, key + ": [" + word.apply(values[0]) + ", …]");
                }
            } else {
                set.add(word(key, values, word));
            }
            return set;
        }

        private Location here() {
            TokenStreamLocation at = p.currentTokenLocation();
            long line = at == null ? 0 : Math.max(0, at.getLineNr());
            int column = at == null ? 0 : Math.max(0, at.getColumnNr());
            return Location.cell(sourceName, line, column, null);
        }
    }

    // ---------------------------------------------------------------- writing

    static String write(DeidProfile profile) {
        return write(profile, false);
    }

    /** With {@code inline}, category hierarchies are written out in full, so the text stands on its own. */
    static String write(DeidProfile profile, boolean inline) {
        var y = new StringBuilder(512);
        y.append("# M.AX 비식별 프로파일 / de-identification profile\n");
        y.append("profile: ").append(quoted(profile.name())).append('\n');
        y.append("k: ").append(profile.k()).append('\n');
        y.append("suppression_limit: ").append(profile.suppressionLimit().toPlainString()).append('\n');
        if (profile.allowKeepSensitive()) y.append("allow_keep_sensitive: true\n");
        y.append("rules:");
        if (profile.rules().isEmpty()) y.append(" []");
        y.append('\n');
        for (DeidRule r : profile.rules()) {
            y.append("  - match: {");
            var parts = new ArrayList<String>();
            if (!r.roles().isEmpty()) parts.add(" role: " + list(r.roles().stream().sorted().map(ColumnRole::word).toList()));
            if (!r.sensitivities().isEmpty()) {
                parts.add(" sensitivity: " + list(r.sensitivities().stream().sorted().map(Sensitivity::word).toList()));
            }
            if (r.unit() != null) parts.add(" unit: " + quoted(r.unit()));
            y.append(String.join(",", parts)).append(" }\n");
            y.append("    action: ").append(r.action().word()).append('\n');
            switch (r.generalization()) {
                case Generalization.Time t -> y.append("    to: ").append(t.to().word()).append('\n');
                case Generalization.Width w -> y.append("    width: ").append(w.width().toPlainString()).append('\n');
                case Generalization.Categories c -> {
                    y.append("    hierarchy: ");
                    if (c.hierarchy().source() != null && !inline) {
                        y.append(quoted(c.hierarchy().source()));
                    } else {
                        y.append('{');
                        boolean first = true;
                        for (var e : c.hierarchy().ancestors().entrySet()) {
                            y.append(first ? " " : ", ").append(quoted(e.getKey())).append(": [");
                            y.append(String.join(", ", e.getValue().stream().map(ProfileYaml::quoted).toList()));
                            y.append(']');
                            first = false;
                        }
                        y.append(" }");
                    }
                    y.append('\n');
                    y.append("    level: ").append(c.level()).append('\n');
                }
                case null -> {
                }
            }
            if (r.bound() != null) {
                y.append("    bound: ").append(r.bound().relative() ? quoted(r.bound().toString()) : r.bound().toString())
                        .append('\n');
            }
            if (r.quasiIdentifier()) y.append("    quasi_identifier: true\n");
        }
        y.append("default: ").append(profile.defaultAction().word()).append('\n');
        return y.toString();
    }

    private static String list(List<String> words) {
        return words.size() == 1 ? words.getFirst() : "[" + String.join(", ", words) + "]";
    }

    static String quoted(String s) {
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
                    if (c < 0x20 || c == 0x7F) q.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
                    else q.append(c);
                }
            }
        }
        return q.append('"').toString();
    }
}
