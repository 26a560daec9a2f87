package kr.max.library.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kr.max.core.Location;
import kr.max.core.MaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a query reads, found by DuckDB's own parser ({@code json_serialize_sql}) rather than by
 * pattern matching: the tables it names and, for a table read directly by a SELECT, the simple
 * conjuncts of its WHERE clause that can prune chunks. Anything more complex yields no conjuncts, so
 * pruning stays conservative. The serializer accepts only SELECT statements, which makes it the
 * first gate against statements that write or configure.
 */
final class SqlAnalysis {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Table functions a query may use. Every other one is refused before anything runs: most read
     * files or run SQL text ({@code read_csv}, {@code glob}, {@code query}), and DuckDB's own file
     * access rules stay behind this as a second wall.
     */
    private static final Set<String> ALLOWED_TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest");

    /** One comparison {@code column op literal}; op is one of {@code = > >= < <=}. */
    record Comparison(String column, String op, String literal) {
    }

    /** A table reference and the conjuncts that hold for every row read through it (maybe none). */
    record TableRef(String name, List<Comparison> conjuncts) {
    }

    private SqlAnalysis() {
    }

    static List<TableRef> analyze(Connection duck, String sql) {
        String json;
        try (PreparedStatement ps = duck.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                json = rs.getString(1);
            }
        } catch (SQLException e) {
            throw new MaxException(QueryError.SYNTAX, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
        }
        JsonNode root = JSON.readTree(json);
        if (root.path("error").asBoolean(false)) {
            String message = root.path("error_message").asString("");
            if (message.contains("Only SELECT")) {
                throw new MaxException(QueryError.NOT_A_SELECT, Location.NOWHERE, statementKind(sql));
            }
            throw new MaxException(QueryError.SYNTAX, Location.NOWHERE, SqlText.firstLine(message));
        }
        JsonNode statements = root.path("statements");
        if (statements.size() != 1) {
            throw new MaxException(QueryError.NOT_A_SELECT, Location.NOWHERE, statements.size() + " statements");
        }
        var cteNames = new HashSet<String>();
        collectCteNames(statements, cteNames);
        var refs = new ArrayList<TableRef>();
        visit(statements, refs);
        refs.removeIf(r -> cteNames.contains(r.name()));
        return refs;
    }

