package kr.max.library.stream;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import kr.max.core.Classification;
import kr.max.core.DatasetName;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.core.dictionary.Sensitivity;
import kr.max.library.audit.AuditEvent;
import kr.max.library.catalog.Catalog;
import kr.max.library.catalog.CatalogError;
import kr.max.library.catalog.Dataset;
import kr.max.library.catalog.DatasetVersion;
import kr.max.library.catalog.NewVersion;
import kr.max.library.crypto.CryptoError;
import kr.max.library.crypto.DataKey;
import kr.max.library.crypto.KeyManagementService;
import kr.max.library.ingest.DictionaryYaml;
import kr.max.library.ingest.InferenceRules;
import kr.max.library.policy.Action;
import kr.max.library.policy.DatasetFacts;
import kr.max.library.query.QueryEngine;
import kr.max.library.query.ZoneMap;
import kr.max.library.store.ObjectStore;
import kr.max.library.store.Scratch;

/**
 * Stream datasets (스트림 데이터셋): samples from equipment, stored, encrypted, governed and audited like deposited
 * data, in time-partitioned chunks that become visible to queries about a second after they arrive. Get it with
 * {@code Library.streams()}; see decision 0015.
 *
 * <p>A stream dataset has one fixed long schema ({@link #dictionary(String)}: {@code time, asset, tag, value,
 * quality, source, sequence}) and one living version whose chunk set grows with every flush; it is queried, shown,
 * listed, exported and deleted (crypto-shredded) by name like any dataset. Samples reach it through a
 * {@link StreamAppender} per source:
 *
 * <pre>{@code
 * library.streams().create(operator, "gangnam/molding-stream", Classification.INTERNAL);
 * try (StreamAppender a = library.streams().appender(operator, "gangnam/molding-stream", "edge-1")) {
 *     a.append(List.of(new StreamSample(1, Instant.now(), "gangnam/molding/line-1/imm-1", "barrel_temp", 231.5, "GOOD")));
 *     long committedThrough = a.flush();
 * }
 * }</pre>
 *
 * An HTTP endpoint {@code POST /v1/streams/{dataset}/samples} is a thin wrapper: open (or keep) an appender for
 * the body's source, {@code append}, {@code flush}, and answer the mark {@code flush} returns.
 *
 * <p>A flush adds one chunk per hour it touches, so a long-running stream would pile up small chunks; sealed hours
 * are merged by {@link #compact} and, for the streams this process writes, in the background (decision 0020).
 */
