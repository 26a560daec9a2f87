package kr.max.library;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import kr.max.core.Classification;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.audit.AuditEvent;
import kr.max.library.catalog.Catalog;
import kr.max.library.catalog.Dataset;
import kr.max.library.catalog.DatasetVersion;
import kr.max.library.crypto.DataKey;
import kr.max.library.crypto.KeyManagementService;
import kr.max.library.model.Model;
import kr.max.library.model.ModelAssetError;
import kr.max.library.model.ModelCatalog;
import kr.max.library.model.ModelLineage;
import kr.max.library.model.ModelName;
import kr.max.library.model.ModelVersion;
import kr.max.library.model.NewModelVersion;
import kr.max.library.model.TrainingData;
import kr.max.library.policy.AccessRequest;
import kr.max.library.policy.Action;
import kr.max.library.policy.DatasetFacts;
import kr.max.library.policy.Decision;
import kr.max.library.policy.Obligation;
import kr.max.library.policy.PolicyEngine;
import kr.max.library.query.QueryEngine;
import kr.max.library.query.ResultSink;
import kr.max.library.query.SqlText;
import kr.max.library.safezone.SafeZoneOutputs;
import kr.max.library.store.ObjectStore;

/**
 * The model registry's side of the library (모델 저장소): models are library assets like datasets — encrypted
 * at rest with a data key per version, versioned, classified, decided by the same policy engine and on the audit
 * record. Get it with {@link Library#models()}.
 *
 * <p>Compute goes to the data: a model job reads rows through {@link #read}, which decides the use of the dataset
 * (as {@code train} for training and evaluation, as {@code query} for prediction) and streams the permitted
 * columns into memory; nothing of the rows is written anywhere. What leaves is decided on the model:
 *
 * <ul>
 * <li>a model's owner is the organization of whoever trained (or imported) it; its classification is the highest
 *     of its training datasets' (a model trained on restricted data is restricted), and it is domestic-only when
 *     any of them is;
 * <li>listing a model and reading its card, metrics and lineage is decided as {@code read-metadata} on the model;
 * <li>using it (scoring, predicting, evaluating) as {@code query} on the model: the model runs inside the library
 *     and only its outputs leave;
 * <li>taking its bytes out ({@link #export}) as {@code export} on the model: a model derived from designated data
 *     leaves only through the safe zone's review (데이터안심구역), like a query's result: the export is held, the
 *     training data's provider or a steward releases it, and the requester's next export writes it, once.
 * </ul>
 * Models have no agreements of their own: outside the owner organization only public models can be used or
 * exported, and internal ones are not even listed. See decision 0012.
 */
