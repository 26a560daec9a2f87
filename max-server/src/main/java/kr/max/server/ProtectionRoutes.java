package kr.max.server;

import io.javalin.http.Context;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kr.max.library.Library;
import kr.max.library.deid.DeidProfile;
import kr.max.library.deid.HierarchySource;
import kr.max.library.deid.RiskReport;
import kr.max.library.policy.Action;
import kr.max.library.share.Protections;

/**
 * The provider's protections over HTTP: controls per dataset and de-identified releases. A profile
 * arrives as self-contained YAML (category hierarchies inline): the server reads no file a client names.
 */
final class ProtectionRoutes {

    private final Library library;

    ProtectionRoutes(Library library) {
        this.library = library;
    }

    /** What {@code PUT /v1/controls/{name}} accepts; a missing list clears that control. */
    record ControlsBody(List<String> deidRequiredFor, List<String> neverLeave) {
    }

    record ControlsView(String dataset, String releaseOf, List<String> deidRequiredFor, List<String> neverLeave) {
    }

    /** What {@code POST /v1/deid/{name}} accepts: the profile's YAML and, for a release, its name. */
    record DeidBody(String profile, String release, Integer version) {
    }

    record DeidView(String dataset, String release, Integer version, String profile, Integer profileVersion, RiskReport report) {
    }

    record ExportView(String id, int version, String recipient, String organization, String purpose, String format, long rows,
                      java.time.Instant at, boolean fingerprinted) {
    }

    void releases(Context ctx) {
        ctx.json(new Governance.ListOf<>(library.releases(Requests.principal(ctx), Requests.dataset(ctx))));
    }

    /** The export records without their sealed secrets. */
    void exports(Context ctx) {
        ctx.json(new Governance.ListOf<>(library.exports(Requests.principal(ctx), Requests.dataset(ctx)).stream()
                .map(e -> new ExportView(e.id(), e.version(), e.recipient(), e.organization(), e.purpose(), e.format(), e.rows(),
                        e.at(), e.wrappedSecret() != null)).toList()));
    }

    void controls(Context ctx) {
        String name = Requests.dataset(ctx);
        ctx.json(view(name, library.controls(Requests.principal(ctx), name)));
    }

    void protect(Context ctx) {
        String name = Requests.dataset(ctx);
        ControlsBody b = ctx.bodyAsClass(ControlsBody.class);
        if (b == null) throw Requests.invalid("body", Requests.Expected.TEXT, 0, 0);
        var set = library.protect(Requests.principal(ctx), name, Protections.uses(b.deidRequiredFor()),
                b.neverLeave() == null ? Set.of() : new LinkedHashSet<>(b.neverLeave()));
        ctx.json(view(name, set));
    }

    void deid(Context ctx) {
        String name = Requests.dataset(ctx);
        DeidBody b = ctx.bodyAsClass(DeidBody.class);
        if (b == null || b.profile() == null || b.profile().isBlank()) throw Requests.invalid("profile", Requests.Expected.TEXT, 0, 0);
        DeidProfile profile = DeidProfile.parse(b.profile(), "profile", HierarchySource.none());
        String source = b.version() == null ? name : name + "@" + b.version();
        var d = library.deidentify(Requests.principal(ctx), source, profile, b.release());
        ctx.status(d.release() == null ? 200 : 201)
                .json(new DeidView(name, d.release(), d.version(), d.profile(), d.profileVersion(), d.report()));
    }

    private ControlsView view(String name, Protections.Controls c) {
        return new ControlsView(name, c.releaseOf() == null ? null : library.datasetName(c.releaseOf()),
                c.deidRequiredFor().stream().sorted().map(Action::word).toList(), List.copyOf(c.neverLeave()));
    }
}
