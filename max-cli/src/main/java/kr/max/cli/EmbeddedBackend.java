package kr.max.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.DataDictionary;
import kr.max.library.Citation;
import kr.max.library.DatasetDetails;
import kr.max.library.DatasetSummary;
import kr.max.library.IngestProgress;
import kr.max.library.IngestRequest;
import kr.max.library.IngestResult;
import kr.max.library.Library;
import kr.max.library.UsageSummary;
import kr.max.library.agreement.Agreements;
import kr.max.library.agreement.Constraint;
import kr.max.library.agreement.Duty;
import kr.max.library.agreement.PolicyRule;
import kr.max.library.agreement.Terms;
import kr.max.library.audit.AuditRecord;
import kr.max.library.audit.Verification;
import kr.max.library.identity.Identities;
import kr.max.library.ingest.DictionaryYaml;
import kr.max.library.ingest.IngestError;
import kr.max.library.policy.Action;
import kr.max.library.query.ResultSink;
import kr.max.library.safezone.SafeZoneOutputs;

/**
 * The library of a home, opened in this process, acting as the local operator: what every command did
 * before servers existed, unchanged.
 */
final class EmbeddedBackend implements Backend {

    private final Library library;
    private final Principal who = Principal.localOperator();
    private final Locale locale;

    EmbeddedBackend(Library library, Locale locale) {
        this.library = library;
        this.locale = locale;
    }

    @Override
    public Ingested ingest(DepositRequest d, IngestProgress progress) {
        return ingest(d, null, progress);
    }

    /**
     * Starts reading and converting a deposit's file before the library opens ({@link Library#prepare}); {@code null} when the
     * request itself is faulty, which the deposit then reports as usual.
     */
    static kr.max.library.PreparedIngest prepare(DepositRequest d, kr.max.library.LibraryConfig config) {
        try {
            return Library.prepare(request(d), config);
        } catch (MaxException e) {
            return null;
        }
    }

    /** A deposit whose reading began with {@link #prepare}, or from the start when {@code ahead} is null. */
    Ingested ingest(DepositRequest d, kr.max.library.PreparedIngest ahead, IngestProgress progress) {
        IngestResult r = ahead != null ? library.ingest(who, ahead, progress) : library.ingest(who, request(d), progress);
        String fileName = d.file().getFileName().toString();
        var rejected = r.rejected().stream().map(p -> p.toException(fileName).message(locale)).toList();
        return new Ingested(r.dataset(), r.version(), r.rows(), r.chunks(), r.bytes(), r.source().format(),
                r.source().charset() == null ? null : r.source().charset().name(), r.rejectedRows(), rejected);
    }

    private static IngestRequest request(DepositRequest d) {
        DataDictionary dictionary = d.dictionary() == null ? null : readDictionary(d.dictionary());
        return new IngestRequest(d.file(), d.dataset(), d.source(), dictionary, d.skipBadRows(), d.maxErrors(),
                d.classification(), d.timeZone());
    }

    private static DataDictionary readDictionary(Path yaml) {
        try {
            return DictionaryYaml.fromYaml(Files.readString(yaml, StandardCharsets.UTF_8), yaml.toString());
        } catch (IOException e) {
            throw new MaxException(IngestError.FILE_NOT_FOUND, Location.file(yaml.toString()), yaml.toString());
        }
    }

    @Override
    public List<DatasetSummary> datasets() {
        return library.datasets(who);
    }

    @Override
    public DatasetView show(String dataset, int sampleRows, String purpose) {
        DatasetDetails d = library.show(who, dataset, sampleRows, purpose);
        var ds = d.dataset();
        var info = new DatasetInfo(ds.name(), ds.classification().word(), ds.owner(), ds.titleKo(), ds.titleEn(),
                ds.descriptionKo(), ds.descriptionEn(), ds.tags());
        DictionaryView dictionary = null;
        if (d.dictionary() != null) {
            dictionary = new DictionaryView(d.dictionary().timeZone(), d.dictionary().columns().stream()
                    .map(EmbeddedBackend::column).toList());
        }
        String source = d.versions().isEmpty() ? null : d.versions().getLast().sourceName();
        var rejected = d.rejected().stream().map(p -> p.toException(source).message(locale)).toList();
        return new DatasetView(info, d.versions(), dictionary, d.sampleColumns(), d.sampleRows(), rejected);
    }

    private static Column column(ColumnSpec c) {
        return new Column(c.name(), c.role().word(), c.type().word(), c.unit(), c.sensitivity().word(), c.descriptionKo(),
                c.descriptionEn());
    }

    @Override
    public DictionaryText dictionary(String ref) {
        DataDictionary d = library.dictionary(who, ref);
        return new DictionaryText(DictionaryYaml.toYaml(d, ref.replaceFirst("@[0-9]+$", "")), d.columns().size());
    }

