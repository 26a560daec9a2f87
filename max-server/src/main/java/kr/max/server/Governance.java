package kr.max.server;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.Library;
import kr.max.library.identity.Identities;
import kr.max.library.safezone.SafeZoneOutputs;
import tools.jackson.databind.json.JsonMapper;

/**
 * The governance routes: organizations, users and tokens (admin), and the safe zone's output review.
 * As everywhere, the library's policy engine decides and its audit chain records; these handlers
 * only translate JSON.
 */
final class Governance {

    private final Library library;
    private final JsonMapper json;

    Governance(Library library, JsonMapper json) {
        this.library = library;
        this.json = json;
    }

    record OrganizationBody(String name, String businessNumber, String jurisdiction) {
    }

    record UserBody(String name, String organization, List<String> roles) {
    }

    record TokenBody(String user, List<String> scopes, Integer days, String label) {
    }

    record ReviewBody(String note) {
    }

    record OrganizationView(String name, String businessNumber, String jurisdiction, Instant createdAt) {
        static OrganizationView of(Identities.Organization o) {
            return new OrganizationView(o.name(), o.businessNumber(), o.jurisdiction(), o.createdAt());
        }
    }

    record UserView(String name, String organization, String jurisdiction, List<String> roles, Instant createdAt) {
        static UserView of(Identities.User u) {
            return new UserView(u.name(), u.organization(), u.jurisdiction(), words(u.roles()), u.createdAt());
        }
    }

    record TokenView(String id, String user, List<String> scopes, String label, Instant createdAt, Instant expiresAt,
                     Instant revokedAt) {
        static TokenView of(Identities.TokenInfo t) {
            return new TokenView(t.id(), t.user(), words(t.scopes()), t.label(), t.createdAt(), t.expiresAt(), t.revokedAt());
        }
    }

    /** The one answer that carries a token's secret. */
    record IssuedView(String token, TokenView info) {
    }

    record OutputView(String id, String kind, String state, String analyst, String organization, List<String> datasets,
                      String model, String purpose, String destination, long rows, long heldBackRows, Instant createdAt,
                      String reviewedBy, Instant reviewedAt, String reviewNote, Instant exportedAt) {
        static OutputView of(SafeZoneOutputs.Output o) {
            return new OutputView(o.id(), o.kind().word(), o.state().word(), o.analyst(), o.organization(), o.datasets(), o.model(),
                    o.purpose(), o.destination(), o.rows(), o.heldBack(), o.createdAt(), o.reviewedBy(), o.reviewedAt(),
                    o.reviewNote(), o.exportedAt());
        }
    }

    record ListOf<T>(List<T> items) {
    }

    void organizations(Context ctx) {
        ctx.json(new ListOf<>(library.organizations(Requests.principal(ctx)).stream().map(OrganizationView::of).toList()));
    }

    void createOrganization(Context ctx) {
        var body = body(ctx, OrganizationBody.class);
        var org = library.createOrganization(Requests.principal(ctx), body.name(), body.businessNumber(), body.jurisdiction());
        ctx.status(201).json(OrganizationView.of(org));
    }

    void users(Context ctx) {
        String org = ctx.queryParam("organization");
        ctx.json(new ListOf<>(library.users(Requests.principal(ctx), org).stream().map(UserView::of).toList()));
    }

    void createUser(Context ctx) {
        var body = body(ctx, UserBody.class);
        var user = library.createUser(Requests.principal(ctx), body.name(), body.organization(), Identities.roles(body.roles()));
        ctx.status(201).json(UserView.of(user));
    }

    void tokens(Context ctx) {
        Principal who = Requests.principal(ctx);
        String user = ctx.queryParam("user");
        ctx.json(new ListOf<>(library.tokens(who, user).stream().map(TokenView::of).toList()));
    }

    void issueToken(Context ctx) {
        Principal who = Requests.principal(ctx);
        var body = body(ctx, TokenBody.class);
        String user = body.user() == null ? who.name() : body.user();
        Duration life = body.days() == null ? null : Duration.ofDays(body.days());
        var issued = library.issueToken(who, user, Identities.roles(body.scopes()), life, body.label());
        ctx.status(201).json(new IssuedView(issued.token(), TokenView.of(issued.info())));
    }

    void revokeToken(Context ctx) {
        ctx.json(TokenView.of(library.revokeToken(Requests.principal(ctx), ctx.pathParam("id"))));
    }

    void outputs(Context ctx) {
        ctx.json(new ListOf<>(library.outputs(Requests.principal(ctx)).stream().map(OutputView::of).toList()));
    }

    void release(Context ctx) {
        review(ctx, true);
    }

    void reject(Context ctx) {
        review(ctx, false);
    }

    private void review(Context ctx, boolean release) {
        ReviewBody body = ctx.body().isBlank() ? new ReviewBody(null) : ctx.bodyAsClass(ReviewBody.class);
        ctx.json(OutputView.of(library.review(Requests.principal(ctx), ctx.pathParam("id"), release, body == null ? null : body.note())));
    }

    /** A released result, to its analyst: the same JSON shape as a query's. */
    void result(Context ctx) {
        var writer = new Transfers.JsonRows(ctx, json);
        library.releasedOutput(Requests.principal(ctx), ctx.pathParam("id"), writer);
        writer.finish();
    }

    private static <T> T body(Context ctx, Class<T> type) {
        T body = ctx.bodyAsClass(type);
        if (body == null) throw Requests.invalid("body", Requests.Expected.TEXT, 0, 0);
        return body;
    }


    private static List<String> words(Set<Role> roles) {
        return roles.stream().sorted().map(Role::word).toList();
    }
}
