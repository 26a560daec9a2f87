package kr.max.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.factory.alarms.Alarm;
import kr.max.factory.alarms.AlarmEvent;
import kr.max.library.Library;
import kr.max.library.stream.EdgeRules;
import kr.max.library.stream.StreamError;
import kr.max.library.stream.StreamSample;

/**
 * The factory's routes beside the library's: alarms ({@code GET /v1/alarms}, acknowledge, shelve, unshelve), the live
 * view ({@code GET /v1/live}, server-sent events), and the hub's side of the edge ({@code POST
 * /v1/streams/<dataset>/samples}, {@code GET /v1/streams/<dataset>/mark?source=}, {@code GET|PUT
 * /v1/streams/<dataset>/edge-rules}). Alarm commands are an operator's (or admin's); samples are deposits into a stream
 * dataset, decided by the library's policy and audited there, through appenders kept open between posts
 * ({@link StreamAppenders}); edge rules are the library's too (decision 0019).
 */
final class FactoryRoutes {

    private static final Set<Role> OPERATORS = Set.of(Role.OPERATOR, Role.ADMIN);
    /** A post larger than this is refused before it is read whole (the edge sends 5,000 samples at most). */
    static final int MAX_SAMPLES_PER_POST = 20_000;

    private final Library library;
    private final Supplier<FactoryRuntime> factory;
    private final StreamAppenders appenders;

    FactoryRoutes(Library library, Supplier<FactoryRuntime> factory, StreamAppenders appenders) {
        this.library = library;
        this.factory = factory;
        this.appenders = appenders;
    }

    void register(RoutesConfig routes) {
        routes.get("/v1/alarms", this::alarms);
        routes.post("/v1/alarms/acknowledge", this::acknowledge);
        routes.post("/v1/alarms/shelve", this::shelve);
        routes.post("/v1/alarms/unshelve", this::unshelve);
        routes.get("/v1/live", new SseHandler(client -> running().live().accept(client)));
        routes.post("/v1/streams/<name>/samples", this::samples);
        routes.get("/v1/streams/<name>/mark", this::mark);
        routes.get("/v1/streams/<name>/edge-rules", this::edgeRules);
        routes.put("/v1/streams/<name>/edge-rules", this::setEdgeRules);
        routes.post("/v1/streams/<name>/compact", this::compact);
    }

    record AlarmView(String id, String kind, String priority, String state, boolean condition, String equipment, String messageEn,
                     String messageKo, double valueAtRaise, double limit, String unit, String model, Instant raisedAt, Instant clearedAt,
                     Instant acknowledgedAt, String acknowledgedBy, Instant shelvedUntil, String shelvedBy, String shelveReason,
                     long occurrences) {
        static AlarmView of(Alarm a) {
            return new AlarmView(a.id(), a.kind().word(), a.priority().word(), a.state().word(), a.condition(), a.equipment().toString(),
                    a.message(Locale.ENGLISH), a.message(Locale.KOREAN), a.valueAtRaise(), a.limit(), a.unit(), a.model(), a.raisedAt(),
                    a.clearedAt(), a.acknowledgedAt(), a.acknowledgedBy(), a.shelvedUntil(), a.shelvedBy(), a.shelveReason(),
                    a.occurrences());
        }
    }

    record EventView(long sequence, Instant time, String change, String from, String to, String id, String who, String note) {
        static EventView of(AlarmEvent e) {
            return new EventView(e.sequence(), e.time(), e.change().word(), e.from() == null ? null : e.from().word(),
                    e.alarm().state().word(), e.alarm().id(), e.who(), e.note());
        }
    }

    record AlarmsView(List<AlarmView> alarms, List<EventView> history) {
    }

    /** Active and shelved alarms; with {@code all=true} every alarm ever raised, with {@code history=true} the events. */
    void alarms(Context ctx) {
        var service = running().alarms();
        boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
        boolean history = "true".equalsIgnoreCase(ctx.queryParam("history"));
        var shown = new ArrayList<Alarm>(all ? service.all() : service.active());
        if (!all) shown.addAll(service.shelved());
        ctx.json(new AlarmsView(shown.stream().map(AlarmView::of).toList(),
                history ? service.history().stream().map(EventView::of).toList() : List.of()));
    }

    record CommandBody(String id, String note, String reason, String duration) {
    }

    void acknowledge(Context ctx) {
        Principal who = operator(ctx);
        CommandBody b = command(ctx);
        ctx.json(AlarmView.of(running().alarms().acknowledge(b.id(), who.name(), b.note())));
    }

    void shelve(Context ctx) {
        Principal who = operator(ctx);
        CommandBody b = command(ctx);
        Duration d;
        try {
            d = b.duration() == null ? Duration.ofHours(1) : Duration.parse(b.duration());
        } catch (RuntimeException e) {
            throw Requests.invalid("duration", Requests.Expected.TEXT, 0, 0);
        }
        ctx.json(AlarmView.of(running().alarms().shelve(b.id(), who.name(), d, b.reason())));
    }

    void unshelve(Context ctx) {
        Principal who = operator(ctx);
        CommandBody b = command(ctx);
        ctx.json(AlarmView.of(running().alarms().unshelve(b.id(), who.name())));
    }

    private static CommandBody command(Context ctx) {
        CommandBody b = ctx.bodyAsClass(CommandBody.class);
        if (b == null || b.id() == null || b.id().isBlank()) throw Requests.invalid("id", Requests.Expected.TEXT, 0, 0);
        return b;
    }

    record SampleBody(Long seq, String time, String asset, String tag, Double value, String quality) {
    }

