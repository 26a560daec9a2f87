package kr.max.library.model;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.catalog.Catalog;
import kr.max.library.catalog.CatalogError;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The registry's part of the catalog: models, their versions and the dataset versions each learned from, on the
 * catalog's database (H2 or PostgreSQL). A version becomes visible in exactly one transaction ({@link #commit}),
 * after its encrypted object is durable in a staging area.
 */
public final class ModelCatalog {

    private static final int COMMIT_ATTEMPTS = 10;

    /** More to write in the transaction that commits a model version, so that both land or neither does. */
    @FunctionalInterface
    public interface CommitHook {
        CommitHook NONE = (h, v) -> { };

        void alsoWrite(Handle h, ModelVersion committed);
    }

    /** A model's number of versions and its latest version, for listings. */
    public record Latest(int versions, ModelVersion version) {
    }

    private final Jdbi jdbi;

    public ModelCatalog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Commits a version in one transaction: creates the model when it is new (else raises its classification to
     * the version's and marks it domestic-only when the version is), numbers the version one above the latest and
     * records the dataset versions it learned from; then whatever {@code hook} writes.
     */
    public ModelVersion commit(NewModelVersion v, CommitHook hook) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> {
                    ModelVersion committed = commitIn(h, v);
                    hook.alsoWrite(h, committed);
                    return committed;
                });
            } catch (UnableToExecuteStatementException e) {
                // Another process registered a version, or created the model, at the same moment.
                if (attempt >= COMMIT_ATTEMPTS || !isUniqueViolation(e)) {
                    throw new MaxException(CatalogError.DATABASE, Location.NOWHERE, e, e.getClass().getSimpleName());
                }
            }
        }
    }

    private ModelVersion commitIn(Handle h, NewModelVersion v) {
        Model m = find(h, v.name()).orElse(null);
        boolean asExpected = v.expectedModelId() == null ? m == null
                : m != null && m.id() == v.expectedModelId() && m.keyId().equals(v.keyId());
        if (!asExpected) throw new MaxException(ModelAssetError.CONFLICT, Location.dataset(v.name(), null), v.name());
        long now = Catalog.micros(v.createdAt());
        long modelId;
        if (m == null) {
            modelId = h.createUpdate("""
                    INSERT INTO model (name, owner, owner_organization, classification, domestic_only, description, key_id,
                      created_at)
                    VALUES (:name, :owner, :org, :c, :d, :description, :keyId, :now)""")
                    .bind("name", v.name()).bind("owner", v.owner()).bind("org", v.ownerOrganization())
                    .bind("c", v.classification().word()).bind("d", v.domesticOnly()).bind("description", v.description())
                    .bind("keyId", v.keyId()).bind("now", now)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        } else {
            modelId = m.id();
            // Serializes concurrent registrations of one model so version numbers are dense and unique, and reads the
            // model again under the lock, so a classification raised meanwhile is never lowered.
            h.createQuery("SELECT id FROM model WHERE id = :m FOR UPDATE").bind("m", modelId).mapTo(Long.class).one();
            m = find(h, v.name()).orElseThrow();
            Classification raised = v.classification().compareTo(m.classification()) > 0 ? v.classification() : m.classification();
            h.createUpdate("""
                    UPDATE model SET classification = :c, domestic_only = :d, description = COALESCE(:description, description)
                    WHERE id = :m""")
                    .bind("c", raised.word()).bind("d", m.domesticOnly() || v.domesticOnly())
                    .bind("description", v.description()).bind("m", modelId).execute();
        }
        int number = h.createQuery("SELECT COALESCE(MAX(number), 0) + 1 FROM model_version WHERE model_id = :m")
                .bind("m", modelId).mapTo(Integer.class).one();
        long versionId = h.createUpdate("""
                INSERT INTO model_version (model_id, number, staging_id, type, classification, domestic_only, created_at,
                  created_by, lineage, metrics, card, object_hash, byte_count, wrapped_key)
                VALUES (:m, :number, :stagingId, :type, :c, :d, :now, :createdBy, :lineage, :metrics, :card, :hash, :bytes,
                  :wrappedKey)""")
                .bind("m", modelId).bind("number", number).bind("stagingId", v.stagingId()).bind("type", v.type())
                .bind("c", v.classification().word()).bind("d", v.domesticOnly()).bind("now", now)
                .bind("createdBy", v.createdBy()).bind("lineage", v.lineageJson()).bind("metrics", v.metricsJson())
                .bind("card", v.cardJson()).bind("hash", v.objectHash()).bind("bytes", v.bytes())
                .bind("wrappedKey", v.wrappedKey())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        if (!v.datasetVersionIds().isEmpty()) {
            var batch = h.prepareBatch("INSERT INTO model_training_data (model_version_id, dataset_version_id) VALUES (:m, :d)");
            for (long d : new java.util.LinkedHashSet<>(v.datasetVersionIds())) batch.bind("m", versionId).bind("d", d).add();
            batch.execute();
        }
        return h.createQuery("SELECT * FROM model_version WHERE id = :id").bind("id", versionId)
                .map((rs, ctx) -> version(rs)).one();
    }

    public Optional<Model> model(String name) {
        return jdbi.withHandle(h -> find(h, name));
    }

    /** The model, or {@code MAX-MODEL-600}. */
    public Model require(String name) {
        return model(name).orElseThrow(() -> new MaxException(ModelAssetError.NO_SUCH_MODEL, Location.dataset(name, null), name));
    }

    public List<Model> models() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM model ORDER BY name").map((rs, ctx) -> model(rs)).list());
    }

    /** Per model id, its number of versions and its latest version, in one query. */
    public Map<Long, Latest> latest() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT v.*, c.n FROM model_version v
                        JOIN (SELECT model_id, max(number) AS last, count(*) AS n FROM model_version GROUP BY model_id) c
                          ON c.model_id = v.model_id AND c.last = v.number""")
                .reduceResultSet(new HashMap<Long, Latest>(), (map, rs, ctx) -> {
                    ModelVersion v = version(rs);
                    map.put(v.modelId(), new Latest(rs.getInt("n"), v));
                    return map;
                }));
    }

    public List<ModelVersion> versions(Model m) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM model_version WHERE model_id = :m ORDER BY number")
                .bind("m", m.id()).map((rs, ctx) -> version(rs)).list());
    }

    /** A version by number, or the latest when {@code number} is null; else {@code MAX-MODEL-601}. */
    public ModelVersion version(Model m, Integer number) {
        return jdbi.withHandle(h -> {
            var q = number == null
                    ? h.createQuery("SELECT * FROM model_version WHERE model_id = :m ORDER BY number DESC LIMIT 1")
                    : h.createQuery("SELECT * FROM model_version WHERE model_id = :m AND number = :n").bind("n", number);
            return q.bind("m", m.id()).map((rs, ctx) -> version(rs)).findOne();
        }).orElseThrow(() -> new MaxException(ModelAssetError.NO_SUCH_VERSION, Location.dataset(m.name(), number), m.name(),
                number == null ? "latest" : number));
    }

    /** Ids of the dataset versions a model version learned from. */
    public List<Long> trainingData(ModelVersion v) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT dataset_version_id FROM model_training_data WHERE model_version_id = :v ORDER BY dataset_version_id")
                .bind("v", v.id()).mapTo(Long.class).list());
    }

    /** Catalog ids of the datasets a model version learned from (deleted ones too), in id order. */
    public List<Long> trainingDatasets(long modelVersionId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT dv.dataset_id FROM model_training_data t
                        JOIN dataset_version dv ON dv.id = t.dataset_version_id
                        WHERE t.model_version_id = :v ORDER BY dv.dataset_id""")
                .bind("v", modelVersionId).mapTo(Long.class).list());
    }

    /** Whether a registration with this staging id has committed a version. */
    public boolean isCommitted(String stagingId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM model_version WHERE staging_id = :s")
                .bind("s", stagingId).mapTo(Integer.class).one()) > 0;
    }

    /** Hashes of all objects model versions still need. */
    public Set<String> referencedObjects() {
        return jdbi.withHandle(h -> new HashSet<>(h.createQuery("SELECT object_hash FROM model_version").mapTo(String.class).list()));
    }

    private static Optional<Model> find(Handle h, String name) {
        return h.createQuery("SELECT * FROM model WHERE name = :name").bind("name", name).map((rs, ctx) -> model(rs)).findOne();
    }

    private static Model model(ResultSet rs) throws SQLException {
        return new Model(rs.getLong("id"), rs.getString("name"), rs.getString("owner"), rs.getString("owner_organization"),
                Classification.parse(rs.getString("classification")), rs.getBoolean("domestic_only"), rs.getString("description"),
                rs.getString("key_id"), Catalog.instant(rs.getLong("created_at")));
    }

    private static ModelVersion version(ResultSet rs) throws SQLException {
        return new ModelVersion(rs.getLong("id"), rs.getLong("model_id"), rs.getInt("number"), rs.getString("staging_id"),
                rs.getString("type"), Classification.parse(rs.getString("classification")), rs.getBoolean("domestic_only"),
                Catalog.instant(rs.getLong("created_at")), rs.getString("created_by"), rs.getString("lineage"),
                rs.getString("metrics"), rs.getString("card"), rs.getString("object_hash"), rs.getLong("byte_count"),
                rs.getBytes("wrapped_key"));
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("23505".equals(state) || "23000".equals(state)) return true;
            }
        }
        return false;
    }
}
