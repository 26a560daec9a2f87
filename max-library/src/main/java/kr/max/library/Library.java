package kr.max.library;

import java.io.IOException;
import kr.max.library.query.SqlText;
import kr.max.library.identity.Identities;
import kr.max.library.safezone.SafeZoneOutputs;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.max.core.Classification;
import kr.max.core.DatasetName;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.agreement.Agreement;
import kr.max.library.agreement.AgreementError;
import kr.max.library.agreement.Agreements;
import kr.max.library.agreement.AccessState.Transition;
import kr.max.library.agreement.Constraint;
import kr.max.library.agreement.Duty;
import kr.max.library.agreement.PolicyRule;
import kr.max.library.agreement.Terms;
import kr.max.library.agreement.UsagePolicy;
import kr.max.library.audit.AuditChain;
import kr.max.library.audit.AuditEvent;
import kr.max.library.audit.AuditRecord;
import kr.max.library.audit.Verification;
import kr.max.library.catalog.Catalog;
import kr.max.library.catalog.CatalogError;
import kr.max.library.catalog.Chunk;
import kr.max.library.catalog.Dataset;
import kr.max.library.catalog.DatasetVersion;
import kr.max.library.crypto.AuditKeys;
import kr.max.library.crypto.DataKey;
import kr.max.library.crypto.KeyManagementService;
import kr.max.library.crypto.LocalKeyManagementService;
import kr.max.library.ingest.DictionaryYaml;
import kr.max.library.ingest.IngestProblem;
import kr.max.library.policy.AccessRequest;
import kr.max.library.policy.Action;
import kr.max.library.policy.DatasetFacts;
import kr.max.library.policy.Decision;
import kr.max.library.policy.GovernancePolicy;
import kr.max.library.policy.Obligation;
import kr.max.library.policy.PolicyEngine;
import kr.max.library.policy.PolicyError;
import kr.max.library.query.QueryEngine;
import kr.max.library.query.QueryError;
import kr.max.library.query.ResultSink;
import kr.max.library.query.ZoneMap;
import kr.max.library.store.LocalObjectStore;
import kr.max.library.store.ObjectStore;
import kr.max.library.store.Scratch;

/**
 * The national manufacturing data library (제조AX 데이터 라이브러리) on one machine: deposit, catalog,
 * query, export, delete and the audit chain. Every operation takes the acting {@link Principal}, is
 * decided by the {@link PolicyEngine} and leaves an audit record, permitted or not.
 *
 * <p>Open it with {@link #open(LibraryConfig)}; opening also finishes what a crashed process left:
 * staging areas are published or removed, interrupted deletions are completed and objects no
 * version references are removed.
 */