    /** {@code rules_version}: the edge rules the edge applied; absent from posters that apply none of their own. */
    record SamplesBody(String source, Long rules_version, List<SampleBody> samples) {
    }

    /** The source's committed mark, and the version of the dataset's edge rules in force. */
    record Mark(String source, long committed_through, long rules_version) {
    }

    /**
     * An edge's batch: appended under the edge's source, committed, and answered with the source's committed mark — so
     * a batch sent twice (the answer lost in an outage) is taken once — and the version of the edge rules in force. A
     * batch filtered under an older version of the rules is not taken: the answer's mark is unchanged and its newer
     * {@code rules_version} tells the edge to fetch the rules and filter again. A sample the rules in force keep in the
     * plant (or would have rounded) refuses the whole batch ({@code MAX-STREAM-011}).
     */
    void samples(Context ctx) {
        Principal who = Requests.principal(ctx);
        String dataset = Requests.dataset(ctx);
        SamplesBody b = ctx.bodyAsClass(SamplesBody.class);
        if (b == null || b.source() == null || b.source().isBlank()) throw Requests.invalid("source", Requests.Expected.TEXT, 0, 0);
        if (b.samples() == null || b.samples().size() > MAX_SAMPLES_PER_POST) {
            throw Requests.invalid("samples", Requests.Expected.INTEGER, 0, MAX_SAMPLES_PER_POST);
        }
        var samples = new ArrayList<StreamSample>(b.samples().size());
        for (SampleBody s : b.samples()) {
            if (s == null || s.seq() == null || s.time() == null) {
                throw Requests.invalid("samples", Requests.Expected.TEXT, 0, 0);
            }
            Instant time;
            try {
                time = Instant.parse(s.time());
            } catch (RuntimeException e) {
                throw Requests.invalid("time", Requests.Expected.TEXT, 0, 0);
            }
            // a value that is no number (a bad sample before any good one) travels as null
            samples.add(new StreamSample(s.seq(), time, s.asset(), s.tag(), s.value() == null ? Double.NaN : s.value(),
                    s.quality() == null ? "GOOD" : s.quality()));
        }
        // the appender kept open for this edge's source: its open was the deposit decision, each post is decided again
        ctx.json(appenders.with(who, dataset, b.source(), appender -> {
            EdgeRules rules = library.streams().edgeRulesInForce(dataset);
            if (b.rules_version() != null && b.rules_version() < rules.version()) {
                return new Mark(b.source(), appender.committedThrough(), rules.version());
            }
            for (int i = 0; i < samples.size(); i++) {
                StreamSample s = samples.get(i);
                String why = s.tag() == null ? null : rules.violation(s.tag(), s.value());
                if (why != null) {
                    throw new MaxException(StreamError.EDGE_RULES_VIOLATED, Location.dataset(dataset, null), b.source(), i, s.tag(), why);
                }
            }
            appender.append(samples);
            return new Mark(b.source(), appender.flush(), rules.version());
        }));
    }

    void mark(Context ctx) {
        Principal who = Requests.principal(ctx);
        String dataset = Requests.dataset(ctx);
        String source = ctx.queryParam("source");
        if (source == null || source.isBlank()) throw Requests.invalid("source", Requests.Expected.TEXT, 0, 0);
        // reading a mark says what a source has deposited: decided as the deposit itself would be
        ctx.json(appenders.with(who, dataset, source,
                appender -> new Mark(source, appender.committedThrough(), library.streams().edgeRulesVersion(dataset))));
    }

    /** The stream dataset's edge rules, for whoever may deposit into it (the edge's token). */
    void edgeRules(Context ctx) {
        String dataset = Requests.dataset(ctx);
        ctx.contentType(Errors.JSON).result(library.streams().edgeRules(Requests.principal(ctx), dataset).toJson(dataset));
    }

    /** Sets the edge rules (the whole set: a tag not named has no rule); the answer is the rules in force, versioned. */
    void setEdgeRules(Context ctx) {
        Principal who = Requests.principal(ctx);
        String dataset = Requests.dataset(ctx);
        if (ctx.body().isBlank()) throw Requests.invalid("body", Requests.Expected.TEXT, 0, 0);
        EdgeRules rules = EdgeRules.parse(ctx.bodyAsClass(tools.jackson.databind.JsonNode.class));
        ctx.contentType(Errors.JSON).result(library.streams().setEdgeRules(who, dataset, rules).toJson(dataset));
    }

    /** A compaction's figures, and the threshold below which an hour is left alone (decision 0020). */
    record Compacted(String dataset, int partitions, int chunksBefore, int chunksAfter, long rows, long bytesBefore,
                     long bytesAfter, int minChunks) {
    }

    /** Merges the small chunks of the stream dataset's sealed hours now, decided as a write into it (decision 0020). */
    void compact(Context ctx) {
        Principal who = Requests.principal(ctx);
        String dataset = Requests.dataset(ctx);
        var done = library.streams().compact(who, dataset);
        ctx.json(new Compacted(dataset, done.partitions(), done.chunksBefore(), done.chunksAfter(), done.rows(), done.bytesBefore(),
                done.bytesAfter(), library.streams().compactionSettings().minChunks()));
    }

    private FactoryRuntime running() {
        FactoryRuntime f = factory.get();
        if (f == null) throw new MaxException(ServerError.NOT_RUNNING, Location.NOWHERE, "factory");
        return f;
    }

    private static Principal operator(Context ctx) {
        Principal who = Requests.principal(ctx);
        if (OPERATORS.stream().noneMatch(who::has)) {
            throw new MaxException(ServerError.ROLE_REQUIRED, Location.NOWHERE, "operator | admin", who.name());
        }
        return who;
    }
}
