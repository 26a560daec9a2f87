package kr.max.library.catalog;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.Location;
import kr.max.core.MaxException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The catalog of datasets, versions and chunks, on H2 (embedded default) or PostgreSQL. A version
 * becomes visible in exactly one transaction ({@link #commit}), after its chunks are durable.
 */
public final class Catalog implements AutoCloseable {

    private static final int COMMIT_ATTEMPTS = 10;

    /**
     * The newest migration in {@code db/catalog}. Flyway takes seconds to start, so it runs only when
     * the database is behind this version; a test keeps the number in step with the files.
     */
    static final int SCHEMA_VERSION = 10;

    private final Jdbi jdbi;
    private final AutoCloseable pool;

    private Catalog(Jdbi jdbi, AutoCloseable pool) {
        this.jdbi = jdbi;
        this.pool = pool;
    }

    /** Opens the catalog at a JDBC URL and brings its schema up to date. */
    public static Catalog open(String jdbcUrl, String user, String password) {
        boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        if (!postgres && !jdbcUrl.startsWith("jdbc:h2:")) {
            throw new MaxException(CatalogError.UNSUPPORTED_DATABASE, Location.NOWHERE, jdbcUrl);
        }
        if (isNewEmbeddedFile(jdbcUrl) || !isCurrent(jdbcUrl, user, password)) {
            var flyway = Flyway.configure(Catalog.class.getClassLoader())
                    .dataSource(jdbcUrl, user, password)
                    .locations("classpath:db/catalog")
                    .placeholders(Map.of("bytes", postgres ? "BYTEA" : "VARBINARY", "text", postgres ? "TEXT" : "CHARACTER VARYING"))
                    .loggers("slf4j")
                    .load();
            try {
                flyway.migrate();
            } catch (RuntimeException e) {
                throw new MaxException(CatalogError.DATABASE, Location.NOWHERE, e, rootMessage(e));
            }
        }
        // A pool: a new PostgreSQL connection costs milliseconds, and the embedded file stays open between statements.
        var config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user == null ? "" : user);
        config.setPassword(password == null ? "" : password);
        config.setPoolName("max-catalog");
        config.setMinimumIdle(1);
        config.setMaximumPoolSize(postgres ? 16 : 8);
        config.setInitializationFailTimeout(-1); // the first statement reports an unreachable database, with its code
        var pool = new com.zaxxer.hikari.HikariDataSource(config);
        return new Catalog(Jdbi.create(pool), pool::close);
    }

    /**
     * Whether the URL names an embedded H2 file that does not exist yet: then the schema must be created,
     * and asking the empty database first would only cost its creation twice.
     */
    private static boolean isNewEmbeddedFile(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:file:")) return false;
        String path = jdbcUrl.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        return !java.nio.file.Files.exists(java.nio.file.Path.of(path + ".mv.db"));
    }

    /** Whether Flyway's history says the schema is at {@link #SCHEMA_VERSION} already. */
    private static boolean isCurrent(String jdbcUrl, String user, String password) {
        try (var c = java.sql.DriverManager.getConnection(jdbcUrl, user, password);
             var st = c.createStatement();
             var rs = st.executeQuery("SELECT MAX(CAST(\"version\" AS INTEGER)) FROM \"flyway_schema_history\" WHERE \"success\"")) {
            return rs.next() && rs.getInt(1) >= SCHEMA_VERSION;
        } catch (java.sql.SQLException | NumberFormatException e) {
            return false; // no history table yet, or not readable: let Flyway decide
        }
    }


    @Override
    public void close() {
        try {
            pool.close();
        } catch (Exception e) {
            throw new MaxException(CatalogError.DATABASE, Location.NOWHERE, e, rootMessage(e));
        }
    }

    /** The JDBI handle source, for the audit chain that shares this database. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Commits a new version in one transaction: creates the dataset when it is new, numbers the
     * version one above the latest, and records its chunks.
     */
    /** More to write in the transaction that commits a version, so that both land or neither does. */
    @FunctionalInterface
    public interface CommitHook {
        CommitHook NONE = (h, v) -> { };

        void alsoWrite(Handle h, DatasetVersion committed);
    }

    public DatasetVersion commit(NewVersion v) {
        return commit(v, CommitHook.NONE);
    }

    /** Commits a version and, in the same transaction, whatever {@code hook} writes about it. */
    public DatasetVersion commit(NewVersion v, CommitHook hook) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> {
                    DatasetVersion committed = commitIn(h, v);
                    hook.alsoWrite(h, committed);
                    return committed;
                });
            } catch (UnableToExecuteStatementException e) {
                // Another process committed a version or created the dataset at the same moment.
                if (attempt >= COMMIT_ATTEMPTS || !isUniqueViolation(e)) throw database(e);
            }
        }
    }

    private DatasetVersion commitIn(Handle h, NewVersion v) {
        long now = micros(Instant.now());
        Dataset ds = find(h, v.datasetName()).orElse(null);
        boolean asExpected = v.expectedDatasetId() == null ? ds == null
                : ds != null && ds.id() == v.expectedDatasetId() && ds.keyId().equals(v.keyId());
        if (!asExpected) {
            throw new MaxException(CatalogError.CONFLICT, Location.dataset(v.datasetName(), null), v.datasetName());
        }
        long datasetId;
        if (ds == null) {
            datasetId = h.createUpdate("""
                    INSERT INTO dataset (name, owner, owner_organization, classification, key_id, created_at, tags)
                    VALUES (:name, :owner, :ownerOrganization, :classification, :keyId, :now, '')""")
                    .bind("name", v.datasetName()).bind("owner", v.owner()).bind("ownerOrganization", v.ownerOrganization())
                    .bind("classification", v.classification().word()).bind("keyId", v.keyId()).bind("now", now)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        } else {
            datasetId = ds.id();
        }
        // Serializes concurrent commits to one dataset so version numbers are dense and unique.
        h.createQuery("SELECT id FROM dataset WHERE id = :d FOR UPDATE").bind("d", datasetId).mapTo(Long.class).one();
        int number = h.createQuery("SELECT COALESCE(MAX(number), 0) + 1 FROM dataset_version WHERE dataset_id = :d")
                .bind("d", datasetId).mapTo(Integer.class).one();
        long versionId = h.createUpdate("""
                INSERT INTO dataset_version (dataset_id, number, ingest_id, created_at, created_by, row_count, byte_count,
                  source_name, source_sha256, source_format, source_encoding, dictionary_yaml, rejected_rows,
                  rejected_detail, zone_maps, wrapped_key)
                VALUES (:d, :number, :ingestId, :now, :createdBy, :rows, :bytes, :sourceName, :sourceSha256,
                  :sourceFormat, :sourceEncoding, :dictionaryYaml, :rejectedRows, :rejectedDetail, :zoneMaps, :wrappedKey)""")
                .bind("d", datasetId).bind("number", number).bind("now", now)
                .bindMethods(v)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        var batch = h.prepareBatch("""
                INSERT INTO chunk (version_id, seq, object_hash, row_count, byte_count)
                VALUES (:v, :seq, :objectHash, :rows, :bytes)""");
        for (Chunk c : v.chunks()) {
            batch.bind("v", versionId).bindMethods(c).add();
        }
        if (!v.chunks().isEmpty()) batch.execute();
        return versionById(h, versionId);
    }

    public Optional<Dataset> dataset(String name) {
        return jdbi.withHandle(h -> find(h, name));
    }

    /** The dataset, or {@code MAX-CATALOG-001}. */
    /** A dataset by id, deleted or not (a release names its source by id). */
    public Optional<Dataset> datasetById(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> dataset(rs)).findOne());
    }

    public Dataset require(String name) {
        return dataset(name).orElseThrow(() -> new MaxException(CatalogError.NO_SUCH_DATASET, Location.dataset(name, null), name));
    }

    public List<Dataset> datasets() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset WHERE deleted_at IS NULL ORDER BY name")
                .map((rs, ctx) -> dataset(rs)).list());
    }

    /** How many versions a dataset has, and its latest version's figures. */
    public record Latest(int versions, long rows, long bytes, Instant createdAt) {
    }

    /**
     * Per dataset id, its version count and latest version's figures, in one query (a listing must not
     * cost a query per dataset, nor read every version's dictionary).
     */
    public Map<Long, Latest> latestVersions() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT v.dataset_id, c.n, v.row_count, v.byte_count, v.created_at
                        FROM dataset_version v
                        JOIN (SELECT dataset_id, max(number) AS last, count(*) AS n FROM dataset_version GROUP BY dataset_id) c
                          ON c.dataset_id = v.dataset_id AND c.last = v.number""")
                .reduceRows(new java.util.HashMap<Long, Latest>(), (map, row) -> {
                    map.put(row.getColumn(1, Long.class), new Latest(row.getColumn(2, Integer.class), row.getColumn(3, Long.class), row.getColumn(4, Long.class),
                            instant(row.getColumn(5, Long.class))));
                    return map;
                }));
    }

    /** A version by number, or the latest when {@code number} is null. */
    public DatasetVersion version(Dataset ds, Integer number) {
        return jdbi.withHandle(h -> {
            var q = number == null
                    ? h.createQuery("SELECT * FROM dataset_version WHERE dataset_id = :d ORDER BY number DESC LIMIT 1")
                    : h.createQuery("SELECT * FROM dataset_version WHERE dataset_id = :d AND number = :n").bind("n", number);
            return q.bind("d", ds.id()).map((rs, ctx) -> version(rs)).findOne();
        }).orElseThrow(() -> new MaxException(CatalogError.NO_SUCH_VERSION, Location.dataset(ds.name(), number),
                ds.name(), number == null ? "latest" : number));
    }

    public List<DatasetVersion> versions(Dataset ds) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset_version WHERE dataset_id = :d ORDER BY number")
                .bind("d", ds.id()).map((rs, ctx) -> version(rs)).list());
    }

    public List<Chunk> chunks(DatasetVersion v) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM chunk WHERE version_id = :v ORDER BY seq")
                .bind("v", v.id())
                .map((rs, ctx) -> new Chunk(rs.getInt("seq"), rs.getString("object_hash"), rs.getLong("row_count"),
                        rs.getLong("byte_count")))
                .list());
    }

    /** Whether an ingest with this id has committed a version. */
    public boolean isCommitted(String ingestId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM dataset_version WHERE ingest_id = :i")
                .bind("i", ingestId).mapTo(Integer.class).one()) > 0;
    }

    /** Hashes of all objects the catalog still needs. */
    public Set<String> referencedObjects() {
        return jdbi.withHandle(h -> new HashSet<>(h.createQuery("""
                SELECT c.object_hash FROM chunk c JOIN dataset_version v ON v.id = c.version_id
                JOIN dataset d ON d.id = v.dataset_id WHERE d.shredded_at IS NULL""").mapTo(String.class).list()));
    }

    /**
     * Marks a dataset deleted in one transaction: its name is freed, its wrapped data keys are wiped.
     * The caller then destroys its key-encryption key and objects and calls {@link #markShredded}.
     */
    public void markDeleted(Dataset ds) {
        jdbi.useTransaction(h -> {
            long now = micros(Instant.now());
            h.createUpdate("UPDATE dataset SET deleted_at = :now, name = :gone WHERE id = :id")
                    .bind("now", now).bind("gone", ds.name() + "~deleted~" + ds.id()).bind("id", ds.id()).execute();
            h.createUpdate("UPDATE dataset_version SET wrapped_key = NULL, rejected_detail = NULL, zone_maps = NULL WHERE dataset_id = :id")
                    .bind("id", ds.id()).execute();
        });
    }

    /** Deleted datasets whose keys and objects are not yet destroyed (a delete interrupted by a crash). */
    public List<Dataset> pendingShred() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset WHERE deleted_at IS NOT NULL AND shredded_at IS NULL")
                .map((rs, ctx) -> dataset(rs)).list());
    }

    /** Object hashes of a (deleted) dataset. */
    public List<String> objectsOf(Dataset ds) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT c.object_hash FROM chunk c JOIN dataset_version v ON v.id = c.version_id WHERE v.dataset_id = :id""")
                .bind("id", ds.id()).mapTo(String.class).list());
    }

    public void markShredded(Dataset ds) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE dataset SET shredded_at = :now WHERE id = :id")
                .bind("now", micros(Instant.now())).bind("id", ds.id()).execute());
    }

    /** Updates descriptive fields and classification; nulls keep the current value. */
    public void describe(Dataset ds, String titleKo, String titleEn, String descriptionKo, String descriptionEn,
                         Classification classification, List<String> tags, Boolean domesticOnly) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE dataset SET title_ko = COALESCE(:titleKo, title_ko), title_en = COALESCE(:titleEn, title_en),
                  description_ko = COALESCE(:descriptionKo, description_ko),
                  description_en = COALESCE(:descriptionEn, description_en),
                  classification = COALESCE(:classification, classification), tags = COALESCE(:tags, tags),
                  domestic_only = COALESCE(:domesticOnly, domestic_only)
                WHERE id = :id""")
                .bind("domesticOnly", domesticOnly)
                .bind("titleKo", titleKo).bind("titleEn", titleEn).bind("descriptionKo", descriptionKo)
                .bind("descriptionEn", descriptionEn)
                .bind("classification", classification == null ? null : classification.word())
                .bind("tags", tags == null ? null : String.join(",", tags)).bind("id", ds.id()).execute());
    }

    private static Optional<Dataset> find(Handle h, String name) {
        return h.createQuery("SELECT * FROM dataset WHERE name = :name AND deleted_at IS NULL")
                .bind("name", name).map((rs, ctx) -> dataset(rs)).findOne();
    }

    private static DatasetVersion versionById(Handle h, long id) {
        return h.createQuery("SELECT * FROM dataset_version WHERE id = :id").bind("id", id).map((rs, ctx) -> version(rs)).one();
    }

    private static Dataset dataset(java.sql.ResultSet rs) throws java.sql.SQLException {
        String tags = rs.getString("tags");
        return new Dataset(rs.getLong("id"), rs.getString("name"), rs.getString("title_ko"), rs.getString("title_en"),
                rs.getString("description_ko"), rs.getString("description_en"), rs.getString("owner"),
                rs.getString("owner_organization"), Classification.parse(rs.getString("classification")), rs.getBoolean("domestic_only"),
                tags == null || tags.isBlank() ? List.of() : Arrays.asList(tags.split(",")),
                rs.getString("key_id"), instant(rs.getLong("created_at")));
    }

    private static DatasetVersion version(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new DatasetVersion(rs.getLong("id"), rs.getLong("dataset_id"), rs.getInt("number"), rs.getString("ingest_id"),
                instant(rs.getLong("created_at")), rs.getString("created_by"), rs.getLong("row_count"),
                rs.getLong("byte_count"), rs.getString("source_name"), rs.getString("source_sha256"),
                rs.getString("source_format"), rs.getString("source_encoding"), rs.getString("dictionary_yaml"),
                rs.getLong("rejected_rows"), rs.getBytes("rejected_detail"), rs.getBytes("zone_maps"), rs.getBytes("wrapped_key"));
    }

    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                String state = sql.getSQLState();
                if ("23505".equals(state) || "23000".equals(state)) return true;
            }
        }
        return false;
    }

    private static MaxException database(RuntimeException e) {
        return new MaxException(CatalogError.DATABASE, Location.NOWHERE, e, rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getClass().getSimpleName();
    }
}