    @Override
    public DatasetInfo describe(String dataset, Library.Description description) {
        var ds = library.describe(who, dataset, description);
        return new DatasetInfo(ds.name(), ds.classification().word(), ds.owner(), ds.titleKo(), ds.titleEn(),
                ds.descriptionKo(), ds.descriptionEn(), ds.tags());
    }

    @Override
    public void delete(String dataset) {
        library.delete(who, dataset);
    }

    @Override
    public QueryOutcome query(String sql, String purpose, ResultSink sink) {
        var stats = library.query(who, sql, purpose, sink);
        if (stats.heldOutput() != null) {
            return new QueryOutcome.Held(stats.heldOutput(), stats.rows(), stats.heldBackRows(), library.safeZoneMinContributors());
        }
        return new QueryOutcome.Delivered(stats.rows());
    }

    @Override
    public Exported export(String ref, Path target, String format, String purpose) {
        // A file on this host stays in the library's jurisdiction: no destination to give.
        var stats = library.export(who, ref, target.toAbsolutePath(), format, purpose);
        return new Exported(stats.rows(), stats.exportId(), stats.fingerprinted());
    }

    @Override
    public void audit(String dataset, Consumer<AuditRecord> sink) {
        library.audit(who, dataset, sink);
    }

    @Override
    public Verification verifyAudit() {
        return library.verifyAudit(who);
    }

    @Override
    public Identities.Organization createOrganization(String name, String businessNumber, String jurisdiction) {
        return library.createOrganization(who, name, businessNumber, jurisdiction);
    }

    @Override
    public List<Identities.Organization> organizations() {
        return library.organizations(who);
    }

    @Override
    public Identities.User createUser(String name, String organization, Set<Role> roles) {
        return library.createUser(who, name, organization, roles);
    }

    @Override
    public List<Identities.User> users(String organization) {
        return library.users(who, organization);
    }

    @Override
    public Identities.IssuedToken issueToken(String user, Set<Role> scopes, long days, String label) {
        return library.issueToken(who, user, scopes, java.time.Duration.ofDays(days), label);
    }

    @Override
    public List<Identities.TokenInfo> tokens(String user) {
        return library.tokens(who, user);
    }

    @Override
    public Identities.TokenInfo revokeToken(String id) {
        return library.revokeToken(who, id);
    }

    @Override
    public List<SafeZoneOutputs.Output> outputs() {
        return library.outputs(who);
    }

    @Override
    public SafeZoneOutputs.Output review(String id, boolean release, String note) {
        return library.review(who, id, release, note);
    }

    @Override
    public void releasedOutput(String id, ResultSink sink) {
        library.releasedOutput(who, id, sink);
    }

    @Override
    public Request requestAccess(String dataset, String purpose, Set<Action> actions, Constraint.TimeWindow period,
                                 Set<String> analysts) {
        return request(library.requestAccess(who, dataset, purpose, actions, period, analysts), null);
    }

    @Override
    public List<Request> requests() {
        return library.requests(who).stream().map(e -> request(e, null)).toList();
    }

    @Override
    public Request approve(String id, List<Duty> duties) {
        return request(library.approve(who, id, duties), null);
    }

    @Override
    public Request narrow(String id, Narrowing n, List<Duty> duties) {
        // What is not given stays as requested; the library checks that the rest only narrows.
        Terms asked = library.accessRequest(who, id).agreement().requested();
        var period = new Constraint.TimeWindow(n.from() == null ? asked.period().notBefore() : n.from(),
                n.until() == null ? asked.period().notAfter() : n.until());
        var granted = new Terms(n.actions() == null ? asked.actions() : n.actions(),
                n.purposes() == null ? asked.purposes() : n.purposes(), period,
                n.analysts() == null ? asked.analysts() : n.analysts(), n.maxUses() == null ? asked.maxUses() : n.maxUses(),
                n.deidentifiedOnly() == null ? asked.deidentifiedOnly() : n.deidentifiedOnly());
        return request(library.narrow(who, id, granted, duties), granted.maxUses());
    }

