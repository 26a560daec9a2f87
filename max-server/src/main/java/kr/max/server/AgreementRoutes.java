package kr.max.server;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.Citation;
import kr.max.library.Library;
import kr.max.library.UsageSummary;
import kr.max.library.agreement.AgreementError;
import kr.max.library.agreement.Agreements;
import kr.max.library.agreement.Constraint;
import kr.max.library.agreement.Duty;
import kr.max.library.agreement.Terms;
import kr.max.library.policy.Action;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access requests and agreements, the provider's usage view and citations over HTTP. Dates are ISO days
 * ({@code 2027-03-31}, meaning the whole day in Asia/Seoul) or instants; the library decides and audits.
 */
final class AgreementRoutes {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    private final Library library;
    private final JsonMapper json;

    AgreementRoutes(Library library, JsonMapper json) {
        this.library = library;
        this.json = json;
    }

    record RequestBody(String dataset, String purpose, List<String> actions, String from, String until, List<String> analysts) {
    }

    record NarrowBody(List<String> actions, List<String> purposes, String from, String until, List<String> analysts,
                      Long maxUses, List<String> duties, Boolean deidentifiedOnly) {
    }

    record DutiesBody(List<String> duties) {
    }

    record ReasonBody(String reason) {
    }

    /** One request or agreement as clients see it; {@code policy} is the ODRL policy in force once granted. */
    record EntryView(String id, String dataset, String provider, String consumer, String requestedBy, Instant requestedAt,
                     String state, List<String> actions, List<String> purposes, Instant from, Instant until,
                     List<String> analysts, Long maxUses, Map<String, Long> uses, String decidedBy, Instant decidedAt,
                     String reason, Instant validUntil, JsonNode policy) {
    }

    record UsageView(String principal, String organization, String action, String purpose, long uses, long refused, Instant lastAt) {
        static UsageView of(UsageSummary u) {
            return new UsageView(u.principal(), u.organization(), u.action(), u.purpose(), u.uses(), u.refused(), u.lastAt());
        }
    }

    record CitationView(String dataset, int version, String provider, Instant publishedAt, String korean, String english) {
        static CitationView of(Citation c) {
            return new CitationView(c.dataset(), c.version(), c.provider(), c.publishedAt(), c.korean(), c.english());
        }
    }

    void file(Context ctx) {
        var b = body(ctx, RequestBody.class);
        Instant from = b.from() == null ? LocalDate.now(SEOUL).atStartOfDay(SEOUL).toInstant() : start(b.from());
        var entry = library.requestAccess(Requests.principal(ctx), b.dataset(), b.purpose(), actions(b.actions()),
                new Constraint.TimeWindow(from, end(b.until())), b.analysts() == null ? Set.of() : new HashSet<>(b.analysts()));
        ctx.status(201).json(view(entry));
    }

    void list(Context ctx) {
        ctx.json(new Governance.ListOf<>(library.requests(Requests.principal(ctx)).stream().map(this::view).toList()));
    }

    void one(Context ctx) {
        ctx.json(view(library.accessRequest(Requests.principal(ctx), ctx.pathParam("id"))));
    }

    void approve(Context ctx) {
        DutiesBody b = optionalBody(ctx, DutiesBody.class);
        ctx.json(view(library.approve(Requests.principal(ctx), ctx.pathParam("id"), duties(b == null ? null : b.duties()))));
    }

    void narrow(Context ctx) {
        var who = Requests.principal(ctx);
        String id = ctx.pathParam("id");
        var b = body(ctx, NarrowBody.class);
        Terms asked = library.accessRequest(who, id).agreement().requested();
        var granted = new Terms(b.actions() == null ? asked.actions() : actions(b.actions()),
                b.purposes() == null ? asked.purposes() : new HashSet<>(b.purposes()),
                new Constraint.TimeWindow(b.from() == null ? asked.period().notBefore() : start(b.from()),
                        b.until() == null ? asked.period().notAfter() : end(b.until())),
                b.analysts() == null ? asked.analysts() : new HashSet<>(b.analysts()),
                b.maxUses() == null ? asked.maxUses() : b.maxUses(),
                b.deidentifiedOnly() == null ? asked.deidentifiedOnly() : b.deidentifiedOnly());
        ctx.json(view(library.narrow(who, id, granted, duties(b.duties()))));
    }