public final class Streams implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Streams.class);

    /** How long a sample waits at most before it is committed, unless an appender asks otherwise. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** What a stream version names as its source and format in {@code max show}. */
    public static final String SOURCE_FORMAT = "stream";

    private static final Pattern SOURCE = Pattern.compile("[\\p{L}\\p{N}._:/-]{1,200}");
    private static final long TICK_MILLIS = 20;
    /** Who runs the background compaction on the audit record. */
    private static final String SYSTEM = "system";

    /**
     * What the library lends its streams: its policy decisions and its audit chain. Implemented by the library
     * itself, so that a stream is decided and recorded exactly as a deposit is.
     */
    public interface Governance {

        /** Decides {@code action} and records the decision under {@code operation}; a denial is recorded and thrown. */
        void decide(Principal who, Action action, String dataset, DatasetFacts facts, String operation);

        /**
         * Decides {@code action} again for something already decided and on the record (an open appender): a denial is
         * recorded under {@code operation} and thrown, a permit is not recorded.
         */
        void check(Principal who, Action action, String dataset, DatasetFacts facts, String operation);

        /** The policy's view of an existing dataset as {@code who} acts on it. */
        DatasetFacts facts(Principal who, Dataset ds);

        /** Appends a record to the audit chain. */
        void record(AuditEvent event);

        /**
         * Drops decrypted copies of these objects from the query path's memory cache (chunks a compaction replaced);
         * a query still holding one keeps it until it ends.
         */
        default void forgetPlaintext(java.util.Collection<String> objectHashes) {
        }
    }

    private final Catalog catalog;
    private final java.time.Clock clock;
    private final StreamCatalog streams;
    private final KeyManagementService kms;
    private final ObjectStore store;
    private final Scratch scratch;
    private final Governance governance;
    private final Map<Long, StreamWriter> writers = new HashMap<>();
    private final Map<Long, Boolean> streamVersions = new ConcurrentHashMap<>();
    private final Map<Long, OpenStream> open = new ConcurrentHashMap<>();
    private final Set<StreamAppender> appenders = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService ticker;
    private ScheduledExecutorService compactions;
    private boolean closed;
    /** Set when the library closes: a compaction stops between chunks and commits nothing more. */
    private volatile boolean closing;
    /** One compaction at a time in this process (background or on demand). */
    private final Object compactionLock = new Object();
    private final StreamCompactor compactor;
    private volatile CompactionSettings compaction = CompactionSettings.DEFAULT;
    private long lastBackgroundRun = System.nanoTime();

    /** Made by the library, which owns every part given here. */
    public Streams(Catalog catalog, KeyManagementService kms, ObjectStore store, Scratch scratch, Governance governance) {
        this(catalog, kms, store, scratch, governance, java.time.Clock.systemUTC());
    }

    /**
     * Made by the library, which owns every part given here.
     *
     * @param clock the library's time source: which hours are sealed, and when a replaced chunk's grace period ends
     */
    public Streams(Catalog catalog, KeyManagementService kms, ObjectStore store, Scratch scratch, Governance governance,
                   java.time.Clock clock) {
        this.clock = clock;
        this.catalog = catalog;
        this.streams = new StreamCatalog(catalog.jdbi());
        this.kms = kms;
        this.store = store;
        this.scratch = scratch;
        this.governance = governance;
        this.compactor = new StreamCompactor(streams, store, scratch);
    }

    /**
     * The dictionary of every stream dataset: long format, one row per sample, bound by role — {@code time} is the
     * timestamp, {@code asset} the ISA-95 path of the equipment, {@code value} the measurement (its unit depends on
     * the tag), {@code tag} names the signal; {@code quality}, {@code source} and {@code sequence} describe the sample.
     */
    public static DataDictionary dictionary(String timeZone) {
        return new DataDictionary(List.of(
                new ColumnSpec("time", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP, null, null, Sensitivity.NONE,
                        "측정 시각", "when the value was measured", InferenceRules.ISO_FORMAT),
                new ColumnSpec("asset", ColumnRole.ASSET, ColumnType.STRING, null, null, Sensitivity.NONE,
                        "설비의 ISA-95 경로 (사이트/영역/라인/셀/설비)", "ISA-95 path of the equipment (site/area/line/cell/equipment)", null),
                new ColumnSpec("tag", ColumnRole.ATTRIBUTE, ColumnType.STRING, null, null, Sensitivity.NONE,
                        "신호 이름", "name of the signal at the equipment", null),
                new ColumnSpec("value", ColumnRole.MEASUREMENT, ColumnType.DECIMAL, null, null, Sensitivity.NONE,
                        "측정값 (단위는 태그마다 다름, 센서 고장은 빈 값)", "measured value (unit per tag; a sensor failure is missing)", null),
                new ColumnSpec("quality", ColumnRole.ATTRIBUTE, ColumnType.STRING, null, null, Sensitivity.NONE,
                        "값의 품질 (GOOD, BAD, UNCERTAIN)", "quality of the value as the source reported it (GOOD, BAD, UNCERTAIN)", null),
                new ColumnSpec("source", ColumnRole.ATTRIBUTE, ColumnType.STRING, null, null, Sensitivity.NONE,
                        "샘플을 보낸 소스 (커넥터, 엣지)", "the source that sent the sample (connector, edge forwarder)", null),
                new ColumnSpec("sequence", ColumnRole.ATTRIBUTE, ColumnType.INTEGER, null, null, Sensitivity.NONE,
                        "소스의 시퀀스 번호", "the source's sequence number of the sample", null)),
                timeZone);
    }

    /** Creates a stream dataset whose times are shown in the library's default zone (Asia/Seoul). */
    public void create(Principal who, String dataset, Classification classification) {
        create(who, dataset, classification, DataDictionary.DEFAULT_TIME_ZONE);
    }

    /**
     * Creates a stream dataset: decided as a deposit of a new dataset ({@code ingest}; designating it is a steward's
     * decision, as for a deposit), keyed, catalogued with its empty living version and on the audit record.
     *
     * @param timeZone the IANA zone the plant reads its times in ({@code Asia/Seoul}); stored times are UTC
     */
    public void create(Principal who, String dataset, Classification classification, String timeZone) {
        new DatasetName(dataset);
        java.time.ZoneId.of(timeZone);
        if (catalog.dataset(dataset).isPresent()) {
            throw new MaxException(StreamError.ALREADY_EXISTS, Location.dataset(dataset, null), dataset);
        }
        governance.decide(who, Action.INGEST, dataset, null, "stream-create");
        if (classification == Classification.DESIGNATED) {
            governance.decide(who, Action.DESIGNATE, dataset, new DatasetFacts(dataset, who.name(), who.organization(),
                    Classification.DESIGNATED, false), Action.DESIGNATE.word());
        }
        String keyId = "dataset:" + UUID.randomUUID();
        String ingestId = UUID.randomUUID().toString();
        kms.createKey(keyId);
        try {
            DataKey.Generated dek = DataKey.generate(kms, keyId, "dek:" + ingestId);
            DatasetVersion v = catalog.commit(new NewVersion(null, dataset, who.name(), who.organization(), classification, keyId,
                    ingestId, who.name(), 0, 0, SOURCE_FORMAT, null, SOURCE_FORMAT, null,
                    DictionaryYaml.toYaml(dictionary(timeZone), dataset), 0, null, null, dek.wrapped(), List.of()),
                    (h, committed) -> StreamCatalog.register(h, committed.datasetId(), committed.id(),
                            Catalog.micros(java.time.Instant.now())));
            streamVersions.put(v.id(), true);
            governance.record(AuditEvent.ok(who.name(), "stream-create", dataset, v.number(),
                    "kind=stream classification=" + classification.word()));
        } catch (RuntimeException e) {
            // A key made for a dataset that never came to be protects nothing; it must not linger.
            kms.destroyKey(keyId);
            governance.record(new AuditEvent(who.name(), "stream-create", dataset, null, "failed", failure(e), null));
            throw e;
        }
    }

    /** Opens an appender with the default flush interval; see {@link #appender(Principal, String, String, Duration)}. */
    public StreamAppender appender(Principal who, String dataset, String source) {
        return appender(who, dataset, source, DEFAULT_FLUSH_INTERVAL);
    }

    /**
     * Opens an appender of one source's samples to a stream dataset: decided as a deposit into it ({@code ingest})
     * and on the audit record. Appenders of one dataset in this process share its buffer and flushes.
     *
     * @param source     who sends the samples: a connector or edge forwarder ({@code edge-gangnam-1}); its sequence
     *                   numbers are deduplicated against its own mark
     * @param flushEvery how long a sample waits at most before it is committed (10 ms to 1 h)
     */
    public StreamAppender appender(Principal who, String dataset, String source, Duration flushEvery) {
        if (source == null || !SOURCE.matcher(source).matches()) {
            throw new MaxException(StreamError.BAD_SOURCE, Location.dataset(dataset, null), source);
        }
        if (flushEvery == null || flushEvery.compareTo(Duration.ofMillis(10)) < 0 || flushEvery.compareTo(Duration.ofHours(1)) > 0) {
            throw new MaxException(StreamError.BAD_INTERVAL, Location.dataset(dataset, null), flushEvery);
        }
        Dataset ds = catalog.require(dataset);
        governance.decide(who, Action.INGEST, dataset, governance.facts(who, ds), "stream-open");
        try {
            StreamCatalog.Stream stream = streams.stream(ds.id())
                    .orElseThrow(() -> new MaxException(StreamError.NOT_A_STREAM, Location.dataset(dataset, null), dataset));
            StreamWriter writer;
            synchronized (writers) {
                if (closed) throw new MaxException(StreamError.CLOSED, Location.dataset(dataset, null), source, dataset);
                writer = writers.get(ds.id());
                if (writer == null) {
                    DatasetVersion v = catalog.version(ds, null);
                    if (v.id() != stream.versionId()) {
                        throw new MaxException(StreamError.NOT_A_STREAM, Location.dataset(dataset, null), dataset);
                    }
                    writer = new StreamWriter(streams, store, scratch, dataKey(ds, v), v.ingestId(), dataset, ds.id(), v.id());
                    writers.put(ds.id(), writer);
                }
                writer.retain();
                startTicker();
            }
            long mark;
            try {
                mark = writer.committed(source);
            } catch (RuntimeException e) {
                release(writer);
                throw e;
            }
            governance.record(AuditEvent.ok(who.name(), "stream-open", dataset, 1, "source=" + source + " committed-through=" + mark));
            var appender = new StreamAppender(this, writer, who.name(), source, flushEvery.toNanos());
            appenders.add(appender);
            return appender;
        } catch (RuntimeException e) {
            governance.record(new AuditEvent(who.name(), "stream-open", dataset, null, "failed", failure(e), null));
            throw e;
        }
    }

    /**
     * Decides again whether {@code who} may still deposit through an appender opened earlier (by {@code who}), as a
     * hub keeping an edge's appender open between posts does before each post: a permission withdrawn since the open
     * stops the next append. A denial is recorded ({@code stream-append}) and thrown; a permit is not recorded, the
     * open's permit and the close's counts bracket the appends.
     *
     * @throws MaxException {@code MAX-POLICY-001} when denied; {@code MAX-STREAM-007} when the dataset the appender
     *                      writes to was deleted (a dataset of the same name since is another one)
     */
    public void mayAppend(Principal who, StreamAppender appender) {
        if (!who.name().equals(appender.principal())) {
            throw new IllegalArgumentException("the appender of " + appender.principal() + " is not " + who.name() + "'s");
        }
        String dataset = appender.dataset();
        Dataset ds = catalog.dataset(dataset).orElse(null);
        if (ds == null || ds.id() != appender.datasetId()) {
            throw new MaxException(StreamError.DATASET_GONE, Location.dataset(dataset, null), dataset);
        }
        governance.check(who, Action.INGEST, dataset, governance.facts(who, ds), "stream-append");
    }

    // ---- edge rules (decision 0019)

    /**
     * The edge rules of a stream dataset, for whoever may deposit into it (an edge's token, the owner organization's
     * providers): decided as a deposit and recorded ({@code edge-rules-read}). A stream whose rules were never set has
     * {@linkplain EdgeRules#defaults() the defaults}, version 0.
     *
     * @throws MaxException {@code MAX-STREAM-001} when the dataset is not a stream dataset
     */
    public EdgeRules edgeRules(Principal who, String dataset) {
        Dataset ds = requireStream(dataset);
        governance.decide(who, Action.INGEST, dataset, governance.facts(who, ds), "edge-rules-read");
        return rulesOf(ds);
    }

    /**
     * The edge rules in force, undecided and unrecorded: for the hub's stream endpoint, which checks each post against
     * them after the post itself was decided.
     */
    public EdgeRules edgeRulesInForce(String dataset) {
        return rulesOf(requireStream(dataset));
    }

    /**
     * Sets a stream dataset's edge rules as their next version. Decided as changing the dataset's description and
     * classification are: the owner organization's providers ({@code describe}); letting {@code designated} tags leave
     * the plant, or holding them back again, is a steward's decision ({@code designate}), as designating a dataset is.
     * The change, with the new version and every rule, goes on the audit record ({@code edge-rules}).
     *
     * @param rules the rules to be in force; their version, time and author are ignored
     * @return the rules now in force, with their version
     * @throws MaxException {@code MAX-STREAM-012} when someone else changed them at the same moment
     */
    public EdgeRules setEdgeRules(Principal who, String dataset, EdgeRules rules) {
        Dataset ds = requireStream(dataset);
        EdgeRules current = rulesOf(ds);
        boolean classChanges = rules.maxClass() != current.maxClass();
        boolean designationChanges = classChanges
                && (rules.maxClass() == Classification.DESIGNATED || current.maxClass() == Classification.DESIGNATED);
        boolean otherChanges = !rules.tags().equals(current.tags()) || classChanges && !designationChanges;
        DatasetFacts facts = governance.facts(who, ds);
        if (otherChanges || !designationChanges) governance.decide(who, Action.DESCRIBE, dataset, facts, "edge-rules");
        if (designationChanges) governance.decide(who, Action.DESIGNATE, dataset, facts, "edge-rules");
        if (current.version() > 0 && rules.canonicalJson().equals(current.canonicalJson())) {
            // the same rules again are not a change: no new version for every edge to fetch, but the attempt is on record
            governance.record(AuditEvent.ok(who.name(), "edge-rules", dataset, null, "unchanged version=" + current.version()));
            return current;
        }
        long next = current.version() + 1;
        try {
            if (!streams.storeEdgeRules(ds.id(), current.version(), rules.canonicalJson(),
                    Catalog.micros(java.time.Instant.now()), who.name())) {
                throw new MaxException(StreamError.EDGE_RULES_CONFLICT, Location.dataset(dataset, null), dataset);
            }
        } catch (RuntimeException e) {
            governance.record(new AuditEvent(who.name(), "edge-rules", dataset, null, "failed", failure(e), null));
            throw e;
        }
        EdgeRules now = rulesOf(ds);
        governance.record(AuditEvent.ok(who.name(), "edge-rules", dataset, null,
                now.summary() + " sha256=" + kr.max.library.audit.AuditChain.sha256(now.canonicalJson())));
        if (now.version() != next) LOG.warn("edge rules of {} moved on to version {} right after {}", dataset, now.version(), next);
        return now;
    }

    /** The version of a stream dataset's edge rules in force (0: never set): a number, neither decided nor recorded. */
    public long edgeRulesVersion(String dataset) {
        return streams.edgeRulesVersion(requireStream(dataset).id());
    }

    private Dataset requireStream(String dataset) {
        Dataset ds = catalog.require(dataset);
        streams.stream(ds.id()).orElseThrow(() -> new MaxException(StreamError.NOT_A_STREAM, Location.dataset(dataset, null), dataset));
        return ds;
    }

    private EdgeRules rulesOf(Dataset ds) {
        return streams.edgeRules(ds.id()).map(r -> {
            EdgeRules parsed = EdgeRules.fromJson(r.json());
            return parsed.asVersion(r.version(), Catalog.instant(r.changedAt()), r.changedBy());
        }).orElseGet(EdgeRules::defaults);
    }

    /**
     * Records what an operator did to the equipment a stream dataset comes from — an alarm acknowledged, shelved,
     * suppressed — on the audit chain beside the data's own records, so the next shift and an auditor read one trail.
     *
     * @param who    the operator's principal name, as the command carried it
     * @param action a lower-case word with dashes, such as {@code alarm-acknowledged}
     * @param detail what it was done to and why (the alarm id, the note); no measured values
     * @throws MaxException {@code MAX-STREAM-001} when {@code dataset} is not a stream dataset
     */
    public void recordOperation(String who, String dataset, String action, String detail) {
        if (!isStream(dataset)) throw new MaxException(StreamError.NOT_A_STREAM, Location.dataset(dataset, null), dataset);
        if (action == null || !action.matches("[a-z][a-z-]{0,39}")) throw new IllegalArgumentException("action " + action);
        governance.record(AuditEvent.ok(who, action, dataset, null, detail));
    }

    /**
     * The highest sequence of {@code source} committed to a stream dataset, or -1 when none is: everything up to it
     * is durable, so a forwarder resuming after a crash sends from the next one on (anything older it sends again
     * is dropped). A number, not data: it is neither decided nor recorded.
     */
    public long highWaterMark(String dataset, String source) {
        Dataset ds = catalog.require(dataset);
        streams.stream(ds.id()).orElseThrow(() -> new MaxException(StreamError.NOT_A_STREAM, Location.dataset(dataset, null), dataset));
        return streams.mark(ds.id(), source);
    }

    /** How compaction runs now; {@link CompactionSettings#DEFAULT} unless configured. */
    public CompactionSettings compactionSettings() {
        return compaction;
    }

    /** Changes how compaction runs from now on (the library's operator; benchmarks and tests). */
    public void configureCompaction(CompactionSettings settings) {
        compaction = java.util.Objects.requireNonNull(settings);
    }

    /**
     * Compacts a stream dataset now: every sealed hour partition with many small chunks is merged into a few large
     * ones (see {@link CompactionSettings}), so that a query over a long-running stream opens hundreds of chunks
     * instead of hundreds of thousands. The rows stay exactly the same, and so do the sources' marks. Decided as a
     * write into the dataset ({@code ingest}, as opening an appender is) and recorded as {@code stream-compact} with
     * its counts. Streams this process writes are also compacted in the background, a few partitions at a time.
     *
     * @return what was merged (zero partitions when nothing was worth it)
     * @throws MaxException {@code MAX-STREAM-001} when {@code dataset} is not a stream dataset
     */
    public StreamCompaction compact(Principal who, String dataset) {
        Dataset ds = catalog.require(dataset);
        governance.decide(who, Action.INGEST, dataset, governance.facts(who, ds), "stream-compact");
        try {
            StreamCatalog.Stream stream = streams.stream(ds.id())
                    .orElseThrow(() -> new MaxException(StreamError.NOT_A_STREAM, Location.dataset(dataset, null), dataset));
            DatasetVersion v = catalog.version(ds, null);
            if (v.id() != stream.versionId()) throw new MaxException(StreamError.NOT_A_STREAM, Location.dataset(dataset, null), dataset);
            var target = new StreamCompactor.Target(dataset, ds.id(), v.id(), v.ingestId(), dataKey(ds, v));
            StreamCompaction done = compactNow(target, Integer.MAX_VALUE);
            sweepRetired();
            governance.record(AuditEvent.ok(who.name(), "stream-compact", dataset, v.number(), done.detail()));
            return done;
        } catch (RuntimeException e) {
            governance.record(new AuditEvent(who.name(), "stream-compact", dataset, null, "failed", failure(e), null));
            throw e;
        }
    }

    /** Whether a dataset is a stream dataset. */
    public boolean isStream(String dataset) {
        return catalog.dataset(dataset).flatMap(ds -> streams.stream(ds.id())).isPresent();
    }

    // ---- for the library: its deposit, query, recovery and deletion paths meet streams here ----

    /** For the library's deposit path: a file deposit into a stream dataset is refused. */
    public void refuseDeposit(Dataset existing) {
        if (existing != null && streams.stream(existing.id()).isPresent()) {
            throw new MaxException(StreamError.DEPOSIT_INTO_STREAM, Location.dataset(existing.name(), null), existing.name());
        }
    }

    /** For the library's recovery: whether a staging area belongs to a committed flush. */
    public boolean isCommitted(String stagingId) {
        return streams.isCommitted(stagingId);
    }

    /**
     * For the library's recovery: objects of chunks a compaction replaced that are still in their grace period, which
     * must count as referenced. Those whose grace period has ended are deleted here first.
     */
    public Set<String> retainedObjects() {
        sweepRetired();
        return streams.retainedObjects(Catalog.micros(clock.instant()));
    }

    /** For the library's query path: whether a version is a stream's living version (whose chunks grow). */
    public boolean isStreamVersion(DatasetVersion v) {
        // A version is born a stream's or not and never changes: the answer is kept.
        return streamVersions.computeIfAbsent(v.id(), streams::isStreamVersion);
    }

    /** For the library's query path: a stream version as it stands now, every committed chunk with its zone map. */
    public QueryEngine.ResolvedTable resolved(String tableName, Dataset ds, DatasetVersion v) {
        if (v.wrappedKey() == null) {
            open.remove(v.id());
            throw new MaxException(CryptoError.KEY_DESTROYED, Location.dataset(ds.name(), v.number()), ds.keyId());
        }
        OpenStream os = open.computeIfAbsent(v.id(), id -> new OpenStream(DictionaryYaml.fromYaml(v.dictionaryYaml(), ds.name()),
                dataKey(ds, v)));
        List<StreamCatalog.ChunkRow> rows = streams.chunks(v.id());
        Map<Integer, ZoneMap> zoneMaps = os.zoneMaps(streams, rows, v);
        var refs = new ArrayList<QueryEngine.ChunkRef>(rows.size());
        for (StreamCatalog.ChunkRow c : rows) {
            String ad = StreamWriter.chunkContext(v.ingestId(), c.flushId(), c.part());
            refs.add(new QueryEngine.ChunkRef(c.seq(), c.objectHash(), zoneMaps.get(c.seq()), out -> {
                InputStream stored;
                try {
                    stored = store.open(c.objectHash());
                } catch (MaxException e) {
                    // Listed before a compaction replaced it, read after its grace period: the query must be run again.
                    if (e.code() == kr.max.library.store.StoreError.MISSING_OBJECT && !streams.isRegistered(v.id(), c.seq())) {
                        throw new MaxException(StreamError.COMPACTED, Location.dataset(ds.name(), v.number()), ds.name());
                    }
                    throw e;
                }
                try (InputStream in = os.key.decrypting(stored, ad)) {
                    in.transferTo(out);
                }
            }));
        }
        return new QueryEngine.ResolvedTable(tableName, os.dictionary, refs);
    }

    /** For the library's deletion: the dataset is gone; its writer stops and its key leaves memory. */
    public void deleted(Dataset ds) {
        StreamWriter w;
        synchronized (writers) {
            w = writers.remove(ds.id());
        }
        if (w != null) {
            open.remove(w.versionId);
            w.abandon();
        }
        var versions = catalog.versions(ds).stream().map(DatasetVersion::id).collect(java.util.stream.Collectors.toSet());
        open.keySet().removeAll(versions);
        // Chunks a compaction replaced are no longer the dataset's chunks, and the shredding would miss them.
        deleteRetired(streams.retiredOf(ds.id()));
    }

    /** Commits what every open appender holds and stops the flush thread; called when the library closes. */
    @Override
    public void close() {
        // Each open appender closes as its owner would have: committed, released, and on the audit record.
        for (StreamAppender a : List.copyOf(appenders)) {
            try {
                a.close();
            } catch (RuntimeException e) {
                LOG.warn("stream {} closed with samples not committed: {}", a.dataset(), failure(e));
            }
        }
        closing = true;
        ScheduledExecutorService background;
        synchronized (writers) {
            background = compactions;
        }
        if (background != null) {
            // A running compaction stops at its next chunk and discards what it staged.
            background.shutdown();
            try {
                if (!background.awaitTermination(60, TimeUnit.SECONDS)) LOG.warn("a stream compaction was still running at close");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (compactionLock) {
            compactor.close();
        }
        List<StreamWriter> all;
        synchronized (writers) {
            closed = true;
            all = new ArrayList<>(writers.values());
            writers.clear();
            if (ticker != null) ticker.shutdownNow();
        }
        for (StreamWriter w : all) {
            try {
                w.close();
            } catch (RuntimeException e) {
                LOG.warn("stream {} closed with samples not committed: {}", w.dataset, failure(e));
            }
        }
    }

    // ---- internals ----

    /** An appender closes: what it appended is committed, and the close is on the audit record with its counts. */
    void closed(StreamAppender a, StreamWriter writer, String principal) {
        appenders.remove(a);
        RuntimeException failure = null;
        try {
            writer.flush();
        } catch (RuntimeException e) {
            failure = e;
        }
        release(writer);
        StreamAppender.Counts n = a.counts();
        String detail = "source=" + a.source() + " appended=" + n.appended() + " duplicates=" + n.duplicates()
                + " committed=" + n.committed() + " chunks=" + n.chunks();
        if (failure == null) {
            governance.record(AuditEvent.ok(principal, "stream-close", a.dataset(), 1, detail));
            return;
        }
        governance.record(new AuditEvent(principal, "stream-close", a.dataset(), 1, "failed", failure(failure) + " " + detail, null));
        throw failure;
    }

    private void release(StreamWriter writer) {
        boolean last;
        synchronized (writers) {
            last = writer.release();
            if (last) writers.remove(writer.datasetId, writer);
        }
        if (last) {
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.warn("stream {} closed with samples not committed: {}", writer.dataset, failure(e));
            }
        }
    }

    private void startTicker() {
        if (ticker != null) return;
        ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("max-stream-flush").factory());
        ticker.scheduleWithFixedDelay(() -> {
            List<StreamWriter> now;
            synchronized (writers) {
                now = new ArrayList<>(writers.values());
            }
            long t = System.nanoTime();
            for (StreamWriter w : now) w.flushIfDue(t);
        }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        // Compaction has a thread of its own, at low priority: a long merge never delays a flush.
        compactions = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY).name("max-stream-compact").factory());
        compactions.scheduleWithFixedDelay(this::compactInBackground, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * The background compaction: every {@link CompactionSettings#every()}, up to
     * {@link CompactionSettings#partitionsPerRun()} partitions of the streams this process writes. It runs under the
     * authority of their open appenders, as their flushes do, and is recorded as {@code stream-compact} by
     * {@code system} when it merged anything; a failure is logged and tried again at the next run.
     */
    private void compactInBackground() {
        CompactionSettings s = compaction;
        long now = System.nanoTime();
        if (closing || s.every().isZero() || now - lastBackgroundRun < s.every().toNanos()) return;
        lastBackgroundRun = now;
        try {
            sweepRetired();
        } catch (RuntimeException e) {
            LOG.warn("deleting retired stream chunks failed, retrying later: {}", failure(e));
        }
        List<StreamWriter> streaming;
        synchronized (writers) {
            streaming = new ArrayList<>(writers.values());
        }
        int budget = s.partitionsPerRun();
        for (StreamWriter w : streaming) {
            if (budget <= 0 || closing) break;
            try {
                StreamCompaction done = compactNow(new StreamCompactor.Target(w.dataset, w.datasetId, w.versionId, w.ingestId(), w.key()), budget);
                budget -= done.partitions();
                if (done.partitions() > 0) governance.record(AuditEvent.ok(SYSTEM, "stream-compact", w.dataset, null, done.detail()));
            } catch (RuntimeException e) {
                if (closing) return;
                LOG.warn("background compaction of stream {} failed, retrying later: {}", w.dataset, failure(e));
            }
        }
    }

    /** Compacts up to {@code maxPartitions} partitions of one stream version; one compaction at a time per process. */
    private StreamCompaction compactNow(StreamCompactor.Target t, int maxPartitions) {
        synchronized (compactionLock) {
            CompactionSettings s = compaction;
            StreamWriter writer;
            synchronized (writers) {
                writer = writers.get(t.datasetId());
            }
            Set<Long> pending = writer == null ? Set.of() : writer.pendingHours();
            long now = Catalog.micros(clock.instant());
            var total = new StreamCompaction(t.dataset(), 0, 0, 0, 0, 0, 0);
            for (StreamCompactor.Plan plan : StreamCompactor.plan(streams.chunks(t.versionId()), s, now, pending)) {
                if (total.partitions() >= maxPartitions || closing) break;
                StreamCompaction one = compactor.compact(t, plan, s, () -> closing, Catalog.micros(clock.instant()));
                if (one == null) continue;
                total = total.plus(one);
                var replaced = new ArrayList<String>();
                for (var g : plan.groups()) for (StreamCatalog.ChunkRow c : g) replaced.add(c.objectHash());
                governance.forgetPlaintext(replaced);
            }
            if (total.partitions() > 0) LOG.debug("compacted stream {}: {}", t.dataset(), total.detail());
            return total;
        }
    }

    /** Deletes the objects of replaced chunks whose grace period has ended (or whose dataset is gone). */
    private void sweepRetired() {
        deleteRetired(streams.dueRetired(Catalog.micros(clock.instant())));
    }

    private void deleteRetired(List<StreamCatalog.Retired> retired) {
        if (retired.isEmpty()) return;
        governance.forgetPlaintext(retired.stream().map(StreamCatalog.Retired::objectHash).toList());
        for (StreamCatalog.Retired r : retired) {
            // The object first: a row left behind by a crash here only names an object that is gone already.
            store.delete(r.objectHash());
            streams.forgetRetired(r);
        }
    }

    private DataKey dataKey(Dataset ds, DatasetVersion v) {
        if (v.wrappedKey() == null) {
            throw new MaxException(CryptoError.KEY_DESTROYED, Location.dataset(ds.name(), v.number()), ds.keyId());
        }
        return DataKey.unwrap(kms, ds.keyId(), v.wrappedKey(), "dek:" + v.ingestId());
    }

    private static String failure(RuntimeException e) {
        return e instanceof MaxException me ? me.code().code() : e.getClass().getSimpleName();
    }

    /** What reading a stream version needs that does not change: its dictionary, its key, its chunks' zone maps. */
    private static final class OpenStream {
        final DataDictionary dictionary;
        final DataKey key;
        private final Map<Integer, ZoneMap> zoneMaps = new ConcurrentHashMap<>();
        private int known = -1;

        OpenStream(DataDictionary dictionary, DataKey key) {
            this.dictionary = dictionary;
            this.key = key;
        }

        /** Zone maps of the listed chunks; chunks are numbered upward, so only those above the last known are fetched. */
        synchronized Map<Integer, ZoneMap> zoneMaps(StreamCatalog streams, List<StreamCatalog.ChunkRow> rows, DatasetVersion v) {
            int newest = rows.isEmpty() ? -1 : rows.get(rows.size() - 1).seq();
            if (newest > known) {
                Map<Integer, byte[]> sealed = streams.zoneMaps(v.id(), known);
                for (StreamCatalog.ChunkRow c : rows) {
                    byte[] s = sealed.get(c.seq());
                    if (s == null) continue;
                    zoneMaps.put(c.seq(), ZoneMap.listFromBytes(key.open(s,
                            StreamWriter.zoneMapContext(v.ingestId(), c.flushId(), c.part()))).get(0));
                }
                known = newest;
            }
            if (zoneMaps.size() > rows.size()) {
                var live = new java.util.HashSet<Integer>();
                for (StreamCatalog.ChunkRow c : rows) live.add(c.seq());
                zoneMaps.keySet().retainAll(live);
            }
            return zoneMaps;
        }
    }
}