public final class Models {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Models.class);

    private final Library library;
    private final ModelCatalog models;
    private final Catalog catalog;
    private final KeyManagementService kms;
    private final ObjectStore store;
    private final QueryEngine queries;
    private final PolicyEngine policy;
    private final SafeZoneOutputs outputs;
    private final java.time.Clock clock;
    private final String jurisdiction;

    Models(Library library, ModelCatalog models, Catalog catalog, KeyManagementService kms, ObjectStore store, QueryEngine queries,
           PolicyEngine policy, SafeZoneOutputs outputs, java.time.Clock clock, String jurisdiction) {
        this.library = library;
        this.models = models;
        this.catalog = catalog;
        this.kms = kms;
        this.store = store;
        this.queries = queries;
        this.policy = policy;
        this.outputs = outputs;
        this.clock = clock;
        this.jurisdiction = jurisdiction;
    }

    // ---- values

    /**
     * What a model job reads of a dataset version: the columns (null: every column the principal may receive) and
     * where the rows go. Timestamps arrive as {@link java.time.OffsetDateTime}.
     */
    public record Reading(List<String> columns, ResultSink sink) {
    }

    /** A dataset version read for a model job: what lineage names, and the dictionary the rows followed. */
    public record DatasetRead(TrainingData data, DataDictionary dictionary) {
    }

    /**
     * A model version to register.
     *
     * @param name           the model; created when new, else the next version of it (the owner organization's only)
     * @param type           the model type that reads {@code bytes}
     * @param bytes          the model's state, encrypted before it is stored
     * @param trainedOn      the dataset versions it learned from, as {@link #read} returned them; empty for an import
     * @param classification null to take its training data's (the highest of theirs; {@code internal} for an
     *                       import); never below that
     * @param description    the model's description; null keeps the current one
     * @param importedFrom   for an import, the file's name and SHA-256; else null
     */
    public record Registration(String name, String type, byte[] bytes, String metricsJson, String cardJson,
                               Map<String, Object> parameters, Long seed, String codeVersion, List<DatasetRead> trainedOn,
                               Classification classification, String description, String importedFrom) {

        public Registration {
            trainedOn = List.copyOf(trainedOn);
        }
    }

    /** A version as listings and cards show it: no key, no object. */
    public record VersionInfo(String model, int number, String type, Classification classification, boolean domesticOnly,
                              Instant createdAt, String createdBy, long bytes, ModelLineage lineage, String metricsJson,
                              String cardJson) {

        /** {@code press-rul@2}. */
        public String ref() {
            return model + "@" + number;
        }
    }

    /** One line of {@link #list}: a model and its latest version. */
    public record ModelSummary(String name, String owner, String ownerOrganization, Classification classification, int versions,
                               String type, Instant updatedAt, String description) {
    }

    /** A model's catalog entry: every version, oldest first. */
    public record ModelEntry(String name, String owner, String ownerOrganization, Classification classification,
                             boolean domesticOnly, String description, Instant createdAt, List<VersionInfo> versions) {
    }

    /** A model version decrypted for use, in memory only. */
    public record OpenedModel(VersionInfo version, byte[] bytes) {
    }

    /** What became of an {@link #export}: the bytes were written, or the export waits in the safe zone for review. */
    public sealed interface ModelExport permits ExportedModel, HeldModel {
    }

    /** What {@link #export} wrote. */
    public record ExportedModel(String model, int version, String type, long bytes) implements ModelExport {
    }

    /**
     * An export of a model of designated data, held in the safe zone's output area for review; nothing was written.
     *
     * @param output         the held output's id ({@code max review list})
     * @param reviewers      the organizations whose providers may review it (the training data's owners); a steward
     *                       may always review it
     * @param alreadyPending the requester had asked before and that request still waits: no second one was held
     */
    public record HeldModel(String output, String model, int version, List<String> reviewers, boolean alreadyPending)
            implements ModelExport {

        public HeldModel {
            reviewers = List.copyOf(reviewers);
        }

        /** {@code press-rul@2}. */
        public String ref() {
            return model + "@" + version;
        }
    }

    // ---- the catalog of models

    /** Models the principal may see, with their latest version. */
    public List<ModelSummary> list(Principal who) {
        var out = new ArrayList<ModelSummary>();
        var latest = models.latest();
        for (Model m : models.models()) {
            if (!(policy.decide(library.request(who, Action.READ_METADATA, facts(m))) instanceof Decision.Permit)) continue;
            var last = latest.get(m.id());
            out.add(new ModelSummary(m.name(), m.owner(), m.ownerOrganization(), m.classification(), last == null ? 0 : last.versions(),
                    last == null ? null : last.version().type(), last == null ? m.createdAt() : last.version().createdAt(),
                    m.description()));
        }
        library.record(AuditEvent.ok(who.name(), "model-list", null, null, "models=" + out.size()));
        return out;
    }

    /** A model's entry: every version with its lineage, metrics and card (decided as {@code read-metadata}). */
    public ModelEntry show(Principal who, String name) {
        ModelName.require(name);
        Model m = models.require(name);
        decide(who, Action.READ_METADATA, m, facts(m), "model-show");
        var versions = models.versions(m).stream().map(v -> info(m, v)).toList();
        library.record(AuditEvent.ok(who.name(), "model-show", audited(m.name()), null, "versions=" + versions.size()));
        return new ModelEntry(m.name(), m.owner(), m.ownerOrganization(), m.classification(), m.domesticOnly(), m.description(),
                m.createdAt(), versions);
    }

    // ---- model jobs: rows in, decided and audited

    /**
     * Reads the rows of a dataset version for a model job, inside the library. The use is decided first, with the
     * purpose under the principal's agreements: {@code train} for training and evaluation (only a model or
     * figures leave), {@code query} for prediction (its output leaves row by row, so data whose queries must be
     * reviewed in the safe zone is refused). Columns that never leave the provider's organization are not offered
     * to other organizations. The rows stream to the sink; nothing is written to disk.
     *
     * @param use    {@link Action#TRAIN} or {@link Action#QUERY}
     * @param job    what the rows are for, one word for the audit record ({@code train}, {@code evaluate}, {@code predict})
     * @param reader given the dictionary of the permitted columns, says which to read and where they go
     */
    public DatasetRead read(Principal who, String datasetRef, Action use, String purpose, String job,
                            Function<DataDictionary, Reading> reader) {
        if (use != Action.TRAIN && use != Action.QUERY) throw new IllegalArgumentException("a model job reads as train or query");
        if (purpose != null) Library.requirePurpose(purpose);
        var parsed = Library.parseRef(datasetRef);
        Dataset ds = catalog.require(parsed.name());
        Decision decision = library.decideUse(who, use, ds, purpose, null);
        if (use == Action.QUERY && decision instanceof Decision.Permit p && p.obligations().contains(Obligation.REVIEW_OUTPUT)) {
            // Predictions are row-level output; the safe zone holds aggregate query results only.
            decision = new Decision.Deny("review-output-not-yet-held");
        }
        String detail = UseDetail.of(decision, who, purpose, null).text() + " job=" + job;
        switch (decision) {
            case Decision.Permit permit -> library.record(new AuditEvent(who.name(), use.word(), parsed.name(), null, "permit", detail, null));
            case Decision.Deny deny -> throw library.denied(who, use.word(), parsed.name(), deny, detail, null);
        }
        DatasetVersion v = null;
        try {
            v = catalog.version(ds, parsed.version());
            String table = parsed.name() + "@" + v.number();
            var resolved = library.resolved(table, ds, v).without(library.hiddenColumns(who, ds));
            Reading r = reader.apply(resolved.dictionary());
            String select = r.columns() == null ? "*"
                    : String.join(", ", r.columns().stream().map(SqlText::identifier).toList());
            var stats = queries.query("SELECT " + select + " FROM " + SqlText.identifier(table), t -> resolved, r.sink());
            library.record(AuditEvent.ok(who.name(), use.word(), parsed.name(), v.number(), "rows=" + stats.rows() + " job=" + job));
            return new DatasetRead(new TrainingData(ds.name(), v.number(), ds.id(), v.id(), v.ingestId(), v.sourceSha256(),
                    stats.rows()), resolved.dictionary());
        } catch (RuntimeException e) {
            library.record(new AuditEvent(who.name(), use.word(), parsed.name(), v == null ? null : v.number(), "failed",
                    Library.failure(e) + " job=" + job, null));
            throw e;
        }
    }

    // ---- registering a version

    /** Registers a trained or imported model version; see {@link #register(Principal, Registration, ModelCatalog.CommitHook)}. */
    public VersionInfo register(Principal who, Registration r) {
        return register(who, r, ModelCatalog.CommitHook.NONE);
    }

    /**
     * Registers a model version: its bytes are encrypted with a fresh data key into a staging area, then one catalog
     * transaction commits the version (and whatever {@code alsoWrite} adds), then the object is published. A crash
     * before the commit leaves no version, and the next start removes the staged object.
     *
     * <p>An import is decided as depositing ({@code ingest}: a provider, and for an existing model its owner
     * organization's provider); a trained version was decided when its data were read, and an existing model takes
     * new versions only from its owner organization.
     */
    public VersionInfo register(Principal who, Registration r, ModelCatalog.CommitHook alsoWrite) {
        ModelName.require(r.name());
        String operation = r.trainedOn().isEmpty() ? "model-import" : "model-register";
        Model existing = models.model(r.name()).orElse(null);
        if (r.trainedOn().isEmpty()) {
            Decision d = policy.decide(library.request(who, Action.INGEST, existing == null ? null : facts(existing)));
            if (d instanceof Decision.Deny deny) throw library.denied(who, operation, audited(r.name()), deny, null);
            library.record(new AuditEvent(who.name(), operation, audited(r.name()), null, "permit", d.rule(), null));
        } else if (existing != null && !existing.ownerOrganization().equals(who.organization())) {
            throw library.denied(who, operation, audited(r.name()), new Decision.Deny("model-owner-organization-only"), null);
        }
        try {
            Classification derived = r.trainedOn().isEmpty() ? Classification.INTERNAL : Classification.PUBLIC;
            boolean domesticOnly = false;
            var versionIds = new ArrayList<Long>();
            for (DatasetRead read : r.trainedOn()) {
                // What the data demand is read from the catalog, not from the caller.
                Dataset ds = catalog.datasetById(read.data().datasetId()).orElseThrow(() -> new MaxException(
                        kr.max.library.catalog.CatalogError.NO_SUCH_DATASET, Location.dataset(read.data().dataset(), null), read.data().dataset()));
                if (ds.classification().compareTo(derived) > 0) derived = ds.classification();
                domesticOnly |= ds.domesticOnly();
                versionIds.add(read.data().versionId());
            }
            Classification classification = r.classification() == null ? derived : r.classification();
            if (!r.trainedOn().isEmpty() && classification.compareTo(derived) < 0) {
                throw new MaxException(ModelAssetError.CLASSIFICATION_BELOW_DATA, Location.dataset(r.name(), null), r.name(),
                        classification.word(), derived.word());
            }
            if (classification == Classification.DESIGNATED && derived != Classification.DESIGNATED) {
                // Declaring a model designated is a designation, as for a dataset: a steward's decision.
                library.decide(who, Action.DESIGNATE, audited(r.name()), new DatasetFacts(audited(r.name()), who.name(),
                        who.organization(), Classification.DESIGNATED, false), null, operation);
            }
            var lineage = new ModelLineage(r.trainedOn().stream().map(DatasetRead::data).toList(), r.parameters(), r.seed(),
                    r.codeVersion(), r.importedFrom());
            ModelVersion v = store(who, r, existing, classification, domesticOnly, lineage, versionIds, alsoWrite);
            Model m = models.require(r.name());
            library.record(AuditEvent.ok(who.name(), operation, audited(r.name()), v.number(), "type=" + r.type() + " bytes="
                    + r.bytes().length + " classification=" + classification.word()
                    + (r.trainedOn().isEmpty() ? "" : " trained-on=" + String.join(",", lineage.data().stream().map(TrainingData::ref).toList()))
                    + (lineage.seed() == null ? "" : " seed=" + lineage.seed())));
            return info(m, v);
        } catch (RuntimeException e) {
            if (!(e instanceof MaxException me && me.code() == kr.max.library.policy.PolicyError.DENIED)) {
                library.record(new AuditEvent(who.name(), operation, audited(r.name()), null, "failed", Library.failure(e), null));
            }
            throw e;
        }
    }

    private ModelVersion store(Principal who, Registration r, Model existing, Classification classification, boolean domesticOnly,
                               ModelLineage lineage, List<Long> versionIds, ModelCatalog.CommitHook alsoWrite) {
        String stagingId = UUID.randomUUID().toString();
        String keyId = existing != null ? existing.keyId() : "model:" + UUID.randomUUID();
        kms.createKey(keyId);
        boolean committed = false;
        try {
            DataKey.Generated dek = DataKey.generate(kms, keyId, dekContext(stagingId));
            ObjectStore.Staging staging = store.stage(stagingId);
            try (staging) {
                // Plaintext only in memory: the bytes are encrypted on their way into the staging area.
                ObjectStore.StoredObject object = staging.write(out -> {
                    try (var encrypted = dek.key().encrypting(out, objectContext(stagingId))) {
                        encrypted.write(r.bytes());
                    }
                });
                ModelVersion v = models.commit(new NewModelVersion(existing == null ? null : existing.id(), r.name(), who.name(),
                        who.organization(), keyId, r.description(), stagingId, r.type(), classification, domesticOnly,
                        clock.instant(), who.name(), lineage.toJson(), r.metricsJson(), r.cardJson(), object.hash(),
                        r.bytes().length, dek.wrapped(), versionIds), alsoWrite);
                committed = true;
                try {
                    staging.publish();
                } catch (MaxException e) {
                    // Committed is committed: reads find the object in staging, and the next start publishes it.
                    LOG.warn("publishing model {} version {} is left to the next start: {}", r.name(), v.number(), e.code().code());
                }
                return v;
            } catch (RuntimeException e) {
                if (!models.isCommitted(stagingId)) staging.discard();
                throw e;
            }
        } catch (RuntimeException e) {
            // A key made for a model that never came to be protects nothing; it must not linger.
            if (existing == null && !committed) kms.destroyKey(keyId);
            throw e;
        }
    }

    // ---- using a model: decided on the model, audited once per use

    /**
     * Decrypts a model version for use inside the library (scoring, predicting, evaluating), decided as
     * {@code query} on the model and recorded once under {@code operation}. The bytes live in memory only.
     *
     * @param modelRef  {@code name} or {@code name@N}
     * @param operation one word for the audit record: {@code model-score}, {@code model-predict}, {@code model-evaluate}
     */
    public OpenedModel open(Principal who, String modelRef, String operation) {
        var ref = ModelName.parse(modelRef);
        Model m = models.require(ref.name());
        ModelVersion v = models.version(m, ref.version());
        decide(who, Action.QUERY, m, facts(m, v), operation, v.number());
        return new OpenedModel(info(m, v), decrypt(m, v));
    }

    /** Exports a model version without a stated purpose; see {@link #export(Principal, String, Path, String, String)}. */
    public ModelExport export(Principal who, String modelRef, Path target, String destinationJurisdiction) {
        return export(who, modelRef, target, destinationJurisdiction, null);
    }

    /**
     * Writes a model version's bytes to a file outside the library, decided as {@code export} on the model: a
     * restricted or internal model leaves only for its owner organization, a domestic-only one not for foreign
     * principals, and none leaves the library's jurisdiction. The file takes its place only when whole.
     *
     * <p>A model of designated data leaves only after review (데이터안심구역): the permit obliges it, so the first
     * export writes nothing and holds an output naming the model version ({@link HeldModel}); the training data's
     * provider or a steward — never the requester — releases or rejects it ({@link Library#review}); the requester's
     * next export to the same jurisdiction then writes the bytes and uses the release up. Each release lets the
     * model out once; a rejected request never does.
     *
     * @param destinationJurisdiction the country the bytes go to (the caller's, for a download); null for a file on
     *                                the library's host
     * @param purpose                 what the model is taken out for, shown to the reviewer; may be null
     */
    public ModelExport export(Principal who, String modelRef, Path target, String destinationJurisdiction, String purpose) {
        if (purpose != null) Library.requirePurpose(purpose);
        var ref = ModelName.parse(modelRef);
        Model m = models.require(ref.name());
        ModelVersion v = models.version(m, ref.version());
        String destination = destinationJurisdiction == null ? jurisdiction : Library.requireJurisdiction(destinationJurisdiction);
        Decision d = policy.decide(new AccessRequest(who, Action.EXPORT, facts(m, v), purpose, List.of(), clock.instant(),
                jurisdiction, destination));
        String detail = UseDetail.of(d, who, purpose, destination).text();
        String release = null;
        switch (d) {
            case Decision.Deny deny -> throw library.denied(who, "model-export", audited(m.name()), deny, detail, null);
            case Decision.Permit permit -> {
                if (permit.obligations().contains(Obligation.REVIEW_OUTPUT)) {
                    release = outputs.takeRelease(who.name(), v.id(), destination).map(SafeZoneOutputs.Output::id).orElse(null);
                    if (release == null) {
                        library.record(new AuditEvent(who.name(), "model-export", audited(m.name()), v.number(), "permit", detail, null));
                        return hold(who, m, v, purpose, destination);
                    }
                    detail += " output=" + release;
                }
                try {
                    library.record(new AuditEvent(who.name(), "model-export", audited(m.name()), v.number(), "permit", detail, null));
                } catch (RuntimeException e) {
                    // A permit that is not on record is not acted on; the release waits for the next export.
                    if (release != null) outputs.restoreRelease(release);
                    throw e;
                }
            }
        }
        Path staged = target.resolveSibling(target.getFileName() + ".staged");
        try {
            Files.write(staged, decrypt(m, v));
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // Nothing left the library: a release taken for this export is given back.
            if (release != null) outputs.restoreRelease(release);
            if (e instanceof RuntimeException re) {
                library.record(new AuditEvent(who.name(), "model-export", audited(m.name()), v.number(), "failed", Library.failure(re), null));
                throw re;
            }
            library.record(new AuditEvent(who.name(), "model-export", audited(m.name()), v.number(), "failed", "io", null));
            throw new MaxException(ModelAssetError.EXPORT_FAILED, Location.file(target.toString()), e, m.name() + "@" + v.number(),
                    target, e.getClass().getSimpleName());
        } finally {
            kr.max.library.store.Scratch.deleteQuietly(staged);
        }
        library.record(AuditEvent.ok(who.name(), "model-export", audited(m.name()), v.number(), "bytes=" + v.bytes() + " to="
                + target.getFileName() + (release == null ? "" : " output=" + release)));
        return new ExportedModel(m.name(), v.number(), v.type(), v.bytes());
    }

    /**
     * Holds an export for review, or points at the requester's earlier request of the same version while it waits.
     * The output names the model version and the datasets it learned from; their owner organizations review it.
     */
    private HeldModel hold(Principal who, Model m, ModelVersion v, String purpose, String destination) {
        var trainedOn = new ArrayList<String>();
        var reviewers = new java.util.TreeSet<String>();
        for (long id : models.trainingDatasets(v.id())) {
            catalog.datasetById(id).ifPresent(ds -> {
                trainedOn.add(ds.name());
                if (ds.ownerOrganization() != null) reviewers.add(ds.ownerOrganization());
            });
        }
        var pending = outputs.pendingModel(who.name(), v.id());
        String id = pending.map(SafeZoneOutputs.Output::id).orElseGet(() -> outputs.holdModel(who.name(), who.organization(),
                trainedOn, v.id(), m.name() + "@" + v.number(), purpose, destination));
        library.record(new AuditEvent(who.name(), "model-export", audited(m.name()), v.number(), "held", "output=" + id
                + (pending.isPresent() ? " pending" : "") + " reviewers=" + (reviewers.isEmpty() ? "steward" : String.join(",", reviewers)),
                null));
        return new HeldModel(id, m.name(), v.number(), List.copyOf(reviewers), pending.isPresent());
    }

    // ---- internals

    /** Audit records name a model as {@code model:NAME}, apart from datasets of the same name. */
    static String audited(String model) {
        return "model:" + model;
    }

    /** The model as the policy engine sees it, at its highest classification (listings, cards). */
    private static DatasetFacts facts(Model m) {
        return DatasetFacts.model(audited(m.name()), m.owner(), m.ownerOrganization(), m.classification(), m.domesticOnly());
    }

    /** One version as the policy engine sees it, at what its own training data demand (use, export). */
    private static DatasetFacts facts(Model m, ModelVersion v) {
        return DatasetFacts.model(audited(m.name()), m.owner(), m.ownerOrganization(), v.classification(), v.domesticOnly());
    }

    private void decide(Principal who, Action action, Model m, DatasetFacts facts, String operation) {
        decide(who, action, m, facts, operation, null);
    }

    private void decide(Principal who, Action action, Model m, DatasetFacts facts, String operation, Integer version) {
        Decision d = policy.decide(library.request(who, action, facts));
        switch (d) {
            case Decision.Deny deny -> throw library.denied(who, operation, audited(m.name()), deny, null);
            case Decision.Permit permit -> library.record(new AuditEvent(who.name(), operation, audited(m.name()), version, "permit",
                    permit.rule() + " organization=" + who.organization(), null));
        }
    }

    private byte[] decrypt(Model m, ModelVersion v) {
        DataKey key = DataKey.unwrap(kms, m.keyId(), v.wrappedKey(), dekContext(v.stagingId()));
        try (InputStream in = key.decrypting(store.open(v.objectHash()), objectContext(v.stagingId()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new MaxException(kr.max.library.crypto.CryptoError.TAMPERED, Location.dataset(m.name(), v.number()), e, m.keyId());
        }
    }

    private static String dekContext(String stagingId) {
        return "model-dek:" + stagingId;
    }

    /** Associated data binding the object to its version, so objects of two versions cannot be swapped. */
    private static String objectContext(String stagingId) {
        return "model:" + stagingId;
    }

    private static VersionInfo info(Model m, ModelVersion v) {
        return new VersionInfo(m.name(), v.number(), v.type(), v.classification(), v.domesticOnly(), v.createdAt(), v.createdBy(),
                v.bytes(), ModelLineage.fromJson(v.lineageJson()), v.metricsJson(), v.cardJson());
    }
}
