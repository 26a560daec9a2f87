package kr.max.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Consumer;
import kr.max.core.Classification;
import kr.max.core.Role;
import kr.max.library.Citation;
import kr.max.library.DatasetSummary;
import kr.max.library.IngestProgress;
import kr.max.library.Library;
import kr.max.library.UsageSummary;
import kr.max.library.VersionSummary;
import kr.max.library.agreement.Constraint;
import kr.max.library.agreement.Duty;
import kr.max.library.audit.AuditRecord;
import kr.max.library.audit.Verification;
import kr.max.library.identity.Identities;
import kr.max.library.ingest.SourceOptions;
import kr.max.library.policy.Action;
import kr.max.library.query.ResultSink;
import kr.max.library.safezone.SafeZoneOutputs;

/**
 * What the commands ask of a library, and nothing more: either the library of a home opened in this
 * process ({@link EmbeddedBackend}, acting as the local operator) or a server's HTTP API ({@link
 * HttpBackend}, acting as the token's principal). Both hand back the same values, so a command prints
 * the same lines whichever it talks to; on both, the library's policy engine decides and its audit
 * chain records.
 *
 * <p>Where the library's own value records are plain data they are used as they are; where they
 * carry more than a client can know (keys, parsed problems, agreement policies), the views below say
 * what the commands print.
 */
sealed interface Backend extends AutoCloseable permits EmbeddedBackend, HttpBackend {

    // ---- data

    Ingested ingest(DepositRequest request, IngestProgress progress);

    List<DatasetSummary> datasets();

    /** Sample rows appear only where the use is permitted, with {@code purpose} (may be null) under agreements. */
    DatasetView show(String dataset, int sampleRows, String purpose);

    DictionaryText dictionary(String ref);

    DatasetInfo describe(String dataset, Library.Description description);

    void delete(String dataset);

    /** Rows go to {@code sink} as they arrive; a result held in the safe zone reaches it not at all. */
    QueryOutcome query(String sql, String purpose, ResultSink sink);

    /** Writes {@code target} whole or not at all; returns the rows exported. */
    Exported export(String ref, Path target, String format, String purpose);

    /** An export as it left: its record's id, and whether the copy carries its recipient's fingerprint. */
    record Exported(long rows, String exportId, boolean fingerprinted) {
    }

    void audit(String dataset, Consumer<AuditRecord> sink);

    Verification verifyAudit();

    // ---- identities

    Identities.Organization createOrganization(String name, String businessNumber, String jurisdiction);

    List<Identities.Organization> organizations();

    Identities.User createUser(String name, String organization, Set<Role> roles);

    List<Identities.User> users(String organization);

    Identities.IssuedToken issueToken(String user, Set<Role> scopes, long days, String label);

    List<Identities.TokenInfo> tokens(String user);

    Identities.TokenInfo revokeToken(String id);

    // ---- the safe zone's output review

    List<SafeZoneOutputs.Output> outputs();

    SafeZoneOutputs.Output review(String id, boolean release, String note);

    void releasedOutput(String id, ResultSink sink);

    // ---- access requests and agreements

    Request requestAccess(String dataset, String purpose, Set<Action> actions, Constraint.TimeWindow period, Set<String> analysts);

    List<Request> requests();

    Request approve(String id, List<Duty> duties);

    Request narrow(String id, Narrowing narrowing, List<Duty> duties);

    Request refuse(String id, String reason);

    Request withdraw(String id);

    Request revoke(String id);

    List<UsageSummary> usage(String dataset);

    /** The de-identified releases made of a dataset. */
    List<kr.max.library.share.Protections.ReleaseRecord> releases(String dataset);

    /** Every export of a dataset: to whom, for what, and whether the copy carries its recipient's fingerprint. */
    List<ExportView> exports(String dataset);

    record ExportView(String id, int version, String recipient, String organization, String purpose, String format, long rows,
                      Instant at, boolean fingerprinted) {
        static ExportView of(kr.max.library.share.Protections.ExportRecord e) {
            return new ExportView(e.id(), e.version(), e.recipient(), e.organization(), e.purpose(), e.format(), e.rows(), e.at(),
                    e.wrappedSecret() != null);
        }
    }

    Citation citation(String ref);

    /** Closes the library, or the HTTP client; never throws a checked exception. */
    @Override
    void close();

    // ---- values

    /**
     * A deposit as the command line gives it. {@code dictionary} is a YAML file on this machine, read by
     * the embedded library; {@code classification} is {@code null} unless given.
     */
    record DepositRequest(Path file, String dataset, SourceOptions source, Path dictionary, boolean skipBadRows,
                          int maxErrors, Classification classification, String timeZone) {
    }

    /**
     * A committed version. {@code encoding} is the charset's Java name; {@code rejected} holds the
     * skipped rows' problems as messages in the user's language.
     */
    record Ingested(String dataset, int version, long rows, int chunks, long bytes, String format, String encoding,
                    long rejectedRows, List<String> rejected) {
    }

    /** A dataset as {@code max show} prints it: {@code rejected} holds messages in the user's language. */
    record DatasetView(DatasetInfo dataset, List<VersionSummary> versions, DictionaryView dictionary, List<String> sampleColumns,
                       List<Object[]> sampleRows, List<String> rejected) {
    }