public final class Library implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Library.class);

    private static final Pattern VERSIONED = Pattern.compile("^(.+)@([0-9]{1,9})$");

    private final Catalog catalog;
    private final KeyManagementService kms;
    private final ObjectStore store;
    private final Scratch scratch;
    private final AuditChain audit;
    private final PolicyEngine policy;
    private final QueryEngine queries;
    private final Deposit deposit;
    private final Identities identities;
    private final int safeZoneMinContributors;
    private final SafeZoneOutputs outputs;
    private final java.time.Clock clock;
    /** The library's jurisdiction: residency rules measure "domestic" against it. */
    private final String jurisdiction;
    private final Agreements agreements;
    private final kr.max.library.share.Protections protections;
    private final kr.max.library.model.ModelCatalog modelCatalog;
    private final Models models;
    private final kr.max.library.stream.Streams streams;

    private Library(Catalog catalog, KeyManagementService kms, ObjectStore store, Scratch scratch, AuditChain audit,
                    PolicyEngine policy, LibraryConfig config) {
        this.catalog = catalog;
        this.kms = kms;
        this.store = store;
        this.scratch = scratch;
        this.audit = audit;
        this.policy = policy;
        this.queries = new QueryEngine(scratch);
        this.deposit = new Deposit(catalog, kms, store, scratch, config.valuesPerChunk(), config.chunkBytes());
        this.identities = new Identities(catalog.jdbi(), config.clock());
        this.safeZoneMinContributors = config.safeZoneMinContributors();
        this.outputs = new SafeZoneOutputs(catalog.jdbi(), kms, config.clock());
        this.clock = config.clock();
        this.jurisdiction = config.jurisdiction();
        this.agreements = new Agreements(catalog.jdbi());
        this.protections = new kr.max.library.share.Protections(catalog.jdbi());
        this.modelCatalog = new kr.max.library.model.ModelCatalog(catalog.jdbi());
        this.models = new Models(this, modelCatalog, catalog, kms, store, queries, policy, outputs, clock, jurisdiction);
        this.streams = new kr.max.library.stream.Streams(catalog, kms, store, scratch, new kr.max.library.stream.Streams.Governance() {
            @Override
            public void decide(Principal who, Action action, String dataset, DatasetFacts facts, String operation) {
                Library.this.decide(who, action, dataset, facts, null, operation);
            }

            @Override
            public void check(Principal who, Action action, String dataset, DatasetFacts facts, String operation) {
                if (policy.decide(request(who, action, facts)) instanceof Decision.Deny deny) {
                    throw denied(who, operation, dataset, deny, null);
                }
            }

            @Override
            public DatasetFacts facts(Principal who, Dataset ds) {
                return Library.facts(who, ds);
            }

            @Override
            public void record(AuditEvent event) {
                Library.this.record(event);
            }

            @Override
            public void forgetPlaintext(java.util.Collection<String> objectHashes) {
                queries.forget(objectHashes);
            }
        }, config.clock());
    }

    /** Stream datasets: samples from equipment in time-partitioned chunks, governed like deposits (decision 0015). */
    public kr.max.library.stream.Streams streams() {
        return streams;
    }

    /** The model registry's side of the library: models as encrypted, classified, governed and audited assets. */
    public Models models() {
        return models;
    }

    /** Opens the library in its home, creating it on first use, and recovers from any crash. */
    public static Library open(LibraryConfig config) {
        long t0 = System.nanoTime();
        Path home = config.home();
        try {
            if (!Files.exists(home)) {
                // The home holds the catalog and sealed keys: only its owner may even look inside.
                try {
                    Files.createDirectories(home, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(home);
                }
            }
        } catch (IOException e) {
            throw new MaxException(kr.max.library.store.StoreError.IO, Location.file(home.toString()), e, e.getMessage());
        }
        var kms = LocalKeyManagementService.open(home.resolve("keys"), config.masterKey());
        LOG.debug("key store open at {} ms", (System.nanoTime() - t0) / 1_000_000);
        // The audit keys and the catalog need only the key store: they open side by side.
        var auditKeysOpening = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> AuditKeys.open(kms, home.resolve("keys").resolve("audit-signing.tink")), r -> Thread.ofVirtual().start(r));
        // WRITE_DELAY=0: H2 has no redo log and by default writes committed changes up to half a second later, so a
        // killed process lost versions and stream marks it had reported committed (StreamCrashRecoveryTest)
        String url = config.catalogUrl() != null ? config.catalogUrl()
                : "jdbc:h2:file:" + home.resolve("catalog").resolve("catalog").toAbsolutePath() + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
        Scratch scratch = Scratch.open(config.scratch());
        Catalog catalog;
        try {
            // The embedded catalog's multi-process server listens on a port: it gets a password only this
            // key store knows.
            catalog = config.catalogUrl() != null ? Catalog.open(url, config.catalogUser(), config.catalogPassword())
                    : Catalog.open(url, "max", kms.secret("embedded-catalog"));
        } catch (RuntimeException e) {
            scratch.close();
            throw e;
        }
        LOG.debug("catalog open at {} ms", (System.nanoTime() - t0) / 1_000_000);
        AuditKeys auditKeys;
        try {
            auditKeys = auditKeysOpening.join();
        } catch (java.util.concurrent.CompletionException e) {
            catalog.close();
            scratch.close();
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
        LOG.debug("audit keys at {} ms", (System.nanoTime() - t0) / 1_000_000);
        // Objects belong to the catalog that references them: a home used with an external catalog keeps
        // that catalog's objects apart, so recovery against one catalog never sweeps another's chunks.
        var store = new LocalObjectStore(config.catalogUrl() == null ? home
                : home.resolve("stores").resolve(AuditChain.sha256(url).substring(0, 12)));
        var audit = new AuditChain(catalog.jdbi(), auditKeys.signer(), auditKeys.verifier(), config.clock(),
                home.resolve("audit-head-" + AuditChain.sha256(url).substring(0, 12)));
        var library = new Library(catalog, kms, store, scratch, audit, new GovernancePolicy(), config);
        LOG.debug("opened in {} ms", (System.nanoTime() - t0) / 1_000_000);
        library.recover();
        LOG.debug("recovered at {} ms", (System.nanoTime() - t0) / 1_000_000);
        return library;
    }

    private void recover() {
        // A staging area belongs to a dataset version or to a model version; either commit publishes it.
        store.recover(id -> catalog.isCommitted(id) || modelCatalog.isCommitted(id) || streams.isCommitted(id));
        for (Dataset ds : catalog.pendingShred()) shred(ds);
        // List the objects before asking which are referenced: an object is published only after its
        // version commits, so one listed here and committed by another process meanwhile is referenced.
        Set<String> present = store.list();
        Set<String> referenced = new java.util.HashSet<>(catalog.referencedObjects());
        referenced.addAll(modelCatalog.referencedObjects());
        referenced.addAll(streams.retainedObjects());
        for (String hash : present) {
            if (!referenced.contains(hash)) store.delete(hash);
        }
    }

    /**
     * Decides whether {@code who} may deposit into {@code dataset} at all, before a server receives the file: a
     * refusal is recorded and thrown, and nothing is read. A permit is not recorded here: the deposit itself is
     * decided, and recorded, when it runs.
     */
    public void mayDeposit(Principal who, String dataset) {
        new DatasetName(dataset);
        Dataset existing = catalog.dataset(dataset).orElse(null);
        if (policy.decide(request(who, Action.INGEST, existing == null ? null : facts(who, existing))) instanceof Decision.Deny deny) {
            throw denied(who, "upload", dataset, deny, null);
        }
        streams.refuseDeposit(existing);
    }

    /** Deposits a file as the next version of a dataset. */
    public IngestResult ingest(Principal who, IngestRequest request) {
        return ingest(who, request, IngestProgress.NONE);
    }

    /** Deposits a file as the next version of a dataset, reporting progress as it goes. */
    public IngestResult ingest(Principal who, IngestRequest request, IngestProgress progress) {
        return ingest(who, PreparedIngest.later(request), progress);
    }

    /**
     * Starts reading a file for a deposit (its form, a sample for the dictionary, its hash) before a library is
     * open, so the reading overlaps the opening; pass the result to {@link #ingest(Principal, PreparedIngest,
     * IngestProgress)}. Reads the file only; stores and decides nothing.
     */
    public static PreparedIngest prepare(IngestRequest request) {
        return PreparedIngest.now(request);
    }

    /**
     * As {@link #prepare(IngestRequest)}, and where DuckDB's path applies the file is also converted, into scratch
     * memory of its own under {@code config}'s scratch, while the library opens. The conversion is the user's file
     * in another form, in memory only; it is encrypted and stored only if the deposit is permitted, and a refusal,
     * a failure or {@link PreparedIngest#close()} removes it.
     */
    public static PreparedIngest prepare(IngestRequest request, LibraryConfig config) {
        return PreparedIngest.converting(request, config.scratch(), config.chunkBytes());
    }

    /** Deposits a file whose reading began with {@link #prepare(IngestRequest)}; decided before anything is used. */
    public IngestResult ingest(Principal who, PreparedIngest prepared, IngestProgress progress) {
        // Whatever was converted ahead and not used (refused, failed) leaves nothing behind.
        try (prepared) {
            return ingestPrepared(who, prepared, progress);
        }
    }

    private IngestResult ingestPrepared(Principal who, PreparedIngest prepared, IngestProgress progress) {
        IngestRequest request = prepared.request();
        new DatasetName(request.dataset());
        Dataset existing = catalog.dataset(request.dataset()).orElse(null);
        decide(who, Action.INGEST, request.dataset(), existing);
        if (existing == null && request.classification() == Classification.DESIGNATED) {
            // Depositing a new dataset as designated designates it: a steward's decision, like any designation.
            decide(who, Action.DESIGNATE, request.dataset(), new DatasetFacts(request.dataset(), who.name(),
                    who.organization(), Classification.DESIGNATED, false), null, Action.DESIGNATE.word());
        }
        try {
            streams.refuseDeposit(existing);
            IngestResult result = deposit.run(who, prepared, progress, existing, Catalog.CommitHook.NONE);
            record(AuditEvent.ok(who.name(), "ingest", request.dataset(), result.version(),
                    "rows=" + result.rows() + " rejected=" + result.rejectedRows() + " source=" + result.source().fileName()));
            return result;
        } catch (RuntimeException e) {
            record(new AuditEvent(who.name(), "ingest", request.dataset(), null, "failed", failure(e), null));
            throw e;
        }
    }

    /** Datasets the principal may see, with their latest version's figures. */
    public List<DatasetSummary> datasets(Principal who) {
        var out = new ArrayList<DatasetSummary>();
        var latest = catalog.latestVersions();
        for (Dataset ds : catalog.datasets()) {
            if (!(policy.decide(request(who, Action.READ_METADATA, facts(who, ds))) instanceof Decision.Permit)) continue;
            Catalog.Latest last = latest.get(ds.id());
            out.add(new DatasetSummary(ds.name(), ds.classification(), ds.owner(), last == null ? 0 : last.versions(),
                    last == null ? 0 : last.rows(), last == null ? 0 : last.bytes(),
                    last == null ? ds.createdAt() : last.createdAt()));
        }
        record(AuditEvent.ok(who.name(), "list", null, null, "datasets=" + out.size()));
        return out;
    }

    /** Versions, dictionary, sample rows and rejected rows of a dataset. */
    public DatasetDetails show(Principal who, String name, int sampleRows) {
        return show(who, name, sampleRows, null);
    }

    /**
     * Versions, dictionary, sample rows and rejected rows of a dataset, for a stated purpose: sample rows and
     * rejected values are a use of the data, decided with the purpose under the principal's agreements and
     * withheld (not refused) where that use is not permitted.
     */
    public DatasetDetails show(Principal who, String name, int sampleRows, String purpose) {
        if (purpose != null) requirePurpose(purpose);
        Dataset ds = catalog.require(name);
        // The entry (versions, dictionary) is catalog metadata; sample rows and rejected values are data, decided
        // below as a use under the principal's agreements.
        decide(who, Action.READ_METADATA, name, ds);
        var versions = new ArrayList<VersionSummary>();
        DatasetVersion latest = null;
        for (DatasetVersion v : catalog.versions(ds)) {
            versions.add(new VersionSummary(v.number(), v.createdAt(), v.createdBy(), v.rows(), v.bytes(),
                    catalog.chunks(v).size(), v.sourceName(), v.sourceSha256(), v.sourceFormat(), v.sourceEncoding(),
                    v.rejectedRows()));
            latest = v;
        }
        DataDictionary dictionary = latest == null ? null : DictionaryYaml.fromYaml(latest.dictionaryYaml(), name);
        var columns = new ArrayList<String>();
        var rows = new ArrayList<Object[]>();
        List<IngestProblem> rejected = List.of();
        String withheld = null;
        boolean dataShown = latest != null && (sampleRows > 0 || latest.rejectedDetail() != null);
        if (dataShown) {
            // Never held for review: the safe zone's output is an aggregate, and a sample is raw rows.
            Decision use = decideUse(who, Action.QUERY, ds, purpose, null);
            if (use instanceof Decision.Permit permit && !permit.obligations().contains(Obligation.REVIEW_OUTPUT)) {
                record(new AuditEvent(who.name(), "show", name, latest.number(), "permit", UseDetail.of(use, who, purpose, null).text(), null));
            } else {
                withheld = use instanceof Decision.Deny deny ? deny.rule() : "review-output";
                dataShown = false;
            }
        }
        if (dataShown && sampleRows > 0) {
            queries.query("SELECT * FROM " + SqlText.identifier(name + "@" + latest.number()) + " LIMIT " + sampleRows,
                    t -> resolve(t).without(hiddenColumns(who, ds)), new ResultSink() {
                        @Override
                        public void columns(List<String> names, List<String> sqlTypes) {
                            columns.addAll(names);
                        }

                        @Override
                        public void row(Object[] values) {
                            rows.add(values);
                        }
                    });
        }
        if (dataShown && latest.rejectedDetail() != null) {
            DataKey key = dataKey(ds, latest);
            rejected = RejectedRows.fromBytes(key.open(latest.rejectedDetail(), "rejected:" + latest.ingestId()));
        }
        record(AuditEvent.ok(who.name(), "show", name, latest == null ? null : latest.number(), "sample=" + rows.size()
                + (withheld == null ? "" : " data-withheld=" + withheld)));
        return new DatasetDetails(ds, versions, dictionary, columns, rows, rejected);
    }

    /** The data dictionary of {@code kamp/press} (latest) or {@code kamp/press@2}. */
    public DataDictionary dictionary(Principal who, String ref) {
        var parsed = parseRef(ref);
        Dataset ds = catalog.require(parsed.name());
        decide(who, Action.READ_METADATA, parsed.name(), ds);
        DatasetVersion v = catalog.version(ds, parsed.version());
        record(AuditEvent.ok(who.name(), "dictionary", parsed.name(), v.number(), null));
        return DictionaryYaml.fromYaml(v.dictionaryYaml(), ref);
    }

    /**
     * Runs one SELECT over datasets named in double quotes; rows stream to {@code sink}.
     *
     * <p>Each table's decision is taken before any of its chunks is touched. The permit record is
     * written while the chunks are pruned and the query runs, and no result reaches {@code sink}
     * before it is on record: a permit that cannot be recorded fails the query with nothing delivered.
     */
    public QueryEngine.QueryStats query(Principal who, String sql, ResultSink sink) {
        return query(who, sql, null, sink);
    }

    /**
     * Runs one SELECT for a stated purpose, as {@link #query(Principal, String, ResultSink)} does. Datasets
     * used under an agreement are decided with the purpose against the agreement's terms, and each use is
     * counted against the agreement before its chunks are touched.
     *
     * @param purpose the purpose the data is used for, one word such as {@code quality-research}; may be null
     */
    public QueryEngine.QueryStats query(Principal who, String sql, String purpose, ResultSink sink) {
        if (purpose != null) requirePurpose(purpose);
        String queryHash = AuditChain.sha256(sql);
        var permits = new PendingRecords();
        try {
            // Every table is decided before any chunk is touched; a permit that obliges review sends the
            // whole query through the safe zone.
            var chosen = new java.util.LinkedHashMap<String, Dataset>();
            boolean review = false;
            for (String tableName : queries.tablesOf(sql)) {
                var parsed = parseRefForQuery(tableName);
                Dataset ds = catalog.dataset(parsed.name())
                        .orElseThrow(() -> new MaxException(QueryError.UNKNOWN_TABLE, Location.NOWHERE, tableName));
                Decision decision = decideUse(who, Action.QUERY, ds, purpose, null);
                String detail = UseDetail.of(decision, who, purpose, null).text();
                switch (decision) {
                    case Decision.Permit permit -> {
                        permits.add(new AuditEvent(who.name(), Action.QUERY.word(), parsed.name(), null, "permit", detail, queryHash));
                        review |= permit.obligations().stream().anyMatch(o -> o instanceof kr.max.library.policy.Obligation.ReviewOutput);
                    }
                    case Decision.Deny deny -> {
                        permits.await();
                        throw denied(who, Action.QUERY.word(), parsed.name(), deny, detail, queryHash);
                    }
                }
                chosen.put(tableName, ds);
            }
            var decided = new java.util.LinkedHashMap<String, DatasetVersion>();
            QueryEngine.TableResolver resolver = tableName -> {
                Dataset ds = chosen.get(tableName);
                if (ds == null) throw new MaxException(QueryError.UNKNOWN_TABLE, Location.NOWHERE, tableName);
                DatasetVersion v = catalog.version(ds, parseRefForQuery(tableName).version());
                decided.put(tableName, v);
                return resolved(tableName, ds, v).without(hiddenColumns(who, ds));
            };
            if (review) return holdForReview(who, sql, queryHash, resolver, decided, permits);
            ResultSink gated = new ResultSink() {
                @Override
                public void columns(List<String> names, List<String> types) {
                    permits.await();
                    sink.columns(names, types);
                }

                @Override
                public void row(Object[] values) {
                    sink.row(values);
                }
            };
            QueryEngine.QueryStats stats = queries.query(sql, resolver, gated);
            permits.await();
            for (var e : decided.entrySet()) {
                record(new AuditEvent(who.name(), "query", parseRef(e.getKey()).name(), e.getValue().number(), "ok",
                        "rows=" + stats.rows() + " chunks=" + stats.chunksRead() + "/" + stats.chunksTotal(), queryHash));
            }
            if (decided.isEmpty()) record(new AuditEvent(who.name(), "query", null, null, "ok", "no dataset", queryHash));
            return stats;
        } catch (RuntimeException e) {
            try {
                permits.await();
            } catch (RuntimeException auditFailure) {
                e.addSuppressed(auditFailure);
                throw e;
            }
            if (!(e instanceof MaxException me && me.code() == PolicyError.DENIED)) {
                record(new AuditEvent(who.name(), "query", null, null, "failed", failure(e), queryHash));
            }
            throw e;
        }
    }

    // ---- the safe zone (데이터안심구역): results over designated data wait for review ----

    /**
     * A result row of a safe-zone query stands on at least this many stored rows, or is held back
     * ({@link LibraryConfig#safeZoneMinContributors()}).
     */
    public int safeZoneMinContributors() {
        return safeZoneMinContributors;
    }

    /** Runs the query the safe-zone way and holds its result for review; nothing reaches the caller. */
    private QueryEngine.QueryStats holdForReview(Principal who, String sql, String queryHash, QueryEngine.TableResolver resolver,
                                                 Map<String, DatasetVersion> decided, PendingRecords permits) {
        var columns = new ArrayList<String>();
        var types = new ArrayList<String>();
        var rows = new ArrayList<Object[]>();
        QueryEngine.QueryStats stats = queries.querySafeZone(sql, resolver, new ResultSink() {
            @Override
            public void columns(List<String> names, List<String> sqlTypes) {
                columns.addAll(names);
                types.addAll(sqlTypes);
            }

            @Override
            public void row(Object[] values) {
                if (rows.size() > SafeZoneOutputs.MAX_ROWS) {
                    throw new MaxException(kr.max.library.safezone.SafeZoneError.TOO_MANY_ROWS, Location.NOWHERE, SafeZoneOutputs.MAX_ROWS);
                }
                rows.add(values);
            }
        }, safeZoneMinContributors);
        permits.await();
        var datasets = decided.keySet().stream().map(t -> parseRef(t).name()).distinct().toList();
        String id = outputs.hold(who.name(), who.organization(), datasets, queryHash,
                new SafeZoneOutputs.Result(sql, columns, types, rows), stats.heldBackRows());
        for (var e : decided.entrySet()) {
            record(new AuditEvent(who.name(), "query", parseRef(e.getKey()).name(), e.getValue().number(), "held",
                    "output=" + id + " rows=" + stats.rows() + " held-back=" + stats.heldBackRows(), queryHash));
        }
        return stats.withHeldOutput(id);
    }

    /**
     * Held outputs the principal may see: their own, and those over datasets they may review (the
     * provider's organization or a steward) — query results and models waiting to be exported alike.
     */
    public List<SafeZoneOutputs.Output> outputs(Principal who) {
        var visible = new ArrayList<SafeZoneOutputs.Output>();
        for (var o : outputs.outputs()) {
            if (o.analyst().equals(who.name()) || mayReview(who, o)) visible.add(o);
        }
        record(AuditEvent.ok(who.name(), "review-list", null, null, "outputs=" + visible.size()));
        return visible;
    }

    private boolean mayReview(Principal who, SafeZoneOutputs.Output o) {
        for (ReviewedOn on : reviewedOn(who, o)) {
            if (on.facts() == null || !(policy.decide(request(who, Action.REVIEW, on.facts())) instanceof Decision.Permit)) return false;
        }
        return true;
    }

    /** One dataset a held output draws on, as its review is decided; {@code facts} null when it is gone. */
    private record ReviewedOn(String dataset, DatasetFacts facts) {
    }

    /**
     * What the review of a held output is decided on, dataset by dataset. A query's result: its tables, by name. A
     * model: the datasets it learned from, by catalog id, deleted or not (its lineage still names them, and their
     * provider still answers for them); a model that learned from none (an import declared designated) is reviewed
     * on the model itself with no owner organization on record, so that only a steward may review it.
     */
    private List<ReviewedOn> reviewedOn(Principal who, SafeZoneOutputs.Output o) {
        var on = new ArrayList<ReviewedOn>();
        if (!o.isModel()) {
            for (String name : o.datasets()) on.add(new ReviewedOn(name, catalog.dataset(name).map(ds -> facts(who, ds)).orElse(null)));
            return on;
        }
        for (long id : modelCatalog.trainingDatasets(o.modelVersionId())) {
            Dataset ds = catalog.datasetById(id).orElse(null);
            on.add(ds == null ? new ReviewedOn("#" + id, null) : new ReviewedOn(ds.name(), facts(who, ds)));
        }
        if (on.isEmpty()) {
            String model = heldModelName(o);
            on.add(new ReviewedOn(model, DatasetFacts.model(model, o.analyst(), null, Classification.DESIGNATED, true)));
        }
        return on;
    }

    /** What the audit record names a held output by: a query's datasets, or the model ({@code model:NAME}). */
    private static String heldSubject(SafeZoneOutputs.Output o) {
        return o.isModel() ? heldModelName(o) : String.join(",", o.datasets());
    }

    private static String heldModelName(SafeZoneOutputs.Output o) {
        return Models.audited(kr.max.library.model.ModelName.parse(o.model()).name());
    }

    /**
     * Releases ({@code release}) or rejects a held output: a query's result, or a model waiting to be exported. The
     * reviewer must be allowed to review every dataset it draws on (for a model, every dataset it learned from), and
     * is never its analyst (the requester).
     */
    public SafeZoneOutputs.Output review(Principal who, String id, boolean release, String note) {
        var o = outputs.require(id);
        String operation = release ? "review-release" : "review-reject";
        String subject = heldSubject(o);
        if (o.analyst().equals(who.name())) {
            throw denied(who, operation, subject, new Decision.Deny("review-not-own-output"), null);
        }
        for (ReviewedOn on : reviewedOn(who, o)) {
            if (on.facts() == null) throw new MaxException(CatalogError.NO_SUCH_DATASET, Location.dataset(on.dataset(), null), on.dataset());
            decide(who, Action.REVIEW, on.dataset(), on.facts(), null, operation);
        }
        var reviewed = outputs.review(id, who.name(), release, note);
        Integer version = o.isModel() ? kr.max.library.model.ModelName.parse(o.model()).version() : null;
        record(AuditEvent.ok(who.name(), operation, subject, version, "output=" + id + (o.isModel() ? " kind=model" : "")));
        return reviewed;
    }

    /** Streams a released result to its analyst. A held model is taken out by exporting it again ({@link Models#export}). */
    public QueryEngine.QueryStats releasedOutput(Principal who, String id, ResultSink sink) {
        var o = outputs.require(id);
        String datasets = heldSubject(o);
        if (!o.analyst().equals(who.name())) {
            throw denied(who, "output-read", datasets, new Decision.Deny("output-analyst-only"), null);
        }
        if (o.isModel()) {
            record(new AuditEvent(who.name(), "output-read", datasets, null, "failed", "not-a-result", null));
            throw new MaxException(kr.max.library.safezone.SafeZoneError.NOT_A_RESULT, Location.NOWHERE, id, o.model());
        }
        if (o.state() != SafeZoneOutputs.State.RELEASED) {
            record(new AuditEvent(who.name(), "output-read", datasets, null, "failed", "not-released", null));
            throw new MaxException(kr.max.library.safezone.SafeZoneError.NOT_RELEASED, Location.NOWHERE, id, o.state().word());
        }
        var result = outputs.open(id);
        sink.columns(result.columns(), result.types());
        result.rows().forEach(sink::row);
        record(AuditEvent.ok(who.name(), "output-read", datasets, null, "output=" + id + " rows=" + result.rows().size()));
        return new QueryEngine.QueryStats(o.datasets(), 0, 0, result.rows().size(), o.heldBack(), null);
    }

    /** Audit records being appended in the background, in order, for one operation. */
    private final class PendingRecords {
        private java.util.concurrent.CompletableFuture<Void> tail = java.util.concurrent.CompletableFuture.completedFuture(null);

        void add(AuditEvent e) {
            tail = tail.thenRunAsync(() -> record(e), AUDIT_WRITERS);
        }

        /** Returns once every record added is appended; throws what an append threw. */
        void await() {
            try {
                tail.join();
            } catch (java.util.concurrent.CompletionException ex) {
                if (ex.getCause() instanceof RuntimeException re) throw re;
                throw ex;
            }
        }
    }

    private static final java.util.concurrent.Executor AUDIT_WRITERS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    /** Writes a dataset version to a Parquet or CSV file outside the library, on the library's own host. */
    public QueryEngine.QueryStats export(Principal who, String ref, Path target, String format) {
        return export(who, ref, target, format, null, null);
    }

    /** Writes a dataset version to a file on the library's own host, for a stated purpose. */
    public QueryEngine.QueryStats export(Principal who, String ref, Path target, String format, String purpose) {
        return export(who, ref, target, format, purpose, null);
    }

    /**
     * Writes a dataset version to a Parquet or CSV file, for a stated purpose, bound for a jurisdiction. An
     * export may not leave the library's jurisdiction: an attempt is denied and audited.
     *
     * @param purpose                 the purpose, checked against the agreement's terms; may be null
     * @param destinationJurisdiction the country the copy goes to (ISO 3166-1 alpha-2): the caller's, for a
     *                                download; {@code null} for a file on the library's host, inside its jurisdiction
     */
    public QueryEngine.QueryStats export(Principal who, String ref, Path target, String format, String purpose,
                                         String destinationJurisdiction) {
        if (purpose != null) requirePurpose(purpose);
        String destination = destinationJurisdiction == null ? jurisdiction : requireJurisdiction(destinationJurisdiction);
        var parsed = parseRef(ref);
        Dataset ds = catalog.require(parsed.name());
        Decision decision = decideUse(who, Action.EXPORT, ds, purpose, destination);
        String detail = UseDetail.of(decision, who, purpose, destination).text();
        switch (decision) {
            case Decision.Permit permit ->
                    record(new AuditEvent(who.name(), Action.EXPORT.word(), parsed.name(), null, "permit", detail, null));
            case Decision.Deny deny -> throw denied(who, Action.EXPORT.word(), parsed.name(), deny, detail, null);
        }
        DatasetVersion v = catalog.version(ds, parsed.version());
        String table = parsed.name() + "@" + v.number();
        try {
            var resolvedTable = resolved(table, ds, v).without(hiddenColumns(who, ds));
            boolean toConsumer = who.organization() == null || !who.organization().equals(ds.ownerOrganization());
            var scheme = toConsumer ? Exports.scheme(resolvedTable.dictionary()) : null;
            String exportId = "exp-" + newExportId();
            QueryEngine.QueryStats stats;
            byte[] sealedSecret = null;
            // The copy lands under a staging name and takes its place only once its record is written, so no file
            // carries a mark the library cannot trace.
            Path staged = target.resolveSibling(target.getFileName() + ".staged");
            try {
                if (scheme == null) {
                    stats = queries.export(table, name -> resolvedTable, staged, format);
                } else {
                    // Every copy for another organization carries its recipient's mark (반출 핑거프린트).
                    var secret = kr.max.library.fingerprint.FingerprintSecret.generate(RANDOM);
                    sealedSecret = dataKey(ds, v).seal(secret.bytes(), "fingerprint:" + exportId);
                    var names = resolvedTable.dictionary().names();
                    stats = queries.exportMarked(table, name -> resolvedTable, staged, format,
                            scheme.marked().stream().map(kr.max.library.fingerprint.FingerprintColumn::name).toList(),
                            Exports.timeKey(scheme, resolvedTable.dictionary()), Exports.timeTextKey(scheme, resolvedTable.dictionary()),
                            Exports.assetKey(scheme, resolvedTable.dictionary()),
                            () -> kr.max.library.fingerprint.Fingerprinter.create(secret, scheme, names));
                }
                protections.recordExport(new kr.max.library.share.Protections.ExportRecord(exportId, ds.id(), ds.name(), v.number(),
                        who.name(), who.organization(), purpose, format, stats.rows(), clock.instant(),
                        scheme == null ? null : Exports.schemeJson(scheme), sealedSecret));
                Files.move(staged, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.io.IOException e) {
                throw new MaxException(QueryError.EXPORT, Location.file(target.toString()), e, target, e.getMessage());
            } finally {
                kr.max.library.store.Scratch.deleteQuietly(staged);
            }
            record(AuditEvent.ok(who.name(), "export", parsed.name(), v.number(),
                    "rows=" + stats.rows() + " format=" + format + " to=" + target.getFileName() + " export=" + exportId
                            + (scheme == null ? " unmarked" : " fingerprinted")));
            return stats.withExport(exportId, scheme != null);
        } catch (RuntimeException e) {
            record(new AuditEvent(who.name(), "export", parsed.name(), v.number(), "failed", failure(e), null));
            throw e;
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static String newExportId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var sb = new StringBuilder(12);
        for (int i = 0; i < 12; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }

    /** What {@link #trace} found, and over how many recorded exports it looked. */
    public record Traced(kr.max.library.fingerprint.TraceReport report, int candidates) {
    }

    /**
     * Names the recipient of a leaked copy (유출본 추적): reads the file (CSV or Parquet) and tests it against
     * every fingerprinted export of the datasets whose usage the caller may see (their provider organization,
     * an auditor, a steward). The report names the exports whose mark the copy carries, with a confidence,
     * or says why it cannot tell; it is on the audit record either way.
     */
    public Traced trace(Principal who, Path file) {
        var candidates = new ArrayList<kr.max.library.fingerprint.Candidate>();
        var usageVisible = new java.util.HashMap<Long, Boolean>();
        for (var e : protections.exports(null, true)) {
            Dataset ds = catalog.dataset(e.dataset()).orElse(null);
            if (ds == null || ds.id() != e.datasetId()) continue; // deleted: its keys, and so its marks, are gone
            boolean visible = usageVisible.computeIfAbsent(ds.id(), id -> policy.decide(request(who, Action.USAGE, facts(who, ds)))
                    instanceof Decision.Permit);
            if (!visible) continue;
            byte[] secret = dataKey(ds, catalog.version(ds, e.version())).open(e.wrappedSecret(), "fingerprint:" + e.id());
            candidates.add(new kr.max.library.fingerprint.Candidate(e.id(), e.recipient(), e.at(),
                    kr.max.library.fingerprint.FingerprintSecret.fromBytes(secret), Exports.schemeFromJson(e.scheme())));
        }
        java.util.LinkedHashMap<String, Object> columns;
        try {
            var wanted = new java.util.HashSet<String>();
            for (var c : candidates) {
                c.scheme().marked().forEach(m -> wanted.add(m.name()));
                wanted.addAll(c.scheme().keyColumns());
            }
            columns = queries.readSuspect(file, wanted);
        } catch (MaxException e) {
            record(new AuditEvent(who.name(), "trace", null, null, "failed", "unreadable " + file.getFileName(), null));
            throw new MaxException(kr.max.library.share.ShareError.SUSPECT_UNREADABLE, Location.file(file.toString()), e,
                    file.getFileName(), e.getCause() == null ? e.getMessage() : SqlText.firstLine(e.getCause().getMessage()));
        }
        int rows = columns.values().stream().mapToInt(java.lang.reflect.Array::getLength).findFirst().orElse(0);
        var suspect = kr.max.library.fingerprint.SuspectTable.builder(rows);
        for (var c : columns.entrySet()) {
            switch (c.getValue()) {
                case double[] a -> suspect.column(c.getKey(), a);
                case long[] a -> suspect.column(c.getKey(), a);
                case Object[] a -> suspect.column(c.getKey(), a);
                default -> throw new IllegalStateException();
            }
        }
        var report = new kr.max.library.fingerprint.Tracer().trace(suspect.build(), candidates);
        String outcome = switch (report) {
            case kr.max.library.fingerprint.TraceReport.Identified id -> "identified " + String.join(",",
                    id.matches().stream().map(m -> m.exportId() + ":" + m.recipient()).toList());
            case kr.max.library.fingerprint.TraceReport.Inconclusive in -> "inconclusive " + in.reason().name().toLowerCase(java.util.Locale.ROOT);
        };
        record(AuditEvent.ok(who.name(), "trace", null, null, "file=" + file.getFileName() + " rows=" + rows + " candidates="
                + candidates.size() + " " + outcome));
        return new Traced(report, candidates.size());
    }

    /** The de-identified releases made of a dataset, for those who may see its usage. */
    public List<kr.max.library.share.Protections.ReleaseRecord> releases(Principal who, String name) {
        Dataset ds = catalog.require(name);
        decide(who, Action.USAGE, name, ds);
        var releases = protections.releasesOf(ds.id());
        record(AuditEvent.ok(who.name(), "releases", name, null, "releases=" + releases.size()));
        return releases;
    }

    /** Every export of a dataset, for those who may see its usage. */
    public List<kr.max.library.share.Protections.ExportRecord> exports(Principal who, String name) {
        Dataset ds = catalog.require(name);
        decide(who, Action.USAGE, name, ds);
        var exports = protections.exports(ds.id(), false);
        record(AuditEvent.ok(who.name(), "exports", name, null, "exports=" + exports.size()));
        return exports;
    }

    /**
     * The provider's controls over a dataset (제공자 통제): the uses other organizations may make only of a
     * de-identified release, and the columns that never leave the owner organization in any use (queries
     * and exports cannot name them; de-identification profiles must drop or suppress them). Set by the
     * owner organization's providers; audited.
     *
     * @param deidRequiredFor a subset of query, export, train
     * @param neverLeave      column names of the dataset's latest version
     */
    public kr.max.library.share.Protections.Controls protect(Principal who, String name, Set<Action> deidRequiredFor,
                                                             Set<String> neverLeave) {
        Dataset ds = catalog.require(name);
        decide(who, Action.DESCRIBE, name, ds);
        for (Action a : deidRequiredFor) {
            if (!a.usesData()) throw new MaxException(kr.max.library.share.ShareError.NOT_A_USE, Location.dataset(name, null), a.word());
        }
        DataDictionary dictionary = DictionaryYaml.fromYaml(catalog.version(ds, null).dictionaryYaml(), name);
        for (String column : neverLeave) {
            if (dictionary.column(column).isEmpty()) {
                throw new MaxException(kr.max.library.share.ShareError.UNKNOWN_COLUMN, Location.dataset(name, null), name, column,
                        String.join(", ", dictionary.names()));
            }
        }
        protections.setControls(ds.id(), deidRequiredFor, neverLeave);
        var set = protections.controls(ds.id());
        record(AuditEvent.ok(who.name(), "protect", name, null, "deid-required-for="
                + String.join(",", set.deidRequiredFor().stream().sorted().map(Action::word).toList())
                + " never-leave=" + String.join(",", set.neverLeave())));
        return set;
    }

    /**
     * What a de-identification gave: the risk report, and for a release the stored profile version and the
     * release's name and version ({@code null} for a dry run).
     */
    public record Deidentified(kr.max.library.deid.RiskReport report, String profile, Integer profileVersion,
                               String release, Integer version) {
    }

    private static final tools.jackson.databind.json.JsonMapper REPORT_JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /** The risk report as JSON, as the release's lineage keeps it and the HTTP API answers it. */
    public static String reportJson(kr.max.library.deid.RiskReport report) {
        return REPORT_JSON.writeValueAsString(report);
    }

    /**
     * De-identifies a dataset version with a profile (비식별 처리). With {@code releaseName} null it is a dry
     * run: the risk report of what a release would be, and nothing released. Otherwise the result becomes
     * the next version of the release dataset, with the source's classification and residency, lineage to
     * the source version and the stored profile version, and a pseudonym key of its own (so releases cannot
     * be linked to each other) that is never stored. Only the owner organization's providers de-identify;
     * columns that never leave are left out before the profile sees the data.
     */
    public Deidentified deidentify(Principal who, String sourceRef, kr.max.library.deid.DeidProfile profile, String releaseName) {
        var parsed = parseRef(sourceRef);
        Dataset ds = catalog.require(parsed.name());
        decide(who, Action.DESCRIBE, parsed.name(), ds);
        DatasetVersion v = catalog.version(ds, parsed.version());
        // Columns that never leave are not even read: no profile can keep them.
        var table = resolved(parsed.name() + "@" + v.number(), ds, v).without(protections.controls(ds.id()).neverLeave());
        var plan = profile.plan(table.dictionary());
        Dataset existing = null;
        if (releaseName != null) {
            new DatasetName(releaseName);
            existing = catalog.dataset(releaseName).orElse(null);
            if (existing != null && !Long.valueOf(ds.id()).equals(protections.controls(existing.id()).releaseOf())) {
                throw new MaxException(kr.max.library.share.ShareError.RELEASE_NAME_TAKEN, Location.dataset(releaseName, null),
                        releaseName, ds.name());
            }
            decide(who, Action.INGEST, releaseName, existing);
        }
        long t0 = System.nanoTime();
        var rows = Releases.read(queries, table, v.rows());
        LOG.debug("deid: {} rows read in {} ms", rows.rowCount(), (System.nanoTime() - t0) / 1_000_000);
        String source = ds.name() + "@" + v.number();
        if (releaseName == null) {
            var report = kr.max.library.deid.Deidentifier.dryRun(rows, plan);
            record(AuditEvent.ok(who.name(), "deid-dry-run", ds.name(), v.number(), "profile=" + profile.name() + summary(report)));
            return new Deidentified(report, profile.name(), null, null, null);
        }
        try {
            t0 = System.nanoTime();
            var result = kr.max.library.deid.Deidentifier.run(rows, plan, kr.max.library.deid.PseudonymKey.generate());
            LOG.debug("deid: engine {} ms", (System.nanoTime() - t0) / 1_000_000);
            var stored = protections.storeProfile(profile.name(), profile.toSelfContainedYaml(), who.name(), clock.instant());
            var dictionary = Releases.depositDictionary(result, plan);
            Path file = scratch.newFile(".csv");
            try {
                t0 = System.nanoTime();
                Releases.writeCsv(result.table(), dictionary, file);
                LOG.debug("deid: release file written in {} ms", (System.nanoTime() - t0) / 1_000_000);
                // The file is ours: say what it is rather than have it sniffed.
                var written = new kr.max.library.ingest.SourceOptions("csv", java.nio.charset.StandardCharsets.UTF_8, ',', true, null);
                var request = new IngestRequest(file, releaseName, written, dictionary, false, 20, ds.classification(), null);
                String reportJson = reportJson(result.report());
                boolean domesticOnly = ds.domesticOnly();
                IngestResult r = deposit.run(who, request, IngestProgress.NONE, existing, (h, committed) -> {
                    kr.max.library.share.Protections.markRelease(h, committed.datasetId(), ds.id());
                    kr.max.library.share.Protections.recordLineage(h, new kr.max.library.share.Protections.Lineage(committed.id(),
                            v.id(), stored.id(), reportJson));
                    h.createUpdate("UPDATE dataset SET domestic_only = :d WHERE id = :id").bind("d", domesticOnly)
                            .bind("id", committed.datasetId()).execute();
                });
                record(AuditEvent.ok(who.name(), "deid-release", releaseName, r.version(), "source=" + source + " profile="
                        + stored.name() + "@" + stored.version() + summary(result.report())));
                return new Deidentified(result.report(), stored.name(), stored.version(), releaseName, r.version());
            } finally {
                kr.max.library.store.Scratch.deleteQuietly(file);
            }
        } catch (java.io.IOException e) {
            throw new MaxException(kr.max.library.store.StoreError.IO, Location.dataset(releaseName, null), e, e.getMessage());
        } catch (RuntimeException e) {
            record(new AuditEvent(who.name(), "deid-release", releaseName, null, "failed", failure(e), null));
            throw e;
        }
    }

    private static String summary(kr.max.library.deid.RiskReport r) {
        return String.format(java.util.Locale.ROOT, " k=%d k-reached=%d rows-in=%d rows-out=%d suppressed=%d max-risk=%.4f",
                r.k(), r.kReached(), r.rowsIn(), r.rowsOut(), r.rowsSuppressed(), r.prosecutorRiskMax());
    }

    /** The name of a dataset by its id (a release names its source by id); deleted datasets keep their name. */
    public String datasetName(long id) {
        return catalog.datasetById(id).map(Dataset::name).orElse(null);
    }

    /** The provider's controls over a dataset, for anyone who may see its catalog entry. */
    public kr.max.library.share.Protections.Controls controls(Principal who, String name) {
        Dataset ds = catalog.require(name);
        decide(who, Action.READ_METADATA, name, ds);
        var c = protections.controls(ds.id());
        record(AuditEvent.ok(who.name(), "controls", name, null, null));
        return c;
    }

    /**
     * Sets a dataset's titles, descriptions, tags and classification; {@code null} keeps a field. Only
     * a steward may designate a dataset (보안과제 지정) or lift a designation.
     */
    public Dataset describe(Principal who, String name, Description d) {
        Dataset ds = catalog.require(name);
        boolean classificationChanges = d.classification() != null && d.classification() != ds.classification();
        boolean designationChanges = classificationChanges
                && (d.classification() == Classification.DESIGNATED || ds.classification() == Classification.DESIGNATED);
        boolean otherChanges = d.titleKo() != null || d.titleEn() != null || d.descriptionKo() != null
                || d.descriptionEn() != null || d.tags() != null || d.domesticOnly() != null
                || classificationChanges && !designationChanges;
        // A steward designates datasets of any organization; the owner's providers describe them.
        if (otherChanges || !designationChanges) decide(who, Action.DESCRIBE, name, ds);
        if (designationChanges) decide(who, Action.DESIGNATE, name, facts(who, ds), null, Action.DESCRIBE.word());
        catalog.describe(ds, d.titleKo(), d.titleEn(), d.descriptionKo(), d.descriptionEn(), d.classification(), d.tags(),
                d.domesticOnly());
        var changes = new ArrayList<String>();
        if (d.classification() != null) changes.add("classification " + ds.classification().word() + "->" + d.classification().word());
        if (d.domesticOnly() != null) changes.add("domestic-only " + ds.domesticOnly() + "->" + d.domesticOnly());
        record(AuditEvent.ok(who.name(), "describe", name, null, changes.isEmpty() ? null : String.join(", ", changes)));
        return catalog.require(name);
    }

    /** What {@link #describe} changes; {@code null} keeps the current value. */
    public record Description(String titleKo, String titleEn, String descriptionKo, String descriptionEn,
                              List<String> tags, Classification classification, Boolean domesticOnly) {

        public Description(String titleKo, String titleEn, String descriptionKo, String descriptionEn, List<String> tags,
                           Classification classification) {
            this(titleKo, titleEn, descriptionKo, descriptionEn, tags, classification, null);
        }
    }

    /**
     * Deletes a dataset by crypto-shredding: its key-encryption key is destroyed, its wrapped data keys
     * wiped and its chunks removed. Old copies of the chunks anywhere are unreadable from then on.
     */
    public void delete(Principal who, String name) {
        Dataset ds = catalog.require(name);
        decide(who, Action.DELETE, name, ds);
        catalog.markDeleted(ds);
        outputs.forgetDataset(name);
        openVersions.values().removeIf(o -> o.datasetId() == ds.id());
        streams.deleted(ds);
        shred(ds);
        record(AuditEvent.ok(who.name(), "delete", name, null, "crypto-shredded key " + ds.keyId()));
    }

    private void shred(Dataset ds) {
        kms.destroyKey(ds.keyId());
        var objects = catalog.objectsOf(ds);
        queries.forget(objects);
        for (String hash : objects) store.delete(hash);
        catalog.markShredded(ds);
    }

    // ---- identities: organizations, users, tokens ----

    /** Registers an organization (admin). */
    public Identities.Organization createOrganization(Principal who, String name, String businessNumber, String jurisdiction) {
        decide(who, Action.MANAGE_IDENTITIES, null, null);
        var org = identities.createOrganization(name, businessNumber, jurisdiction);
        record(AuditEvent.ok(who.name(), "org-create", null, null, "organization=" + org.name() + " jurisdiction=" + org.jurisdiction()));
        return org;
    }

    public List<Identities.Organization> organizations(Principal who) {
        decide(who, Action.MANAGE_IDENTITIES, null, null);
        return identities.organizations();
    }

    /** Registers a user of an organization with roles (admin). */
    public Identities.User createUser(Principal who, String name, String organization, Set<Role> roles) {
        decide(who, Action.MANAGE_IDENTITIES, null, null);
        var user = identities.createUser(name, organization, roles);
        record(AuditEvent.ok(who.name(), "user-create", null, null,
                "user=" + user.name() + " organization=" + user.organization() + " roles=" + Identities.words(user.roles())));
        return user;
    }

    /** Users of one organization, or of all when {@code organization} is null (admin). */
    public List<Identities.User> users(Principal who, String organization) {
        decide(who, Action.MANAGE_IDENTITIES, null, null);
        return identities.users(organization);
    }

    /**
     * Issues an API token. An admin issues for anyone; a user for themselves, carrying some or all of
     * their own roles. The token's secret is in the result only.
     */
    public Identities.IssuedToken issueToken(Principal who, String user, Set<Role> scopes, java.time.Duration lifetime, String label) {
        if (!who.name().equals(user)) decide(who, Action.MANAGE_IDENTITIES, null, null);
        var issued = identities.issueToken(user, scopes, lifetime, label);
        record(AuditEvent.ok(who.name(), "token-issue", null, null, "token=" + issued.info().id() + " user=" + user
                + " scopes=" + Identities.words(issued.info().scopes()) + " expires=" + issued.info().expiresAt()));
        return issued;
    }

    /** Tokens of a user (their own, or anyone's for an admin), never their secrets. */
    public List<Identities.TokenInfo> tokens(Principal who, String user) {
        if (user == null || !who.name().equals(user)) decide(who, Action.MANAGE_IDENTITIES, null, null);
        return identities.tokens(user);
    }

    /** Revokes a token (its owner or an admin); the next call presenting it is refused. */
    public Identities.TokenInfo revokeToken(Principal who, String tokenId) {
        var info = identities.token(tokenId)
                .orElseThrow(() -> new MaxException(kr.max.library.identity.IdentityError.NO_SUCH_TOKEN, Location.NOWHERE, tokenId));
        if (!who.name().equals(info.user())) decide(who, Action.MANAGE_IDENTITIES, null, null);
        var revoked = identities.revokeToken(tokenId);
        record(AuditEvent.ok(who.name(), "token-revoke", null, null, "token=" + tokenId + " user=" + info.user()));
        return revoked;
    }

    /**
     * The principal behind a presented API token, or empty (unknown, malformed, expired, revoked or a
     * disabled user); a refusal is on the audit record, without the token.
     */
    public Optional<Principal> authenticate(String token) {
        Optional<Principal> p = identities.authenticate(token);
        if (p.isEmpty()) record(new AuditEvent("anonymous", "authenticate", null, null, "denied", "token-not-accepted", null));
        return p;
    }

    /**
     * On a library without users: creates the library's own organization and its first admin, and
     * returns that admin's token (to be shown once). Empty when users exist already.
     */
    public Optional<Identities.IssuedToken> bootstrapAdmin(String organization, String jurisdiction, String adminName) {
        if (identities.anyUser()) return Optional.empty();
        if (identities.organization(organization).isEmpty()) identities.createOrganization(organization, null, jurisdiction);
        identities.createUser(adminName, organization, Set.of(Role.ADMIN));
        var issued = identities.issueToken(adminName, Set.of(), Identities.DEFAULT_TOKEN_LIFETIME, "bootstrap");
        record(AuditEvent.ok("system", "bootstrap", null, null, "admin=" + adminName + " organization=" + organization
                + " token=" + issued.info().id()));
        return Optional.of(issued);
    }

    // ---- access requests and agreements ----

    /** One word, so that it can be listed, stored and read back from audit records without quoting. */
    private static final Pattern PURPOSE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._-]{0,99}");
    /** Principal names: user names, or {@code local:<os user>} for the local operator. */
    private static final Pattern ANALYST = Pattern.compile("[^\\s,]{1,200}");
    private static final int REASON_LENGTH = 1000;
    /** Tries at counting one use while others count on the same agreement; each failed try means another use counted. */
    private static final int COUNT_ATTEMPTS = 1000;
    /** Who moves an agreement whose period has ended. */
    private static final String SYSTEM = "system";

    /**
     * Files an access request of the principal's organization for a dataset (decided as
     * {@code request-access}). The dataset's owner organization then approves, narrows or refuses it.
     *
     * @param purpose  what the data will be used for, one word such as {@code quality-research}
     * @param actions  {@code QUERY}, {@code EXPORT} and/or {@code TRAIN}
     * @param period   when the access may be used
     * @param analysts principal names of the requesting organization who may act; empty for anyone of it
     *                 (never enough for designated data)
     */
    public Agreements.Entry requestAccess(Principal who, String dataset, String purpose, Set<Action> actions,
                                          Constraint.TimeWindow period, Set<String> analysts) {
        Dataset ds = catalog.require(dataset);
        String operation = Action.REQUEST_ACCESS.word();
        decide(who, Action.REQUEST_ACCESS, dataset, facts(who, ds), null, operation);
        try {
            requirePurpose(purpose);
            if (ds.ownerOrganization() == null) {
                throw new MaxException(AgreementError.NO_PROVIDER_ORGANIZATION, Location.dataset(dataset, null), dataset);
            }
            var terms = new Terms(actions == null ? Set.of() : actions, Set.of(purpose), period,
                    requireAnalysts(analysts, who.organization()));
            var filed = agreements.file(ds.id(), ds.name(), ds.ownerOrganization(), who.organization(), who.name(), terms,
                    clock.instant());
            record(AuditEvent.ok(who.name(), operation, dataset, null, "agreement=" + filed.id() + " consumer="
                    + who.organization() + " actions=" + words(terms.actions()) + " purpose=" + purpose + " from="
                    + period.notBefore() + " until=" + period.notAfter() + " analysts=" + terms.analysts().size()));
            return filed;
        } catch (RuntimeException e) {
            record(new AuditEvent(who.name(), operation, dataset, null, "failed", failure(e), null));
            throw e;
        }
    }

    /** The provider organization grants a request as filed; {@code duties} bind every use. */
    public Agreements.Entry approve(Principal who, String id, List<Duty> duties) {
        return move(who, id, Transition.APPROVE, Action.DECIDE_REQUEST, a -> a.approve(duties == null ? List.of() : duties),
                null);
    }

    /**
     * The provider organization grants less than was requested: fewer actions, purposes or analysts, a shorter
     * period ({@code MAX-AGREE-012} otherwise); {@code duties} bind every use.
     */
    public Agreements.Entry narrow(Principal who, String id, Terms granted, List<Duty> duties) {
        return move(who, id, Transition.NARROW, Action.DECIDE_REQUEST, a -> {
            // Naming analysts narrows a request that named none: they must be of the requesting organization too.
            requireAnalysts(granted.analysts(), a.consumer());
            return a.narrow(granted, duties == null ? List.of() : duties);
        }, null);
    }

    /** The provider organization refuses a request, optionally saying why. */
    public Agreements.Entry refuse(Principal who, String id, String reason) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > REASON_LENGTH) {
            throw new MaxException(AgreementError.REASON_TOO_LONG, Location.NOWHERE, why.length(), REASON_LENGTH);
        }
        return move(who, id, Transition.REFUSE, Action.DECIDE_REQUEST, Agreement::refuse, why);
    }

    /** The requesting organization takes its request back before the provider decided. */
    public Agreements.Entry withdraw(Principal who, String id) {
        Agreements.Entry entry = current(id);
        // Whose request it is, is a fact of the request, as whose token it is decides revoking a token.
        if (!entry.agreement().consumer().equals(who.organization())) {
            throw denied(who, Transition.WITHDRAW.word(), entry.agreement().dataset(),
                    new Decision.Deny("withdraw-requesting-organization-only"), null);
        }
        return move(who, id, Transition.WITHDRAW, Action.REQUEST_ACCESS, Agreement::withdraw, null);
    }

    /**
     * Ends an agreement in force (the provider organization or a steward). It takes effect on the next call:
     * every use is decided with the agreements in force at that moment.
     */
    public Agreements.Entry revoke(Principal who, String id) {
        return move(who, id, Transition.REVOKE, Action.REVOKE, Agreement::revoke, null);
    }

    /**
     * The requests and agreements the principal may follow: those of their own organization as consumer, and
     * those for datasets whose usage they may see (the provider organization's providers, stewards and
     * auditors), newest first. Agreements whose period has ended are expired on the way.
     */
    public List<Agreements.Entry> requests(Principal who) {
        java.time.Instant now = clock.instant();
        var mayFollow = new HashMap<Long, Boolean>();
        var out = new ArrayList<Agreements.Entry>();
        for (Agreements.Entry e : agreements.all()) {
            Agreements.Entry entry = e.dueToExpireAt(now) ? expire(e) : e;
            boolean own = entry.agreement().consumer().equals(who.organization());
            if (own || mayFollow.computeIfAbsent(entry.datasetId(), dsId -> seesUsage(who, entry))) out.add(entry);
        }
        record(AuditEvent.ok(who.name(), "requests", null, null, "requests=" + out.size()));
        return out;
    }

    /** One request or agreement the principal may follow, as {@link #requests} lists them; others are unknown to them. */
    public Agreements.Entry accessRequest(Principal who, String id) {
        Agreements.Entry e = current(id);
        if (!e.agreement().consumer().equals(who.organization()) && !seesUsage(who, e)) {
            throw new MaxException(AgreementError.NO_SUCH_REQUEST, Location.NOWHERE, id);
        }
        record(AuditEvent.ok(who.name(), "requests", e.agreement().dataset(), null, "agreement=" + e.id()));
        return e;
    }

    /**
     * Who used a dataset, for what purpose and how often, from the audit chain: per principal, organization,
     * action and purpose, the permitted uses, the refused attempts and the last time (the provider organization,
     * stewards and auditors).
     */
    public List<UsageSummary> usage(Principal who, String dataset) {
        Dataset ds = catalog.require(dataset);
        decide(who, Action.USAGE, dataset, facts(who, ds), null, Action.USAGE.word());
        record UseKey(String principal, String organization, String action, String purpose) {
        }
        var uses = new HashMap<UseKey, long[]>();
        var last = new HashMap<UseKey, java.time.Instant>();
        audit.forEach(ds.name(), r -> {
            boolean use = Action.fromWord(r.action()).filter(Action::usesData).isPresent();
            boolean decided = r.outcome().equals("permit") || r.outcome().equals("denied");
            if (!use || !decided) return;
            UseDetail d = UseDetail.parse(r.detail());
            var key = new UseKey(r.principal(), d.organization(), r.action(), d.purpose());
            uses.computeIfAbsent(key, k -> new long[2])[r.outcome().equals("permit") ? 0 : 1]++;
            last.merge(key, r.at(), (a, b) -> a.isAfter(b) ? a : b);
        });
        var out = new ArrayList<UsageSummary>();
        uses.forEach((k, n) -> out.add(new UsageSummary(k.principal(), k.organization(), k.action(), k.purpose(), n[0], n[1],
                last.get(k))));
        out.sort(java.util.Comparator.comparing(UsageSummary::lastAt).reversed()
                .thenComparing(UsageSummary::principal).thenComparing(UsageSummary::action));
        record(AuditEvent.ok(who.name(), Action.USAGE.word(), dataset, null, "rows=" + out.size()));
        return out;
    }

    /**
     * A ready attribution of {@code kamp/press} (latest version) or {@code kamp/press@2}, in Korean and English,
     * for anyone who may see the catalog entry.
     */
    public Citation citation(Principal who, String ref) {
        var parsed = parseRef(ref);
        Dataset ds = catalog.require(parsed.name());
        decide(who, Action.READ_METADATA, parsed.name(), facts(who, ds), null, "cite");
        DatasetVersion v = catalog.version(ds, parsed.version());
        record(AuditEvent.ok(who.name(), "cite", parsed.name(), v.number(), null));
        return Citation.of(ds, v);
    }

    /**
     * Decides one use of a dataset's rows with the agreements of the principal's organization in force, and
     * discharges the permit's obligations before anything is read. A use under an agreement is counted
     * against it atomically; a decision taken on a count or state another caller changed meanwhile is
     * taken again, so a count limit holds under concurrent calls and a revocation is never overtaken.
     */
    Decision decideUse(Principal who, Action action, Dataset ds, String purpose, String destination) {
        var controls = protections.controls(ds.id());
        Dataset source = controls.releaseOf() == null ? null : catalog.datasetById(controls.releaseOf()).orElse(null);
        DatasetFacts facts = facts(who, ds, source, controls);
        for (int attempt = 1; ; attempt++) {
            java.time.Instant now = clock.instant();
            List<Agreement> inForce = agreementsInForce(who, ds, now);
            if (source != null) inForce.addAll(agreementsInForce(who, source, now));
            Decision d = policy.decide(new AccessRequest(who, action, facts, purpose, inForce, now, jurisdiction, destination));
            if (!(d instanceof Decision.Permit permit)) return d;
            if (outputWouldEscapeReview(permit, action, facts, who)) return new Decision.Deny("review-output-not-yet-held");
            Agreement counted = countedAgreement(permit, inForce);
            if (counted == null) return d;
            Long expected = limitsUses(counted.policy(), action) ? counted.usesOf(action) : null;
            if (agreements.countUse(counted.id(), action, expected, now)) return d;
            if (attempt >= COUNT_ATTEMPTS) {
                throw new MaxException(AgreementError.COUNT_CONTENDED, Location.dataset(ds.name(), null), counted.id());
            }
        }
    }

    /**
     * Only a query's result can be held for review (the safe zone's output area); any other use that the
     * engine permits on condition of review is acted on only for the owner organization, so that no other
     * organization ever receives review-bound output unreviewed.
     */
    private static boolean outputWouldEscapeReview(Decision.Permit permit, Action action, DatasetFacts facts, Principal who) {
        return action != Action.QUERY && permit.obligations().contains(Obligation.REVIEW_OUTPUT)
                && !who.organization().equals(facts.ownerOrganization());
    }

    private static Agreement countedAgreement(Decision.Permit permit, List<Agreement> inForce) {
        for (Obligation o : permit.obligations()) {
            if (o instanceof Obligation.CountUse c) {
                return inForce.stream().filter(a -> a.id().equals(c.agreementId())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the engine counted an agreement it was not given"));
            }
        }
        return null;
    }

    /** Whether a count constraint governs {@code action}: then a use is counted only on the count it was decided on. */
    private static boolean limitsUses(UsagePolicy policy, Action action) {
        var rules = new ArrayList<PolicyRule>(policy.permissions());
        rules.addAll(policy.prohibitions());
        return rules.stream().anyMatch(r -> r.action() == action
                && r.constraints().stream().anyMatch(Constraint.CountAtMost.class::isInstance));
    }

    /** The ACTIVE agreements of the principal's organization for this very dataset; those whose period ended expire. */
    private List<Agreement> agreementsInForce(Principal who, Dataset ds, java.time.Instant now) {
        var out = new ArrayList<Agreement>();
        for (Agreements.Entry e : agreements.active(ds.id(), who.organization())) {
            if (e.dueToExpireAt(now)) {
                expire(e);
            } else {
                out.add(e.agreement());
            }
        }
        return out;
    }

    /** The request as it stands now: an agreement whose period has ended is expired first. */
    private Agreements.Entry current(String id) {
        Agreements.Entry e = agreements.require(id);
        return e.dueToExpireAt(clock.instant()) ? expire(e) : e;
    }

    /** Moves an ACTIVE agreement whose period has ended to EXPIRED, once, on the audit record. */
    private Agreements.Entry expire(Agreements.Entry e) {
        var moved = agreements.move(e, Transition.EXPIRE, e.agreement().expire(), SYSTEM, clock.instant(), null);
        moved.ifPresent(m -> record(AuditEvent.ok(SYSTEM, Transition.EXPIRE.word(), m.agreement().dataset(), null,
                "agreement=" + m.id() + " consumer=" + m.agreement().consumer() + " until=" + m.validUntil())));
        return agreements.require(e.id());
    }

    /**
     * Decides (as {@code action}) and performs one transition of a request, on the audit record under the
     * transition's word. Moved meanwhile by someone else, the state found is reported as an illegal move.
     */
    private Agreements.Entry move(Principal who, String id, Transition t, Action action,
                                  java.util.function.UnaryOperator<Agreement> change, String reason) {
        Agreements.Entry entry = current(id);
        String dataset = entry.agreement().dataset();
        Dataset ds = catalog.dataset(dataset).filter(d -> d.id() == entry.datasetId())
                .orElseThrow(() -> new MaxException(CatalogError.NO_SUCH_DATASET, Location.dataset(dataset, null), dataset));
        decide(who, action, dataset, facts(who, ds), null, t.word());
        try {
            Agreement after = change.apply(entry.agreement());
            Agreements.Entry moved = agreements.move(entry, t, after, who.name(), clock.instant(), reason)
                    .orElseThrow(() -> new MaxException(AgreementError.ILLEGAL_TRANSITION, Location.dataset(dataset, null),
                            t.word(), agreements.require(id).state().word(), t.to().word()));
            record(AuditEvent.ok(who.name(), t.word(), dataset, null, "agreement=" + id + " consumer="
                    + after.consumer() + " state=" + after.state().word() + (t == Transition.APPROVE || t == Transition.NARROW
                    ? " actions=" + words(after.policy().permissions().stream().map(PolicyRule::action).collect(
                            java.util.stream.Collectors.toSet())) + " until=" + moved.validUntil()
                    + " analysts=" + after.analysts().size() + " duties=" + after.policy().duties().size() : "")));
            return moved;
        } catch (RuntimeException e) {
            record(new AuditEvent(who.name(), t.word(), dataset, null, "failed", failure(e), null));
            throw e;
        }
    }

    private boolean seesUsage(Principal who, Agreements.Entry e) {
        return catalog.dataset(e.agreement().dataset()).filter(ds -> ds.id() == e.datasetId())
                .map(ds -> policy.decide(request(who, Action.USAGE, facts(who, ds))) instanceof Decision.Permit)
                .orElse(false);
    }

    static void requirePurpose(String purpose) {
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
            throw new MaxException(AgreementError.BAD_PURPOSE, Location.NOWHERE, purpose);
        }
    }

    /** Named analysts: principal names, each a user of {@code organization} where the library knows the user. */
    private Set<String> requireAnalysts(Set<String> analysts, String organization) {
        if (analysts == null) return Set.of();
        for (String a : analysts) {
            if (a == null || !ANALYST.matcher(a).matches()) throw new MaxException(AgreementError.BAD_ANALYST, Location.NOWHERE, a);
            // A name unknown to the library admits no one of another organization: the engine matches the organization too.
            identities.user(a).filter(u -> !u.organization().equals(organization)).ifPresent(u -> {
                throw new MaxException(AgreementError.ANALYST_OUTSIDE_CONSUMER, Location.NOWHERE, a, u.organization(), organization);
            });
        }
        return Set.copyOf(analysts);
    }

    static String requireJurisdiction(String code) {
        String c = code.strip().toUpperCase(java.util.Locale.ROOT);
        if (!java.util.Set.of(java.util.Locale.getISOCountries()).contains(c)) {
            throw new MaxException(AgreementError.INVALID_JURISDICTION, Location.NOWHERE, code);
        }
        return c;
    }

    private static String words(Set<Action> actions) {
        return java.util.EnumSet.copyOf(actions).stream().map(Action::word).collect(java.util.stream.Collectors.joining(","));
    }

    /** Audit records in order, optionally of one dataset. */
    public void audit(Principal who, String dataset, Consumer<AuditRecord> sink) {
        decide(who, Action.AUDIT, null, null);
        record(AuditEvent.ok(who.name(), "audit-read", dataset, null, null));
        audit.forEach(dataset, sink);
    }

    /** Verifies the whole audit chain and its signed checkpoints. */
    public Verification verifyAudit(Principal who) {
        decide(who, Action.AUDIT, null, null);
        Verification v = audit.verify();
        record(AuditEvent.ok(who.name(), "audit-verify", null, null, v.intact() ? "intact" : "broken at " + v.firstBrokenSeq()));
        return v;
    }

    @Override
    public void close() {
        try {
            streams.close();
            audit.checkpoint();
        } finally {
            queries.close();
            scratch.close();
            catalog.close();
        }
    }

    // ---- internals ----

    /**
     * What a query needs of a version: its dictionary, data key, chunks and zone maps. Versions never
     * change, so this is kept for the recently used ones; a deletion drops its dataset's entries.
     */
    private record OpenVersion(long datasetId, DataDictionary dictionary, DataKey key, List<Chunk> chunks,
                               List<ZoneMap> zoneMaps) {
    }

    private final Map<Long, OpenVersion> openVersions = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, OpenVersion> eldest) {
                    return size() > 32;
                }
            });

    private OpenVersion open(Dataset ds, DatasetVersion v) {
        OpenVersion cached = openVersions.get(v.id());
        if (cached != null) return cached;
        DataKey key = dataKey(ds, v);
        List<ZoneMap> zoneMaps = v.zoneMaps() == null ? null
                : ZoneMap.listFromBytes(key.open(v.zoneMaps(), "zonemaps:" + v.ingestId()));
        var opened = new OpenVersion(ds.id(), DictionaryYaml.fromYaml(v.dictionaryYaml(), ds.name()), key,
                catalog.chunks(v), zoneMaps);
        openVersions.put(v.id(), opened);
        return opened;
    }

    QueryEngine.ResolvedTable resolved(String tableName, Dataset ds, DatasetVersion v) {
        // A stream's living version grows with every flush: never cached here, its chunks are read as they stand.
        if (streams.isStreamVersion(v)) return streams.resolved(tableName, ds, v);
        OpenVersion open = open(ds, v);
        var refs = new ArrayList<QueryEngine.ChunkRef>();
        for (Chunk c : open.chunks()) {
            ZoneMap zm = open.zoneMaps() == null || c.seq() >= open.zoneMaps().size() ? null : open.zoneMaps().get(c.seq());
            String ad = Deposit.chunkContext(v.ingestId(), c.seq());
            refs.add(new QueryEngine.ChunkRef(c.seq(), c.objectHash(), zm, out -> {
                try (InputStream in = open.key().decrypting(store.open(c.objectHash()), ad)) {
                    byte[] buf = new byte[1 << 20];
                    for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
                }
            }));
        }
        return new QueryEngine.ResolvedTable(tableName, open.dictionary(), refs);
    }

    /** A table as the query path resolves it (package-private for tests that read its chunks at a moment they choose). */
    QueryEngine.ResolvedTable resolve(String tableName) {
        var parsed = parseRef(tableName);
        Dataset ds = catalog.require(parsed.name());
        return resolved(tableName, ds, catalog.version(ds, parsed.version()));
    }

    private DataKey dataKey(Dataset ds, DatasetVersion v) {
        if (v.wrappedKey() == null) {
            throw new MaxException(kr.max.library.crypto.CryptoError.KEY_DESTROYED, Location.dataset(ds.name(), v.number()), ds.keyId());
        }
        return DataKey.unwrap(kms, ds.keyId(), v.wrappedKey(), "dek:" + v.ingestId());
    }

    private void decide(Principal who, Action action, String dataset, Dataset ds) {
        decide(who, action, dataset, ds == null ? null : facts(who, ds), null, action.word());
    }

    /** Decides and records the decision under {@code operation}, the library operation the user asked for. */
    void decide(Principal who, Action action, String dataset, DatasetFacts facts, String queryHash,
                        String operation) {
        Decision d = policy.decide(request(who, action, facts));
        switch (d) {
            case Decision.Deny deny -> throw denied(who, operation, dataset, deny, queryHash);
            // The permit is on record before any data is touched; the outcome follows when the action ends.
            case Decision.Permit permit ->
                    record(new AuditEvent(who.name(), operation, dataset, null, "permit", permit.rule(), queryHash));
        }
    }

    /** Records a denial and returns the error the caller sees. */
    MaxException denied(Principal who, String operation, String dataset, Decision.Deny deny, String queryHash) {
        return denied(who, operation, dataset, deny, deny.rule(), queryHash);
    }

    /** Records a denial with {@code detail} (the rule, and more) and returns the error the caller sees. */
    MaxException denied(Principal who, String operation, String dataset, Decision.Deny deny, String detail,
                                String queryHash) {
        record(new AuditEvent(who.name(), operation, dataset, null, "denied", detail, queryHash));
        return new MaxException(PolicyError.DENIED, Location.dataset(dataset, null), operation,
                dataset == null ? "library" : dataset, deny.rule());
    }

    /** What an audit record says of a failure: the stable code, or the exception's kind — never its message. */
    static String failure(RuntimeException e) {
        return e instanceof MaxException me ? me.code().code() : e.getClass().getSimpleName();
    }

    /**
     * What the policy engine needs of a dataset. A dataset deposited before organizations were recorded
     * has none on file: then only its owner's own organization, when the owner acts, counts as the
     * owner's (fail closed for everyone else).
     */
    private static DatasetFacts facts(Principal who, Dataset ds) {
        return facts(who, ds, null, kr.max.library.share.Protections.Controls.NONE);
    }

    /** The facts for a use of rows: with the provider's controls, and the source a release was made from. */
    private static DatasetFacts facts(Principal who, Dataset ds, Dataset releaseOf, kr.max.library.share.Protections.Controls controls) {
        String ownerOrganization = ds.ownerOrganization() != null ? ds.ownerOrganization()
                : who.name().equals(ds.owner()) ? who.organization() : null;
        return new DatasetFacts(ds.name(), ds.owner(), ownerOrganization, ds.classification(), ds.domesticOnly(),
                releaseOf == null ? null : releaseOf.name(), controls.deidRequiredFor());
    }

    /**
     * Columns {@code who} never receives of {@code ds}: the provider's never-leave columns, for anyone
     * outside the owner organization.
     */
    Set<String> hiddenColumns(Principal who, Dataset ds) {
        if (who.organization() != null && who.organization().equals(ds.ownerOrganization())) return Set.of();
        return protections.controls(ds.id()).neverLeave();
    }

    /**
     * A request without purpose or agreements: what needs no agreement. Uses of rows under agreements are
     * decided by {@link #decideUse}; anything else offered none is decided as if none existed (fail closed).
     */
    AccessRequest request(Principal who, Action action, DatasetFacts facts) {
        return new AccessRequest(who, action, facts, null, List.of(), clock.instant(), jurisdiction, null);
    }

    void record(AuditEvent e) {
        audit.append(e);
    }

    /** {@code name} or {@code name@N}. */
    record Ref(String name, Integer version) {
    }

    static Ref parseRef(String ref) {
        Matcher m = VERSIONED.matcher(ref);
        Ref r = m.matches() ? new Ref(m.group(1), Integer.parseInt(m.group(2))) : new Ref(ref, null);
        if (!DatasetName.isValid(r.name())) {
            throw new MaxException(CatalogError.NO_SUCH_DATASET, Location.dataset(ref, null), ref);
        }
        return r;
    }

    private static Ref parseRefForQuery(String tableName) {
        Matcher m = VERSIONED.matcher(tableName);
        Ref r = m.matches() ? new Ref(m.group(1), Integer.parseInt(m.group(2))) : new Ref(tableName, null);
        if (!DatasetName.isValid(r.name())) throw new MaxException(QueryError.UNKNOWN_TABLE, Location.NOWHERE, tableName);
        return r;
    }

}
