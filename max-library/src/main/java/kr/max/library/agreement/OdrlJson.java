package kr.max.library.agreement;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.policy.Action;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes {@link UsagePolicy} in its ODRL-like JSON shape. */
final class OdrlJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String LEFT_OPERANDS = "purpose, spatial, dateTime, count, max:release";

    /** What a malformed place should have held; the ordinal selects the wording in the message bundles. */
    private enum Expected { JSON, JSON_OBJECT, ARRAY, OBJECT, STRING, INTEGER, INSTANT, STRINGS }

    /** The library's own left operand (ODRL allows a profile's): what kind of copy of the dataset is used. */
    static final String RELEASE = "max:release";
    static final String DEIDENTIFIED = "deidentified";

    private OdrlJson() {
    }

    static String write(UsagePolicy policy) {
        ObjectNode root = JSON.createObjectNode();
        writeRules(root.putArray("permission"), policy.permissions());
        writeRules(root.putArray("prohibition"), policy.prohibitions());
        ArrayNode obligations = root.putArray("obligation");
        for (Duty d : policy.duties()) obligations.addObject().put("action", d.word());
        return JSON.writeValueAsString(root);
    }

    private static void writeRules(ArrayNode out, List<PolicyRule> rules) {
        for (PolicyRule rule : rules) {
            ObjectNode r = out.addObject();
            r.put("action", rule.action().word());
            ArrayNode constraints = r.putArray("constraint");
            for (Constraint c : rule.constraints()) {
                switch (c) {
                    case Constraint.PurposeIn p -> anyOf(constraints, "purpose", p.purposes());
                    case Constraint.JurisdictionIn j -> anyOf(constraints, "spatial", j.jurisdictions());
                    case Constraint.TimeWindow w -> {
                        constraint(constraints, "dateTime", "gteq").put("rightOperand", w.notBefore().toString());
                        constraint(constraints, "dateTime", "lt").put("rightOperand", w.notAfter().toString());
                    }
                    case Constraint.CountAtMost n -> constraint(constraints, "count", "lteq").put("rightOperand", n.max());
                    case Constraint.DeidentifiedRelease d -> constraint(constraints, RELEASE, "eq").put("rightOperand", DEIDENTIFIED);
                }
            }
        }
    }

    private static void anyOf(ArrayNode constraints, String leftOperand, Set<String> values) {
        ArrayNode right = constraint(constraints, leftOperand, "isAnyOf").putArray("rightOperand");
        // Sorted, so the same policy always gives the same text (it is hashed into audit records).
        for (String v : new TreeSet<>(values)) right.add(v);
    }

    private static ObjectNode constraint(ArrayNode constraints, String leftOperand, String operator) {
        ObjectNode c = constraints.addObject();
        c.put("leftOperand", leftOperand);
        c.put("operator", operator);
        return c;
    }

    static UsagePolicy read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw malformed("$", Expected.JSON);
        }
        if (root == null || !root.isObject()) throw malformed("$", Expected.JSON_OBJECT);
        members(root, "$", Set.of("permission", "prohibition", "obligation"));
        var permissions = rules(root.get("permission"), "permission");
        var prohibitions = rules(root.get("prohibition"), "prohibition");
        var duties = new ArrayList<Duty>();
        int i = 0;
        for (JsonNode d : array(root.get("obligation"), "obligation")) {
            String path = "obligation[" + i++ + "]";
            object(d, path);
            members(d, path, Set.of("action"));
            String word = text(d.get("action"), path + ".action");
            duties.add(Duty.fromWord(word).orElseThrow(() -> new MaxException(AgreementError.UNKNOWN_DUTY,
                    Location.NOWHERE, word, path, "attribute, review-output, delete-at-end")));
        }
        return new UsagePolicy(permissions, prohibitions, duties);
    }

    private static List<PolicyRule> rules(JsonNode node, String name) {
        var out = new ArrayList<PolicyRule>();
        int i = 0;
        for (JsonNode r : array(node, name)) {
            String path = name + "[" + i++ + "]";
            object(r, path);
            members(r, path, Set.of("action", "constraint"));
            String word = text(r.get("action"), path + ".action");
            Action action = Action.fromWord(word).filter(Action::usesData).orElseThrow(() -> new MaxException(
                    AgreementError.UNKNOWN_ACTION, Location.NOWHERE, word, path + ".action", UsagePolicy.ACTIONS));
            out.add(new PolicyRule(action, constraints(r.get("constraint"), path + ".constraint")));
        }
        return out;
    }

    private static List<Constraint> constraints(JsonNode node, String name) {
        var out = new ArrayList<Constraint>();
        List<JsonNode> items = array(node, name);
        for (int i = 0; i < items.size(); i++) {
            String path = name + "[" + i + "]";
            JsonNode c = items.get(i);
            object(c, path);
            members(c, path, Set.of("leftOperand", "operator", "rightOperand"));
            String left = text(c.get("leftOperand"), path + ".leftOperand");
            String op = text(c.get("operator"), path + ".operator");
            JsonNode right = c.get("rightOperand");
            switch (left) {
                case "purpose" -> {
                    operator(op, "isAnyOf", left, path);
                    out.add(new Constraint.PurposeIn(texts(right, path + ".rightOperand")));
                }
                case "spatial" -> {
                    operator(op, "isAnyOf", left, path);
                    out.add(new Constraint.JurisdictionIn(texts(right, path + ".rightOperand")));
                }
                case "dateTime" -> {
                    // A window is written as its two ends, adjacent and in order; anything else is ambiguous.
                    operator(op, "gteq", left, path);
                    String endPath = name + "[" + (i + 1) + "]";
                    if (i + 1 >= items.size() || !"dateTime".equals(items.get(i + 1).path("leftOperand").asString(""))) {
                        throw new MaxException(AgreementError.INCOMPLETE_WINDOW, Location.NOWHERE, path);
                    }
                    JsonNode end = items.get(i + 1);
                    object(end, endPath);
                    members(end, endPath, Set.of("leftOperand", "operator", "rightOperand"));
                    operator(text(end.get("operator"), endPath + ".operator"), "lt", left, endPath);
                    out.add(new Constraint.TimeWindow(instant(right, path + ".rightOperand"),
                            instant(end.get("rightOperand"), endPath + ".rightOperand")));
                    i++;
                }
                case "count" -> {
                    operator(op, "lteq", left, path);
                    if (right == null || !right.isIntegralNumber() || !right.canConvertToLong()) {
                        throw malformed(path + ".rightOperand", Expected.INTEGER);
                    }
                    out.add(new Constraint.CountAtMost(right.longValue()));
                }
                case RELEASE -> {
                    operator(op, "eq", left, path);
                    if (right == null || !DEIDENTIFIED.equals(right.asString(""))) {
                        throw new MaxException(AgreementError.UNKNOWN_OPERATOR, Location.NOWHERE,
                                right == null ? "null" : right.toString(), left, path + ".rightOperand", DEIDENTIFIED);
                    }
                    out.add(new Constraint.DeidentifiedRelease());
                }
                default -> throw new MaxException(AgreementError.UNKNOWN_LEFT_OPERAND, Location.NOWHERE, left, path,
                        LEFT_OPERANDS);
            }
        }
        return out;
    }

    private static void operator(String op, String expected, String left, String path) {
        if (!op.equals(expected)) {
            throw new MaxException(AgreementError.UNKNOWN_OPERATOR, Location.NOWHERE, op, left, path + ".operator", expected);
        }
    }

    private static void members(JsonNode node, String path, Set<String> allowed) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            if (allowed.contains(name) || name.startsWith("@") || name.equals("uid")) continue;
            throw new MaxException(AgreementError.UNKNOWN_MEMBER, Location.NOWHERE, name, path,
                    String.join(", ", new TreeSet<>(allowed)));
        }
    }

    /** A missing array is an empty one: a policy without prohibitions need not say so. */
    private static List<JsonNode> array(JsonNode node, String path) {
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) throw malformed(path, Expected.ARRAY);
        var out = new ArrayList<JsonNode>();
        node.forEach(out::add);
        return out;
    }

    private static void object(JsonNode node, String path) {
        if (!node.isObject()) throw malformed(path, Expected.OBJECT);
    }

    private static String text(JsonNode node, String path) {
        if (node == null || !node.isString()) throw malformed(path, Expected.STRING);
        return node.stringValue();
    }

    private static Set<String> texts(JsonNode node, String path) {
        if (node == null) throw malformed(path, Expected.STRINGS);
        var out = new LinkedHashSet<String>();
        if (node.isString()) {
            out.add(node.stringValue());
            return out;
        }
        int i = 0;
        for (JsonNode v : array(node, path)) out.add(text(v, path + "[" + i++ + "]"));
        return out;
    }

    private static Instant instant(JsonNode node, String path) {
        String text = text(node, path);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw malformed(path, Expected.INSTANT);
        }
    }

    private static MaxException malformed(String path, Expected expected) {
        return new MaxException(AgreementError.MALFORMED_POLICY, Location.NOWHERE, path, expected.ordinal());
    }
}