    @Override
    public Traced trace(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new kr.max.core.MaxException(kr.max.library.ingest.IngestError.FILE_NOT_FOUND,
                    kr.max.core.Location.file(file.toString()), file.toString());
        }
        var t = library.trace(who, file);
        return switch (t.report()) {
            case kr.max.library.fingerprint.TraceReport.Identified id ->
                    new Traced(id.matches().stream().map(TraceMatch::of).toList(), null, t.candidates(), null);
            case kr.max.library.fingerprint.TraceReport.Inconclusive in -> new Traced(List.of(),
                    in.reason().name().toLowerCase(java.util.Locale.ROOT), t.candidates(), in.strongest().map(TraceMatch::of).orElse(null));
        };
    }

    @Override
    public Controls controls(String dataset) {
        return controls(dataset, library.controls(who, dataset));
    }

    @Override
    public Controls protect(String dataset, Set<Action> deidRequiredFor, Set<String> neverLeave) {
        return controls(dataset, library.protect(who, dataset, deidRequiredFor, neverLeave));
    }

    @Override
    public kr.max.library.stream.EdgeRules edgeRules(String dataset) {
        return library.streams().edgeRules(who, dataset);
    }

    @Override
    public kr.max.library.stream.EdgeRules setEdgeRules(String dataset, kr.max.library.stream.EdgeRules rules) {
        return library.streams().setEdgeRules(who, dataset, rules);
    }

    @Override
    public Compacted compact(String dataset) {
        return new Compacted(library.streams().compact(who, dataset), library.streams().compactionSettings().minChunks());
    }

    private Controls controls(String dataset, kr.max.library.share.Protections.Controls c) {
        return new Controls(dataset, c.releaseOf() == null ? null : library.datasetName(c.releaseOf()),
                c.deidRequiredFor().stream().sorted().map(Action::word).toList(), List.copyOf(c.neverLeave()));
    }

    @Override
    public Deidentified deidentify(String dataset, kr.max.library.deid.DeidProfile profile, String release) {
        var d = library.deidentify(who, dataset, profile, release);
        return new Deidentified(d.release(), d.version(), d.profile(), d.profileVersion(), d.report());
    }

    @Override
    public Request refuse(String id, String reason) {
        return request(library.refuse(who, id, reason), null);
    }

    @Override
    public Request withdraw(String id) {
        return request(library.withdraw(who, id), null);
    }

    @Override
    public Request revoke(String id) {
        return request(library.revoke(who, id), null);
    }

    @Override
    public List<UsageSummary> usage(String dataset) {
        return library.usage(who, dataset);
    }

    @Override
    public List<kr.max.library.share.Protections.ReleaseRecord> releases(String dataset) {
        return library.releases(who, dataset);
    }

    @Override
    public List<ExportView> exports(String dataset) {
        return library.exports(who, dataset).stream().map(ExportView::of).toList();
    }

    @Override
    public Citation citation(String ref) {
        return library.citation(who, ref);
    }

    // ---- the model registry

    private kr.max.models.registry.ModelRegistry registry;

    private kr.max.models.registry.ModelRegistry registry() {
        if (registry == null) registry = new kr.max.models.registry.ModelRegistry(library);
        return registry;
    }

    @Override
    public List<kr.max.library.Models.ModelSummary> models() {
        return registry().list(who);
    }

    @Override
    public kr.max.models.registry.ModelInfo model(String ref) {
        return registry().show(who, ref);
    }

    @Override
    public kr.max.models.registry.ModelVersionView train(String type, String dataset, java.util.Map<String, Object> params, long seed,
                                                        String name, String purpose) {
        return registry().train(who, type, dataset, params, seed, name, purpose);
    }

    @Override
    public kr.max.models.Metrics evaluate(String model, String dataset, String purpose) {
        return registry().evaluate(who, model, dataset, purpose);
    }

    @Override
    public PredictedFile predict(String model, String dataset, String purpose, Path target) {
        var p = registry().predict(who, model, dataset, purpose, target.toAbsolutePath());
        return new PredictedFile(p.rows(), p.columns());
    }

    @Override
    public kr.max.models.registry.ModelVersionView importOnnx(Path file, String name, String description,
                                                             kr.max.core.Classification classification) {
        if (!Files.isRegularFile(file)) throw new MaxException(IngestError.FILE_NOT_FOUND, Location.file(file.toString()), file.toString());
        return registry().importOnnx(who, file, name, description, classification);
    }

    @Override
    public kr.max.library.Models.ModelExport exportModel(String ref, Path target, String purpose) {
        // A file on this host stays in the library's jurisdiction: no destination to give.
        return registry().export(who, ref, target.toAbsolutePath(), null, purpose);
    }

    @Override
    public void close() {
        library.close();
    }

    /** An entry as the commands print it; {@code maxUses} is the limit just granted, where known. */
    private static Request request(Agreements.Entry e, Long maxUses) {
        var a = e.agreement();
        Set<Action> granted = EnumSet.noneOf(Action.class);
        for (PolicyRule p : a.policy().permissions()) granted.add(p.action());
        var uses = new EnumMap<Action, Long>(Action.class);
        for (Action x : granted) uses.put(x, a.usesOf(x));
        return new Request(e.id(), a.dataset(), a.provider(), a.consumer(), a.state().word(), granted,
                new TreeSet<>(a.requested().purposes()), a.requested().period().notBefore(), e.validUntil(),
                new TreeSet<>(a.analysts()), maxUses, uses, e.requestedBy(), e.decidedBy());
    }
}
