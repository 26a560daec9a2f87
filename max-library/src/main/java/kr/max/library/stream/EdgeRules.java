package kr.max.library.stream;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kr.max.core.Classification;
import kr.max.core.Location;
import kr.max.core.MaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What may leave the plant of a stream dataset's samples, as the hub decides it for every edge that forwards into it
 * (엣지 반출 규칙, decision 0019): per tag id, {@linkplain TagRule#drop() drop} (the tag's samples stay in the plant) or
 * {@linkplain TagRule#round() round} (values generalized to a multiple of a step), and a classification per tag with
 * the highest class that may leave ({@link #maxClass()}, {@code restricted} unless set: {@code designated} tags —
 * process recipes of national core technology — stay in the plant). A tag with no class is not held back by class.
 *
 * <p>The version grows by one with every change; 0 is a stream dataset whose rules were never set, with these
 * defaults in force. The same rules decide at the edge ({@link #keepsInPlant}, {@link #generalize}) and at the hub,
 * which refuses a post that does not obey them ({@link #violation}).
 *
 * <p>As JSON (the wire and the catalog):
 * <pre>{@code
 * {"dataset":"hanbit/line-1","version":3,"changed_at":"2026-12-01T00:00:00Z","changed_by":"jihoon",
 *  "max_class":"restricted",
 *  "tags":{"operator-id":{"drop":true},"spindle-speed":{"round":10},"mold-recipe":{"class":"designated"}}}
 * }</pre>
 * {@code dataset}, {@code version}, {@code changed_at} and {@code changed_by} are the hub's to say and are ignored when
 * rules are set; any other field is refused, so an edge never forwards under rules it does not understand.
 *
 * @param version   0 when never set, then 1, 2, …
 * @param tags      per tag id its rule, sorted by tag id
 * @param maxClass  the highest class of a tag whose samples leave the plant
 * @param changedAt when this version was set, or null for the defaults
 * @param changedBy who set it, or null for the defaults
 */
public record EdgeRules(long version, Map<String, TagRule> tags, Classification maxClass, Instant changedAt, String changedBy) {

    /** What leaves unless the rules say otherwise: everything up to {@code restricted}. */
    public static final Classification DEFAULT_MAX_CLASS = Classification.RESTRICTED;
    /** Most tags one set of rules may name. */
    public static final int MAX_TAGS = 10_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> FIELDS = Set.of("dataset", "version", "changed_at", "changed_by", "max_class", "tags");
    private static final Set<String> TAG_FIELDS = Set.of("drop", "round", "class");

    /**
     * The rule of one tag: at least one of the three.
     *
     * @param drop           the tag's samples stay in the plant
     * @param round          values are rounded to a multiple of this step (&gt; 0), or null
     * @param classification the tag's class, or null for none
     */
    public record TagRule(boolean drop, Double round, Classification classification) {

        public static TagRule dropped() {
            return new TagRule(true, null, null);
        }

        public static TagRule rounded(double step) {
            return new TagRule(false, step, null);
        }

        public static TagRule classified(Classification c) {
            return new TagRule(false, null, c);
        }

        /** This rule with {@code other}'s parts where it has them. */
        public TagRule with(TagRule other) {
            return new TagRule(drop || other.drop, other.round != null ? other.round : round,
                    other.classification != null ? other.classification : classification);
        }
    }

    public EdgeRules {
        if (version < 0) throw new IllegalArgumentException("version " + version);
        maxClass = maxClass == null ? DEFAULT_MAX_CLASS : maxClass;
        if (tags == null) tags = Map.of();
        if (tags.size() > MAX_TAGS) throw bad("tags", "more than " + MAX_TAGS + " tags");
        var sorted = new TreeMap<String, TagRule>();
        for (var e : tags.entrySet()) {
            String tag = e.getKey();
            checkTag(tag);
            TagRule r = e.getValue();
            String field = "tags." + tag;
            if (r == null || !r.drop() && r.round() == null && r.classification() == null) {
                throw bad(field, "a rule needs drop, round or class");
            }
            if (r.round() != null && !(Double.isFinite(r.round()) && r.round() > 0)) {
                throw bad(field + ".round", "the step must be a number above 0");
            }
            if (r.drop() && r.round() != null) throw bad(field, "a dropped tag is not also rounded");
            sorted.put(tag, r);
        }
        tags = Collections.unmodifiableMap(sorted);
    }

    /** The rules of a stream dataset whose rules were never set (version 0). */
    public static EdgeRules defaults() {
        return new EdgeRules(0, Map.of(), DEFAULT_MAX_CLASS, null, null);
    }

    /** Rules to set: the hub gives the version, time and author. */
    public static EdgeRules of(Map<String, TagRule> tags, Classification maxClass) {
        return new EdgeRules(0, tags, maxClass, null, null);
    }

    /** These rules as the version set at {@code at} by {@code by}. */
    public EdgeRules asVersion(long v, Instant at, String by) {
        return new EdgeRules(v, tags, maxClass, at, by);
    }

    /** Whether the tag's samples stay in the plant: dropped, or classified above {@link #maxClass()}. */
    public boolean keepsInPlant(String tag) {
        TagRule r = tags.get(tag);
        return r != null && (r.drop() || r.classification() != null && r.classification().compareTo(maxClass) > 0);
    }

    /** The value as it may leave: rounded to the tag's step where the rules say so (a value that is no number stays). */
    public double generalize(String tag, double value) {
        TagRule r = tags.get(tag);
        if (r == null || r.round() == null || !Double.isFinite(value)) return value;
        return round(value, r.round());
    }

    /** {@code value} to the nearest multiple of {@code step}, written as the decimal multiple (0.3, not 0.30000000000000004). */
    public static double round(double value, double step) {
        long k = Math.round(value / step);
        return new BigDecimal(k).multiply(BigDecimal.valueOf(step)).doubleValue();
    }

    /**
     * Why a sample of {@code tag} with {@code value} must not arrive at the hub under these rules, or null when it
     * may: what the hub checks of every sample an edge posts.
     */
    public String violation(String tag, double value) {
        TagRule r = tags.get(tag);
        if (r == null) return null;
        if (r.drop()) return "is kept in the plant (drop; rules version " + version + ")";
        if (r.classification() != null && r.classification().compareTo(maxClass) > 0) {
            return "is " + r.classification().word() + ", above " + maxClass.word() + " (rules version " + version + ")";
        }
        if (r.round() != null && Double.isFinite(value)) {
            double k = value / r.round();
            if (Math.abs(k - Math.rint(k)) > 1e-6 * Math.max(1, Math.abs(k))) {
                return "is not rounded to a multiple of " + plain(r.round()) + " (rules version " + version + ")";
            }
        }
        return null;
    }

    /** Tags whose samples stay in the plant, sorted. */
    public Set<String> keptInPlant() {
        var out = new java.util.TreeSet<String>();
        for (String t : tags.keySet()) if (keepsInPlant(t)) out.add(t);
        return out;
    }

    // ---- JSON

    /** The wire form, with the dataset named. */
    public String toJson(String dataset) {
        ObjectNode n = JSON.createObjectNode();
        if (dataset != null) n.put("dataset", dataset);
        n.put("version", version);
        if (changedAt != null) n.put("changed_at", changedAt.toString());
        if (changedBy != null) n.put("changed_by", changedBy);
        rulesInto(n);
        return JSON.writeValueAsString(n);
    }

    /** Only what the rules say (no version, time or author): what the catalog stores, and its hash the audit. */
    public String canonicalJson() {
        ObjectNode n = JSON.createObjectNode();
        rulesInto(n);
        return JSON.writeValueAsString(n);
    }

    private void rulesInto(ObjectNode n) {
        n.put("max_class", maxClass.word());
        ObjectNode t = n.putObject("tags");
        tags.forEach((tag, r) -> {
            ObjectNode o = t.putObject(tag);
            if (r.drop()) o.put("drop", true);
            if (r.round() != null) o.put("round", r.round());
            if (r.classification() != null) o.put("class", r.classification().word());
        });
    }

    /**
     * Reads rules from their JSON text.
     *
     * @throws MaxException {@code MAX-STREAM-010} naming the field when they are not usable (not JSON included)
     */
    public static EdgeRules fromJson(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JacksonException e) {
            throw bad("body", "not JSON");
        }
        return parse(n);
    }

    /**
     * Reads rules from parsed JSON: strict in what it takes, so that a rule one side does not know is refused, never
     * silently left out.
     *
     * @throws MaxException {@code MAX-STREAM-010} naming the field
     */
    public static EdgeRules parse(JsonNode n) {
        if (n == null || !n.isObject()) throw bad("body", "not a JSON object");
        for (String name : n.propertyNames()) {
            if (!FIELDS.contains(name)) throw bad(name, "unknown field; known are " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
        }
        long version = 0;
        JsonNode v = n.get("version");
        if (v != null && !v.isNull()) {
            if (!v.isIntegralNumber() || v.asLong() < 0) throw bad("version", "a whole number 0 or above");
            version = v.asLong();
        }
        Instant at = null;
        JsonNode a = n.get("changed_at");
        if (a != null && !a.isNull()) {
            try {
                at = Instant.parse(text(a, "changed_at"));
            } catch (DateTimeParseException e) {
                throw bad("changed_at", "an ISO-8601 instant");
            }
        }
        String by = n.get("changed_by") == null || n.get("changed_by").isNull() ? null : text(n.get("changed_by"), "changed_by");
        Classification max = classification(n.get("max_class"), "max_class");
        var tags = new TreeMap<String, TagRule>();
        JsonNode t = n.get("tags");
        if (t != null && !t.isNull()) {
            if (!t.isObject()) throw bad("tags", "an object of tag id to rule");
            for (var e : t.properties()) {
                String field = "tags." + e.getKey();
                JsonNode r = e.getValue();
                if (r == null || !r.isObject()) throw bad(field, "an object with drop, round or class");
                for (String name : r.propertyNames()) {
                    if (!TAG_FIELDS.contains(name)) throw bad(field + "." + name, "unknown field; known are class, drop, round");
                }
                boolean drop = false;
                JsonNode d = r.get("drop");
                if (d != null && !d.isNull()) {
                    if (!d.isBoolean()) throw bad(field + ".drop", "true or false");
                    drop = d.asBoolean();
                }
                Double step = null;
                JsonNode s = r.get("round");
                if (s != null && !s.isNull()) {
                    if (!s.isNumber()) throw bad(field + ".round", "the step must be a number above 0");
                    step = s.asDouble();
                }
                tags.put(e.getKey(), new TagRule(drop, step, classification(r.get("class"), field + ".class")));
            }
        }
        return new EdgeRules(version, tags, max, at, by);
    }

    private static Classification classification(JsonNode n, String field) {
        if (n == null || n.isNull()) return null;
        String word = text(n, field);
        for (Classification c : Classification.values()) {
            if (c.word().equals(word.strip().toLowerCase(java.util.Locale.ROOT))) return c;
        }
        throw bad(field, "one of public, internal, restricted, designated");
    }

    private static String text(JsonNode n, String field) {
        if (!n.isString()) throw bad(field, "text");
        return n.asString();
    }

    /** A short account for the audit record: the version, the class limit and each kind of rule with its tags. */
    public String summary() {
        var drop = new ArrayList<String>();
        var round = new ArrayList<String>();
        var classes = new ArrayList<String>();
        tags.forEach((tag, r) -> {
            if (r.drop()) drop.add(tag);
            if (r.round() != null) round.add(tag + "=" + plain(r.round()));
            if (r.classification() != null) classes.add(tag + "=" + r.classification().word());
        });
        return "version=" + version + " max-class=" + maxClass.word() + " drop=" + String.join(",", drop)
                + " round=" + String.join(",", round) + " class=" + String.join(",", classes);
    }

    /** A step as people write it: {@code 10}, {@code 0.5}. */
    public static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static void checkTag(String tag) {
        if (tag == null || tag.isBlank() || tag.length() > 200 || !tag.equals(tag.strip())
                || tag.chars().anyMatch(Character::isISOControl)) {
            throw bad("tags", "tag id \"" + (tag == null ? "" : tag.length() > 40 ? tag.substring(0, 40) + "…" : tag)
                    + "\" is not 1 to 200 characters without surrounding spaces or control characters");
        }
    }

    private static MaxException bad(String field, String problem) {
        return new MaxException(StreamError.BAD_EDGE_RULES, Location.NOWHERE, field, problem);
    }
}
