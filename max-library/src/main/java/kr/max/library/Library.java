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

    /** Korea's national library: residency rules measure "domestic" against this. */
    private static final String JURISDICTION = "KR";

    private final Catalog catalog;
    private final KeyManagementService kms;
    private final ObjectStore store;
    private final Scratch scratch;
    private final AuditChain audit;
    private final PolicyEngine policy;
    private final QueryEngine queries;
    private final Deposit deposit;
    private final Identities identities;
    private final SafeZoneOutputs outputs;
    private final java.time.Clock clock;

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
        this.outputs = new SafeZoneOutputs(catalog.jdbi(), kms, config.clock());
        this.clock = config.clock();
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
        var auditKeys = AuditKeys.open(kms, home.resolve("keys").resolve("audit-signing.tink"));
        LOG.debug("audit keys at {} ms", (System.nanoTime() - t0) / 1_000_000);
        String url = config.catalogUrl() != null ? config.catalogUrl()
                : "jdbc:h2:file:" + home.resolve("catalog").resolve("catalog").toAbsolutePath() + ";AUTO_SERVER=TRUE";
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
        store.recover(catalog::isCommitted);
        for (Dataset ds : catalog.pendingShred()) shred(ds);
        // List the objects before asking which are referenced: an object is published only after its
        // version commits, so one listed here and committed by another process meanwhile is referenced.
        Set<String> present = store.list();
        Set<String> referenced = catalog.referencedObjects();
        for (String hash : present) {
            if (!referenced.contains(hash)) store.delete(hash);
        }
    }

    /** Deposits a file as the next version of a dataset. */
    public IngestResult ingest(Principal who, IngestRequest request) {
        return ingest(who, request, IngestProgress.NONE);
    }

    /** Deposits a file as the next version of a dataset, reporting progress as it goes. */
    public IngestResult ingest(Principal who, IngestRequest request, IngestProgress progress) {
        new DatasetName(request.dataset());
        Dataset existing = catalog.dataset(request.dataset()).orElse(null);
        decide(who, Action.INGEST, request.dataset(), existing);
        if (existing == null && request.classification() == Classification.DESIGNATED) {
            // Depositing a new dataset as designated designates it: a steward's decision, like any designation.
            decide(who, Action.DESIGNATE, request.dataset(), new DatasetFacts(request.dataset(), who.name(),
                    who.organization(), Classification.DESIGNATED, false), null, Action.DESIGNATE.word());
        }
        try {
            IngestResult result = deposit.run(who, request, progress, existing);
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
        for (Dataset ds : catalog.datasets()) {
            if (!(policy.decide(request(who, Action.READ_METADATA, facts(who, ds))) instanceof Decision.Permit)) continue;
            List<DatasetVersion> versions = catalog.versions(ds);
            DatasetVersion last = versions.isEmpty() ? null : versions.getLast();
            out.add(new DatasetSummary(ds.name(), ds.classification(), ds.owner(), versions.size(),
                    last == null ? 0 : last.rows(), last == null ? 0 : last.bytes(),
                    last == null ? ds.createdAt() : last.createdAt()));
        }
        record(AuditEvent.ok(who.name(), "list", null, null, "datasets=" + out.size()));
        return out;
    }

    /** Versions, dictionary, sample rows and rejected rows of a dataset. */
    public DatasetDetails show(Principal who, String name, int sampleRows) {
        Dataset ds = catalog.require(name);
        decide(who, Action.QUERY, name, ds);
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
        if (latest != null && sampleRows > 0) {
            queries.query("SELECT * FROM " + SqlText.identifier(name + "@" + latest.number()) + " LIMIT " + sampleRows, this::resolve,
                    new ResultSink() {
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
        if (latest != null && latest.rejectedDetail() != null) {
            DataKey key = dataKey(ds, latest);
            rejected = RejectedRows.fromBytes(key.open(latest.rejectedDetail(), "rejected:" + latest.ingestId()));
        }
        record(AuditEvent.ok(who.name(), "show", name, latest == null ? null : latest.number(), "sample=" + rows.size()));
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
                switch (policy.decide(request(who, Action.QUERY, facts(who, ds)))) {
                    case Decision.Permit permit -> {
                        permits.add(new AuditEvent(who.name(), Action.QUERY.word(), parsed.name(), null, "permit", permit.rule(), queryHash));
                        review |= permit.obligations().stream().anyMatch(o -> o instanceof kr.max.library.policy.Obligation.ReviewOutput);
                    }
                    case Decision.Deny deny -> {
                        permits.await();
                        throw denied(who, Action.QUERY.word(), parsed.name(), deny, queryHash);
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
                return resolved(tableName, ds, v);
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

    /** A result row of a safe-zone query stands on at least this many stored rows, or is held back. */
    public static final int SAFE_ZONE_MIN_CONTRIBUTORS = 5;

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
        }, SAFE_ZONE_MIN_CONTRIBUTORS);
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
     * Held results the principal may see: their own, and those over datasets they may review (the
     * provider's organization or a steward).
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
        for (String name : o.datasets()) {
            Dataset ds = catalog.dataset(name).orElse(null);
            if (ds == null || !(policy.decide(request(who, Action.REVIEW, facts(who, ds))) instanceof Decision.Permit)) return false;
        }
        return true;
    }

    /**
     * Releases ({@code release}) or rejects a held result. The reviewer must be allowed to review every
     * dataset it draws on, and is never its analyst.
     */
    public SafeZoneOutputs.Output review(Principal who, String id, boolean release, String note) {
        var o = outputs.require(id);
        String operation = release ? "review-release" : "review-reject";
        if (o.analyst().equals(who.name())) {
            throw denied(who, operation, String.join(",", o.datasets()), new Decision.Deny("review-not-own-output"), null);
        }
        for (String name : o.datasets()) {
            Dataset ds = catalog.require(name);
            decide(who, Action.REVIEW, name, facts(who, ds), null, operation);
        }
        var reviewed = outputs.review(id, who.name(), release, note);
        record(AuditEvent.ok(who.name(), operation, String.join(",", o.datasets()), null, "output=" + id));
        return reviewed;
    }

    /** Streams a released result to its analyst. */
    public QueryEngine.QueryStats releasedOutput(Principal who, String id, ResultSink sink) {
        var o = outputs.require(id);
        String datasets = String.join(",", o.datasets());
        if (!o.analyst().equals(who.name())) {
            throw denied(who, "output-read", datasets, new Decision.Deny("output-analyst-only"), null);
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

    /** Writes a dataset version to a Parquet or CSV file outside the library. */
    public QueryEngine.QueryStats export(Principal who, String ref, Path target, String format) {
        var parsed = parseRef(ref);
        Dataset ds = catalog.require(parsed.name());
        decide(who, Action.EXPORT, parsed.name(), ds);
        DatasetVersion v = catalog.version(ds, parsed.version());
        String table = parsed.name() + "@" + v.number();
        try {
            var stats = queries.export(table, name -> resolved(name, ds, v), target, format);
            record(AuditEvent.ok(who.name(), "export", parsed.name(), v.number(),
                    "rows=" + stats.rows() + " format=" + format + " to=" + target.getFileName()));
            return stats;
        } catch (RuntimeException e) {
            record(new AuditEvent(who.name(), "export", parsed.name(), v.number(), "failed", failure(e), null));
            throw e;
        }
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

    private QueryEngine.ResolvedTable resolved(String tableName, Dataset ds, DatasetVersion v) {
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

    private QueryEngine.ResolvedTable resolve(String tableName) {
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
    private void decide(Principal who, Action action, String dataset, DatasetFacts facts, String queryHash,
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
    private MaxException denied(Principal who, String operation, String dataset, Decision.Deny deny, String queryHash) {
        record(new AuditEvent(who.name(), operation, dataset, null, "denied", deny.rule(), queryHash));
        return new MaxException(PolicyError.DENIED, Location.dataset(dataset, null), operation,
                dataset == null ? "library" : dataset, deny.rule());
    }

    /** What an audit record says of a failure: the stable code, or the exception's kind — never its message. */
    private static String failure(RuntimeException e) {
        return e instanceof MaxException me ? me.code().code() : e.getClass().getSimpleName();
    }

    /**
     * What the policy engine needs of a dataset. A dataset deposited before organizations were recorded
     * has none on file: then only its owner's own organization, when the owner acts, counts as the
     * owner's (fail closed for everyone else).
     */
    private static DatasetFacts facts(Principal who, Dataset ds) {
        String ownerOrganization = ds.ownerOrganization() != null ? ds.ownerOrganization()
                : who.name().equals(ds.owner()) ? who.organization() : null;
        return new DatasetFacts(ds.name(), ds.owner(), ownerOrganization, ds.classification(), ds.domesticOnly());
    }

    /** Agreements are not stored yet, so none is offered; paths inside the library export to its own jurisdiction. */
    private AccessRequest request(Principal who, Action action, DatasetFacts facts) {
        return new AccessRequest(who, action, facts, null, List.of(), clock.instant(), JURISDICTION, null);
    }

    private void record(AuditEvent e) {
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
