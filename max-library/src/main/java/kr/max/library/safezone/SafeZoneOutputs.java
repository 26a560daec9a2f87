package kr.max.library.safezone;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.catalog.Catalog;
import kr.max.library.crypto.DataKey;
import kr.max.library.crypto.KeyManagementService;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The safe zone's output area (데이터안심구역): results of queries over designated data, and requests to export
 * models trained on it, held until the data's provider or a steward releases or rejects them. Each query result
 * is sealed under a data key of its own, wrapped by the library's safe-zone key; nothing of it is readable in the
 * catalog. A held model is only a reference to its model version (the bytes stay where the registry keeps them);
 * once released it is exported once, and the output moves to {@link State#EXPORTED}. Who may store, review, read or
 * export is decided by the library's policy engine, not here.
 */
public final class SafeZoneOutputs {

    /** Rows a held result may have: a reviewer must be able to read all of it. */
    public static final int MAX_ROWS = 10_000;

    private static final String KEK = "safe-zone-outputs";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final KeyManagementService kms;
    private final Clock clock;

    public SafeZoneOutputs(Jdbi jdbi, KeyManagementService kms, Clock clock) {
        this.jdbi = jdbi;
        this.kms = kms;
        this.clock = clock;
    }

    /**
     * Where a held output stands: pending review, then released or rejected (final); a released model moves on to
     * exported when its one export is taken.
     */
    public enum State {
        PENDING, RELEASED, REJECTED, EXPORTED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What is held: a query's result, or a model version to be exported. */
    public enum Kind {
        QUERY, MODEL;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What is known of a held output without opening it.
     *
     * @param analyst        who ran the query or asked for the model (the requester): never its reviewer
     * @param datasets       the datasets it draws on: a query's tables, a model's training datasets
     * @param queryHash      the SHA-256 of the query's SQL; null for a model
     * @param model          for a model, {@code name@N}; else null
     * @param modelVersionId for a model, the catalog id of its version; else null
     * @param purpose        what a model is exported for, as its requester said; may be null
     * @param destination    the jurisdiction a model is exported to
     * @param exportedAt     when a released model was exported (its release is then used up)
     */
    public record Output(String id, String analyst, String organization, List<String> datasets, String queryHash, State state,
                         long rows, long heldBack, Instant createdAt, String reviewedBy, Instant reviewedAt, String reviewNote,
                         Kind kind, String model, Long modelVersionId, String purpose, String destination, Instant exportedAt) {

        public Output {
            datasets = List.copyOf(datasets);
        }

        public boolean isModel() {
            return kind == Kind.MODEL;
        }
    }

    /** A result itself: the SQL that made it, its columns and rows. */
    public record Result(String sql, List<String> columns, List<String> types, List<Object[]> rows) {
    }

    /** Holds a result for review; returns its id. */
    public String hold(String analyst, String organization, List<String> datasets, String queryHash, Result result, long heldBack) {
        if (result.rows().size() > MAX_ROWS) throw new MaxException(SafeZoneError.TOO_MANY_ROWS, Location.NOWHERE, MAX_ROWS);
        String id = randomId();
        kms.createKey(KEK);
        DataKey.Generated key = DataKey.generate(kms, KEK, "safe-output:" + id);
        byte[] sealed = key.key().seal(toJson(result), "safe-output:" + id);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO safe_output (id, analyst, organization, datasets, query_hash, state, row_count, held_back,
                          created_at, wrapped_key, sealed_result)
                        VALUES (:id, :a, :o, :d, :q, :s, :r, :hb, :t, :k, :b)""")
                .bind("id", id).bind("a", analyst).bind("o", organization).bind("d", String.join(",", datasets))
                .bind("q", queryHash).bind("s", State.PENDING.word()).bind("r", (long) result.rows().size()).bind("hb", heldBack)
                .bind("t", Catalog.micros(clock.instant())).bind("k", key.wrapped()).bind("b", sealed).execute());
        return id;
    }

    /**
     * Holds a request to export a model version for review; returns its id. Nothing of the model is copied: the
     * output names the version, whose bytes stay encrypted where the registry keeps them.
     */
    public String holdModel(String requester, String organization, List<String> datasets, long modelVersionId, String modelRef,
                            String purpose, String destination) {
        String id = randomId();
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO safe_output (id, analyst, organization, datasets, state, row_count, held_back, created_at,
                          kind, model_version_id, model_ref, purpose, destination)
                        VALUES (:id, :a, :o, :d, :s, 0, 0, :t, :k, :mv, :m, :p, :dest)""")
                .bind("id", id).bind("a", requester).bind("o", organization).bind("d", String.join(",", datasets))
                .bind("s", State.PENDING.word()).bind("t", Catalog.micros(clock.instant())).bind("k", Kind.MODEL.word())
                .bind("mv", modelVersionId).bind("m", modelRef).bind("p", purpose).bind("dest", destination).execute());
        return id;
    }

    /** The requester's export of this model version that still waits for review, if any. */
    public Optional<Output> pendingModel(String requester, long modelVersionId) {
        return modelOutputs(requester, modelVersionId, State.PENDING).stream().findFirst();
    }

    /**
     * Takes one release of this model version for its requester's export to {@code destination}: the output moves from
     * released to exported in one update, so that two exports racing for one release cannot both have it.
     */
    public Optional<Output> takeRelease(String requester, long modelVersionId, String destination) {
        for (Output o : modelOutputs(requester, modelVersionId, State.RELEASED)) {
            if (!java.util.Objects.equals(o.destination(), destination)) continue;
            int n = jdbi.withHandle(h -> h.createUpdate(
                            "UPDATE safe_output SET state = :to, exported_at = :t WHERE id = :id AND state = :from")
                    .bind("to", State.EXPORTED.word()).bind("t", Catalog.micros(clock.instant())).bind("id", o.id())
                    .bind("from", State.RELEASED.word()).execute());
            if (n == 1) return output(o.id());
        }
        return Optional.empty();
    }

    /** Gives back a release whose export failed before any byte left (the file was never put in place). */
    public void restoreRelease(String id) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE safe_output SET state = :to, exported_at = NULL WHERE id = :id AND state = :from")
                .bind("to", State.RELEASED.word()).bind("id", id).bind("from", State.EXPORTED.word()).execute());
    }

    private List<Output> modelOutputs(String requester, long modelVersionId, State state) {
        return jdbi.withHandle(h -> h.createQuery(SELECT
                        + " WHERE kind = :k AND analyst = :a AND model_version_id = :mv AND state = :s ORDER BY created_at")
                .bind("k", Kind.MODEL.word()).bind("a", requester).bind("mv", modelVersionId).bind("s", state.word())
                .map((rs, ctx) -> output(rs)).list());
    }

    public Optional<Output> output(String id) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map((rs, ctx) -> output(rs)).findOne());
    }

    public Output require(String id) {
        return output(id).orElseThrow(() -> new MaxException(SafeZoneError.NO_SUCH_OUTPUT, Location.NOWHERE, id));
    }

    /** All held results, newest first. */
    public List<Output> outputs() {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " ORDER BY created_at DESC").map((rs, ctx) -> output(rs)).list());
    }

    /**
     * Releases or rejects a pending result. Two reviewers racing: the first decision stands, the second
     * gets {@link SafeZoneError#ALREADY_REVIEWED}.
     */
    public Output review(String id, String reviewer, boolean release, String note) {
        Output o = require(id);
        State to = release ? State.RELEASED : State.REJECTED;
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE safe_output SET state = :to, reviewed_by = :r, reviewed_at = :t, review_note = :n
                        WHERE id = :id AND state = :pending""")
                .bind("to", to.word()).bind("r", reviewer).bind("t", Catalog.micros(clock.instant())).bind("n", note)
                .bind("id", id).bind("pending", State.PENDING.word()).execute());
        if (n == 0) throw new MaxException(SafeZoneError.ALREADY_REVIEWED, Location.NOWHERE, id, require(id).state().word());
        return require(id);
    }

    /** Opens a query's result; the caller has checked that it may be read. */
    public Result open(String id) {
        record Sealed(byte[] key, byte[] result) {
        }
        Sealed s = jdbi.withHandle(h -> h.createQuery("SELECT wrapped_key, sealed_result FROM safe_output WHERE id = :id")
                        .bind("id", id).map((rs, ctx) -> new Sealed(rs.getBytes(1), rs.getBytes(2))).findOne())
                .orElseThrow(() -> new MaxException(SafeZoneError.NO_SUCH_OUTPUT, Location.NOWHERE, id));
        if (s.key() == null) throw new MaxException(SafeZoneError.NOT_A_RESULT, Location.NOWHERE, id, require(id).model());
        DataKey key = DataKey.unwrap(kms, KEK, s.key(), "safe-output:" + id);
        return fromJson(key.open(s.result(), "safe-output:" + id));
    }

    /**
     * Removes every held result drawn from a dataset (it was deleted: nothing derived from it stays). Held models
     * stay: they hold nothing of the data, and the model itself outlives its training data (decision 0012).
     */
    public int forgetDataset(String dataset) {
        var ids = new ArrayList<String>();
        for (Output o : outputs()) if (!o.isModel() && o.datasets().contains(dataset)) ids.add(o.id());
        int n = 0;
        for (String id : ids) {
            n += jdbi.withHandle(h -> h.createUpdate("DELETE FROM safe_output WHERE id = :id").bind("id", id).execute());
        }
        return n;
    }

    private static final String SELECT = "SELECT id, analyst, organization, datasets, query_hash, state, row_count, held_back, "
            + "created_at, reviewed_by, reviewed_at, review_note, kind, model_version_id, model_ref, purpose, destination, "
            + "exported_at FROM safe_output";

    private static Output output(java.sql.ResultSet rs) throws java.sql.SQLException {
        long reviewed = rs.getLong("reviewed_at");
        Instant reviewedAt = rs.wasNull() ? null : Catalog.instant(reviewed);
        long exported = rs.getLong("exported_at");
        Instant exportedAt = rs.wasNull() ? null : Catalog.instant(exported);
        long modelVersion = rs.getLong("model_version_id");
        Long modelVersionId = rs.wasNull() ? null : modelVersion;
        String datasets = rs.getString("datasets");
        return new Output(rs.getString("id"), rs.getString("analyst"), rs.getString("organization"),
                datasets.isEmpty() ? List.of() : Arrays.asList(datasets.split(",")), rs.getString("query_hash"),
                State.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT)), rs.getLong("row_count"),
                rs.getLong("held_back"), Catalog.instant(rs.getLong("created_at")), rs.getString("reviewed_by"), reviewedAt,
                rs.getString("review_note"), Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)), rs.getString("model_ref"),
                modelVersionId, rs.getString("purpose"), rs.getString("destination"), exportedAt);
    }

    /** Values keep their JSON kinds (numbers, strings, booleans); anything else is held as its text. */
    private static byte[] toJson(Result r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("sql", r.sql());
        ArrayNode cols = root.putArray("columns");
        r.columns().forEach(cols::add);
        ArrayNode types = root.putArray("types");
        r.types().forEach(types::add);
        ArrayNode rows = root.putArray("rows");
        for (Object[] row : r.rows()) {
            ArrayNode a = rows.addArray();
            for (Object v : row) {
                switch (v) {
                    case null -> a.addNull();
                    case Long l -> a.add(l);
                    case Integer i -> a.add(i);
                    case Double d -> a.add(d);
                    case java.math.BigDecimal b -> a.add(b);
                    case java.math.BigInteger b -> a.add(b);
                    case Boolean b -> a.add(b);
                    default -> a.add(v.toString());
                }
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    private static Result fromJson(byte[] bytes) {
        JsonNode root = JSON.readTree(bytes);
        var columns = new ArrayList<String>();
        root.path("columns").forEach(c -> columns.add(c.asString()));
        var types = new ArrayList<String>();
        root.path("types").forEach(t -> types.add(t.asString()));
        var rows = new ArrayList<Object[]>();
        for (JsonNode row : root.path("rows")) {
            Object[] values = new Object[row.size()];
            for (int i = 0; i < row.size(); i++) {
                JsonNode v = row.get(i);
                values[i] = v.isNull() ? null : v.isIntegralNumber() ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble()
                        : v.isBoolean() ? (Object) v.asBoolean() : v.asString();
            }
            rows.add(values);
        }
        return new Result(root.path("sql").asString(), columns, types, rows);
    }

    private static String randomId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var sb = new StringBuilder(12);
        for (int i = 0; i < 12; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }
}