    void refuse(Context ctx) {
        ReasonBody b = optionalBody(ctx, ReasonBody.class);
        ctx.json(view(library.refuse(Requests.principal(ctx), ctx.pathParam("id"), b == null ? null : b.reason())));
    }

    void withdraw(Context ctx) {
        ctx.json(view(library.withdraw(Requests.principal(ctx), ctx.pathParam("id"))));
    }

    void revoke(Context ctx) {
        ctx.json(view(library.revoke(Requests.principal(ctx), ctx.pathParam("id"))));
    }

    void usage(Context ctx) {
        var rows = library.usage(Requests.principal(ctx), Requests.dataset(ctx)).stream().map(UsageView::of).toList();
        ctx.json(new Governance.ListOf<>(rows));
    }

    void citation(Context ctx) {
        Integer version = Requests.optionalInteger(ctx, "version", 1, 999_999_999);
        String name = Requests.dataset(ctx);
        ctx.json(CitationView.of(library.citation(Requests.principal(ctx), version == null ? name : name + "@" + version)));
    }

    /**
     * The terms in force once granted (the policy's permitted actions and use limit, the granted period),
     * the requested ones before; purposes and the start are as requested.
     */
    private EntryView view(Agreements.Entry e) {
        var a = e.agreement();
        var t = a.requested();
        var permitted = new java.util.TreeSet<String>();
        Long limit = null;
        if (a.policy() != null) {
            for (var rule : a.policy().permissions()) {
                permitted.add(rule.action().word());
                for (var c : rule.constraints()) {
                    if (c instanceof Constraint.CountAtMost count) limit = limit == null ? count.max() : Math.min(limit, count.max());
                }
            }
        }
        List<String> actions = permitted.isEmpty() ? t.actions().stream().map(Action::word).sorted().toList() : List.copyOf(permitted);
        Map<String, Long> uses = new LinkedHashMap<>();
        a.uses().forEach((action, n) -> uses.put(action.word(), n));
        return new EntryView(a.id(), a.dataset(), a.provider(), a.consumer(), e.requestedBy(), e.requestedAt(),
                a.state().name().toLowerCase(java.util.Locale.ROOT), actions, t.purposes().stream().sorted().toList(),
                t.period().notBefore(), e.validUntil() != null ? e.validUntil() : t.period().notAfter(),
                a.analysts().stream().sorted().toList(), limit != null ? limit : t.maxUses(), uses, e.decidedBy(), e.decidedAt(),
                e.reason(), e.validUntil(), permitted.isEmpty() ? null : json.readTree(a.policy().toJson()));
    }

    private static Set<Action> actions(List<String> words) {
        var out = new HashSet<Action>();
        if (words == null) return out;
        for (String w : words) {
            out.add(Action.fromWord(w.strip()).orElseThrow(() -> new MaxException(AgreementError.UNKNOWN_ACTION, Location.NOWHERE, w)));
        }
        return out;
    }

    private static List<Duty> duties(List<String> words) {
        var out = new ArrayList<Duty>();
        if (words == null) return out;
        for (String w : words) {
            out.add(Duty.fromWord(w.strip()).orElseThrow(() -> new MaxException(AgreementError.UNKNOWN_DUTY, Location.NOWHERE, w)));
        }
        return out;
    }

    /** A day's start in Seoul, or an instant as given. */
    private static Instant start(String text) {
        return parse(text, false);
    }

    /** A day counts whole: its end is the next day's start in Seoul. */
    private static Instant end(String text) {
        if (text == null) throw Requests.invalid("until", Requests.Expected.TEXT, 0, 0);
        return parse(text, true);
    }

    private static Instant parse(String text, boolean endOfDay) {
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(SEOUL).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Requests.invalid(endOfDay ? "until" : "from", Requests.Expected.TEXT, 0, 0);
        }
    }

    private static <T> T body(Context ctx, Class<T> type) {
        T body = ctx.bodyAsClass(type);
        if (body == null) throw Requests.invalid("body", Requests.Expected.TEXT, 0, 0);
        return body;
    }

    private static <T> T optionalBody(Context ctx, Class<T> type) {
        return ctx.body().isBlank() ? null : ctx.bodyAsClass(type);
    }
}
