package kr.max.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.AssetNode;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.Tag;
import kr.max.factory.station.TwinStation;
import kr.max.factory.twin.ActiveFault;

/**
 * The simulated line over HTTP: what runs ({@code GET /v1/twin}), its faults ({@code POST} and {@code DELETE
 * /v1/twin/faults}), its setpoints ({@code POST /v1/twin/setpoints}) and its asset model ({@code GET /v1/assets}).
 * Commanding the twin is an operator's work: it needs the role {@code operator} or {@code admin}; reading needs a
 * signed-in principal only.
 */
final class TwinRoutes {

    private static final Set<Role> COMMANDERS = Set.of(Role.OPERATOR, Role.ADMIN);

    private final Supplier<TwinStation> station;

    TwinRoutes(Supplier<TwinStation> station) {
        this.station = station;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/twin", this::status);
        routes.post("/v1/twin/faults", this::inject);
        routes.delete("/v1/twin/faults", this::clear);
        routes.post("/v1/twin/setpoints", this::write);
        routes.get("/v1/assets", this::assets);
    }

    record FaultView(long id, String kind, String target, Instant since) {
        static FaultView of(ActiveFault f) {
            return new FaultView(f.id(), f.fault().kind(), f.fault().target(), f.since());
        }
    }

    record TwinView(String line, long seed, String pace, Instant time, String opcUa, String mqtt, Integer modbusPort,
                    List<FaultView> faults) {
    }

    record FaultBody(String kind, String target, Map<String, String> options) {
    }

    record SetpointBody(String tag, Double value) {
    }

    record Cleared(List<FaultView> cleared) {
    }

    void status(Context ctx) {
        TwinStation s = running();
        var sim = s.simulator();
        ctx.json(new TwinView(s.model().source(), sim.seed(), s.driver().pace().toString(), sim.now(), s.opcUaUrl(), s.mqttUrl(),
                s.modbusPort() < 0 ? null : s.modbusPort(), s.faults().stream().map(FaultView::of).toList()));
    }

    void inject(Context ctx) {
        TwinStation s = running();
        commander(ctx);
        FaultBody b = ctx.bodyAsClass(FaultBody.class);
        if (b == null || b.kind() == null || b.kind().isBlank()) throw Requests.invalid("kind", Requests.Expected.TEXT, 0, 0);
        if (b.target() == null || b.target().isBlank()) throw Requests.invalid("target", Requests.Expected.TEXT, 0, 0);
        ActiveFault f = s.inject(b.kind(), b.target(), b.options() == null ? Map.of() : b.options());
        ctx.status(201).json(FaultView.of(f));
    }

    void clear(Context ctx) {
        TwinStation s = running();
        commander(ctx);
        String kind = ctx.queryParam("kind");
        String target = ctx.queryParam("target");
        ctx.json(new Cleared(s.clear(blankToNull(kind), blankToNull(target)).stream().map(FaultView::of).toList()));
    }

    void write(Context ctx) {
        TwinStation s = running();
        commander(ctx);
        SetpointBody b = ctx.bodyAsClass(SetpointBody.class);
        if (b == null || b.tag() == null || b.tag().isBlank()) throw Requests.invalid("tag", Requests.Expected.TEXT, 0, 0);
        if (b.value() == null || !Double.isFinite(b.value())) throw Requests.invalid("value", Requests.Expected.TEXT, 0, 0);
        s.write(b.tag(), b.value());
        ctx.status(204);
    }

    record TagView(String id, String nameKo, String nameEn, String role, String unit, String type, Double normalLow,
                   Double normalHigh, Double loLo, Double lo, Double hi, Double hiHi, Double maxRatePerSecond, boolean writable,
                   int sampleMillis) {
        static TagView of(Tag t) {
            var s = t.spec();
            var a = s.alarms();
            return new TagView(s.id(), s.name().ko(), s.name().en(), s.role().name().toLowerCase(java.util.Locale.ROOT), s.unit(),
                    s.type().name().toLowerCase(java.util.Locale.ROOT), s.normal() == null ? null : s.normal().low(),
                    s.normal() == null ? null : s.normal().high(), a.loLo(), a.lo(), a.hi(), a.hiHi(), s.maxRatePerSecond(),
                    s.writable(), s.sampleMillis());
        }
    }

    record NodeView(String path, String level, String nameKo, String nameEn, String type, List<TagView> tags) {
    }

    record AssetsView(String enterprise, String nameKo, String nameEn, List<NodeView> nodes) {
        static AssetsView of(AssetModel m) {
            var nodes = new java.util.ArrayList<NodeView>();
            for (AssetNode n : m.nodes()) {
                var equipment = m.equipment(n.path());
                nodes.add(new NodeView(n.path().toString(), n.level().name().toLowerCase(java.util.Locale.ROOT), n.name().ko(),
                        n.name().en(), equipment.map(Equipment::type).orElse(null),
                        equipment.isPresent() ? m.tags(n.path()).stream().map(TagView::of).toList() : List.of()));
            }
            return new AssetsView(m.enterpriseId(), m.enterpriseName().ko(), m.enterpriseName().en(), nodes);
        }
    }

    void assets(Context ctx) {
        ctx.json(AssetsView.of(running().model()));
    }

    private TwinStation running() {
        TwinStation s = station.get();
        if (s == null) throw new MaxException(ServerError.NOT_RUNNING, Location.NOWHERE, "twin");
        return s;
    }

    private static void commander(Context ctx) {
        Principal who = Requests.principal(ctx);
        if (COMMANDERS.stream().noneMatch(who::has)) {
            throw new MaxException(ServerError.ROLE_REQUIRED, Location.NOWHERE,
                    String.join(" | ", Arrays.stream(new Role[]{Role.OPERATOR, Role.ADMIN}).map(Role::word).toList()), who.name());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