    private static void collectCteNames(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            JsonNode map = node.path("cte_map").path("map");
            for (JsonNode entry : map) out.add(entry.path("key").asString(""));
            for (var e : node.properties()) collectCteNames(e.getValue(), out);
        } else if (node.isArray()) {
            for (JsonNode child : node) collectCteNames(child, out);
        }
    }

    private static void visit(JsonNode node, List<TableRef> refs) {
        if (node.isArray()) {
            for (JsonNode child : node) visit(child, refs);
            return;
        }
        if (!node.isObject()) return;
        String type = node.path("type").asString("");
        JsonNode from = node.path("from_table");
        if ("SELECT_NODE".equals(type) && "BASE_TABLE".equals(from.path("type").asString(""))) {
            refs.add(new TableRef(tableName(from), conjuncts(node.path("where_clause"))));
            for (var e : node.properties()) {
                if (!e.getKey().equals("from_table")) visit(e.getValue(), refs);
            }
            return;
        }
        if ("BASE_TABLE".equals(type)) {
            refs.add(new TableRef(tableName(node), List.of()));
        }
        if ("TABLE_FUNCTION".equals(type)) {
            String function = node.path("function").path("function_name").asString("").toLowerCase(java.util.Locale.ROOT);
            if (!ALLOWED_TABLE_FUNCTIONS.contains(function)) {
                throw new MaxException(QueryError.FORBIDDEN, Location.NOWHERE);
            }
        }
        for (var e : node.properties()) visit(e.getValue(), refs);
    }

    private static String tableName(JsonNode baseTable) {
        String schema = baseTable.path("schema_name").asString("");
        String catalog = baseTable.path("catalog_name").asString("");
        String table = baseTable.path("table_name").asString("");
        if (!catalog.isEmpty()) return catalog + "." + schema + "." + table;
        return schema.isEmpty() ? table : schema + "." + table;
    }

    private static List<Comparison> conjuncts(JsonNode where) {
        if (where.isMissingNode() || where.isNull()) return List.of();
        var out = new ArrayList<Comparison>();
        if ("CONJUNCTION_AND".equals(where.path("type").asString(""))) {
            for (JsonNode child : where.path("children")) addComparison(child, out);
        } else {
            addComparison(where, out);
        }
        return out;
    }

    private static void addComparison(JsonNode e, List<Comparison> out) {
        String cls = e.path("class").asString("");
        if ("BETWEEN".equals(cls)) {
            String column = column(e.path("input"));
            String low = literal(e.path("lower"));
            String high = literal(e.path("upper"));
            if (column != null && low != null && high != null) {
                out.add(new Comparison(column, ">=", low));
                out.add(new Comparison(column, "<=", high));
            }
            return;
        }
        if (!"COMPARISON".equals(cls)) return;
        String op = switch (e.path("type").asString("")) {
            case "COMPARE_EQUAL" -> "=";
            case "COMPARE_GREATERTHAN" -> ">";
            case "COMPARE_GREATERTHANOREQUALTO" -> ">=";
            case "COMPARE_LESSTHAN" -> "<";
            case "COMPARE_LESSTHANOREQUALTO" -> "<=";
            default -> null;
        };
        if (op == null) return;
        String leftColumn = column(e.path("left"));
        String rightLiteral = literal(e.path("right"));
        if (leftColumn != null && rightLiteral != null) {
            out.add(new Comparison(leftColumn, op, rightLiteral));
            return;
        }
        String rightColumn = column(e.path("right"));
        String leftLiteral = literal(e.path("left"));
        if (rightColumn != null && leftLiteral != null) {
            out.add(new Comparison(rightColumn, flip(op), leftLiteral));
        }
    }

    private static String flip(String op) {
        return switch (op) {
            case ">" -> "<";
            case ">=" -> "<=";
            case "<" -> ">";
            case "<=" -> ">=";
            default -> op;
        };
    }

    private static String column(JsonNode e) {
        if (!"COLUMN_REF".equals(e.path("class").asString(""))) return null;
        JsonNode names = e.path("column_names");
        return names.isEmpty() ? null : names.get(names.size() - 1).asString();
    }

    /** The text of a constant, also under a cast such as {@code TIMESTAMP '2020-01-01'}. */
    private static String literal(JsonNode e) {
        String cls = e.path("class").asString("");
        if ("CAST".equals(cls)) return literal(e.path("child"));
        if (!"CONSTANT".equals(cls)) return null;
        JsonNode lit = e.path("value");
        if (lit.isMissingNode()) lit = e.path("literal");
        if (lit.path("is_null").asBoolean(false)) return null;
        JsonNode text = lit.path("text");
        if (!text.isMissingNode() && !text.isNull()) return text.asString();
        JsonNode value = lit.path("value");
        return value.isMissingNode() || value.isNull() || value.isContainer() ? null : value.asString();
    }

    /** The statement's first word (COPY, ATTACH, PRAGMA…), to name what was refused without echoing the query. */
    private static String statementKind(String sql) {
        String t = sql.strip();
        int end = 0;
        while (end < t.length() && Character.isLetter(t.charAt(end))) end++;
        return end == 0 ? "?" : t.substring(0, Math.min(end, 20)).toUpperCase(java.util.Locale.ROOT);
    }


    /** The column the safe-zone rewrite adds: how many stored rows each result row aggregates. */
    static final String CONTRIBUTORS = "__max_contributors";

    /**
     * The query with {@code count(*) AS __max_contributors} added to its outermost SELECT, so that the
     * safe zone can hold back every result row that aggregates fewer than k stored rows. Only a plain
     * aggregate straight over datasets qualifies: then that count is the number of stored rows behind
     * each result row. Anything else is refused, naming why.
     */
    static String withContributorCount(Connection duck, String sql, Set<String> aggregateFunctions) {
        JsonNode root = serialize(duck, sql);
        JsonNode node = root.path("statements").path(0).path("node");
        String type = node.path("type").asString("");
        if (!type.equals("SELECT_NODE")) refuseSafeZone("a " + type.toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        if (node.path("cte_map").path("map").size() > 0) refuseSafeZone("WITH");
        for (JsonNode m : node.path("modifiers")) {
            if (m.path("type").asString("").equals("DISTINCT_MODIFIER")) refuseSafeZone("DISTINCT");
        }
        if (!node.path("qualify").isNull() && !node.path("qualify").isMissingNode()) refuseSafeZone("QUALIFY");
        checkFromIsDatasets(node.path("from_table"));
        boolean grouped = node.path("group_expressions").size() > 0;
        boolean aggregates = false;
        for (JsonNode e : node.path("select_list")) {
            if (e.path("alias").asString("").equalsIgnoreCase(CONTRIBUTORS)) refuseSafeZone(CONTRIBUTORS);
            if (containsWindow(e)) refuseSafeZone("a window function");
            String rowValues = rowValueAggregate(e);
            if (rowValues != null) refuseSafeZone(rowValues + "(…) hands out stored values row by row");
            if (e.path("class").asString("").equals("FUNCTION") && aggregateFunctions.contains(e.path("function_name").asString(""))) {
                aggregates = true;
            }
        }
        if (!grouped && !aggregates) refuseSafeZone("no GROUP BY and no aggregate");
        JsonNode count = serialize(duck, "SELECT count(*) AS " + CONTRIBUTORS).path("statements").path(0).path("node")
                .path("select_list").path(0);
        ((tools.jackson.databind.node.ArrayNode) node.path("select_list")).add(count);
        try (PreparedStatement ps = duck.prepareStatement("SELECT json_deserialize_sql(?::JSON)")) {
            ps.setString(1, JSON.writeValueAsString(root));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new MaxException(QueryError.SYNTAX, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
        }
    }

    private static void checkFromIsDatasets(JsonNode from) {
        switch (from.path("type").asString("")) {
            case "BASE_TABLE" -> { }
            case "JOIN" -> {
                checkFromIsDatasets(from.path("left"));
                checkFromIsDatasets(from.path("right"));
            }
            case "EMPTY" -> refuseSafeZone("no dataset");
            default -> refuseSafeZone("FROM " + from.path("type").asString("?").toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }

    /**
     * Aggregates whose result is stored values themselves (a list of them, or one row's value picked
     * out): behind a count of k they would still hand out rows.
     */
    private static final Set<String> ROW_VALUE_AGGREGATES = Set.of("list", "array_agg", "string_agg", "group_concat", "listagg",
            "histogram", "histogram_exact", "histogram_values", "approx_top_k", "first", "last", "any_value", "arbitrary",
            "bitstring_agg", "min_by", "max_by", "arg_min", "arg_max", "argmin", "argmax", "arg_min_null", "arg_max_null", "mode");

    private static String rowValueAggregate(JsonNode node) {
        if (node.isObject()) {
            if (node.path("class").asString("").equals("FUNCTION")
                    && ROW_VALUE_AGGREGATES.contains(node.path("function_name").asString("").toLowerCase(java.util.Locale.ROOT))) {
                return node.path("function_name").asString("");
            }
            for (var e : node.properties()) {
                String found = rowValueAggregate(e.getValue());
                if (found != null) return found;
            }
        } else if (node.isArray()) {
            for (JsonNode c : node) {
                String found = rowValueAggregate(c);
                if (found != null) return found;
            }
        }
        return null;
    }

    private static boolean containsWindow(JsonNode node) {
        if (node.isObject()) {
            if (node.path("class").asString("").equals("WINDOW")) return true;
            for (var e : node.properties()) if (containsWindow(e.getValue())) return true;
        } else if (node.isArray()) {
            for (JsonNode c : node) if (containsWindow(c)) return true;
        }
        return false;
    }

    private static void refuseSafeZone(String why) {
        throw new MaxException(QueryError.SAFE_ZONE_NOT_AGGREGATE, Location.NOWHERE, why);
    }

    private static JsonNode serialize(Connection duck, String sql) {
        try (PreparedStatement ps = duck.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode root = JSON.readTree(rs.getString(1));
                if (root.path("error").asBoolean(false)) {
                    throw new MaxException(QueryError.SYNTAX, Location.NOWHERE, SqlText.firstLine(root.path("error_message").asString("")));
                }
                return root;
            }
        } catch (SQLException e) {
            throw new MaxException(QueryError.SYNTAX, Location.NOWHERE, e, SqlText.firstLine(e.getMessage()));
        }
    }
}