    /** The catalog's description of a dataset, without what stays inside the library (its key). */
    record DatasetInfo(String name, String classification, String owner, String titleKo, String titleEn, String descriptionKo,
                   String descriptionEn, List<String> tags) {
    }

    /** A data dictionary as words. */
    record DictionaryView(String timeZone, List<Column> columns) {
    }

    record Column(String name, String role, String type, String unit, String sensitivity, String descriptionKo,
                  String descriptionEn) {
    }

    /** A data dictionary as the YAML that {@code max ingest --dictionary} reads, and its number of columns. */
    record DictionaryText(String yaml, int columns) {
    }

    /** What became of a query: its rows went to the sink, or its result waits in the safe zone for review. */
    sealed interface QueryOutcome {
        record Delivered(long rows) implements QueryOutcome {
        }

        record Held(String output, long rows, long heldBackRows, int minContributors) implements QueryOutcome {
        }
    }

    /**
     * An access request or agreement as {@code max requests} lists it: the actions granted (while
     * requested, asked for), the purposes and start asked for, the end of the period in force.
     */
    record Request(String id, String dataset, String provider, String consumer, String state, Set<Action> actions,
                   SortedSet<String> purposes, Instant from, Instant until, SortedSet<String> analysts, Long maxUses,
                   Map<Action, Long> uses, String requestedBy, String decidedBy) {
    }

    /** What a provider grants when narrowing; {@code null} keeps a term as requested. */
    record Narrowing(Set<Action> actions, Set<String> purposes, Instant from, Instant until, Set<String> analysts,
                     Long maxUses, Boolean deidentifiedOnly) {
    }

    // ---- protections (제공자 통제, 비식별 공개본)

    Controls controls(String dataset);

    /** Sets both controls; an empty set clears one. */
    Controls protect(String dataset, Set<Action> deidRequiredFor, Set<String> neverLeave);

    /** A dry run when {@code release} is null. */
    Deidentified deidentify(String dataset, kr.max.library.deid.DeidProfile profile, String release);

    record Controls(String dataset, String releaseOf, List<String> deidRequiredFor, List<String> neverLeave) {
    }

    // ---- stream datasets' edge rules (엣지 반출 규칙, decision 0019)

    /** What of a stream dataset's samples may leave the plant, with the rules' version (0: never set). */
    kr.max.library.stream.EdgeRules edgeRules(String dataset);

    /** Sets them as their next version; the answer is the rules now in force. */
    kr.max.library.stream.EdgeRules setEdgeRules(String dataset, kr.max.library.stream.EdgeRules rules);

    /**
     * Merges the small chunks of a stream dataset's sealed hours now (decision 0020); with the threshold of small
     * chunks an hour needs before it is merged, for the answer when there was nothing to do.
     */
    Compacted compact(String dataset);

    record Compacted(kr.max.library.stream.StreamCompaction done, int minChunks) {
    }

    /** Tests a suspected leaked copy against the fingerprinted exports the caller may see. */
    Traced trace(Path file);

    /** One export a copy was traced to: {@code log10PValue} corrected for the number of exports compared. */
    record TraceMatch(String exportId, String recipient, Instant exportedAt, double confidence, double log10PValue, long bits,
                      long matches) {
        static TraceMatch of(kr.max.library.fingerprint.Evidence e) {
            return new TraceMatch(e.exportId(), e.recipient(), e.exportedAt(), e.confidence(), e.log10CorrectedPValue(), e.bits(),
                    e.matches());
        }
    }

    /** The exports named (empty when none can be), or the reason no one is named; {@code strongest} may be null. */
    record Traced(List<TraceMatch> matches, String reason, int candidates, TraceMatch strongest) {
    }

    record Deidentified(String release, Integer version, String profile, Integer profileVersion,
                        kr.max.library.deid.RiskReport report) {
    }

    // ---- the model registry (모델 저장소)

    /** Models the principal may see, with their latest version. */
    List<kr.max.library.Models.ModelSummary> models();

    /** A model with every version's metrics, card and lineage; {@code name@N} shows that version. */
    kr.max.models.registry.ModelInfo model(String ref);

    /** Trains inside the library and registers the next version; {@code params} are checked by the type. */
    kr.max.models.registry.ModelVersionView train(String type, String dataset, Map<String, Object> params, long seed, String name,
                                                 String purpose);

    kr.max.models.Metrics evaluate(String model, String dataset, String purpose);

    /** Writes the predictions to {@code target} (CSV) whole or not at all. */
    PredictedFile predict(String model, String dataset, String purpose, Path target);

    /** What a batch prediction wrote: its rows and columns. */
    record PredictedFile(long rows, List<String> columns) {
    }

    kr.max.models.registry.ModelVersionView importOnnx(Path file, String name, String description, Classification classification);

    /**
     * Writes a model version's bytes to {@code target} whole or not at all; a model of designated data is held in the
     * safe zone for review instead, and written (once) by the export after a release.
     */
    kr.max.library.Models.ModelExport exportModel(String ref, Path target, String purpose);
}
