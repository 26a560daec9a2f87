package kr.max.library.agreement;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.agreement.AccessState.Transition;
import kr.max.library.catalog.Catalog;
import kr.max.library.policy.Action;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Access requests and the agreements they become, kept in the catalog database: one row from filing to
 * the end, moved only along {@link AccessState}'s transitions and only from the state it was read in, so
 * that two deciders never both move one request. Uses are counted per action in rows of their own.
 *
 * <p>This class keeps facts; who may file, decide, revoke or see a request is the policy engine's
 * business, in the library.
 */
public final class Agreements {

    private static final Pattern ID = Pattern.compile("agr-[a-z0-9]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** {@code valid_until} of a policy none of whose permissions has a time window: it never expires. */
    private static final long NEVER = Long.MAX_VALUE;

    private final Jdbi jdbi;

    public Agreements(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * An access request as filed and what became of it.
     *
     * @param agreement   the request or agreement, with its uses so far
     * @param datasetId   the catalog id of the dataset: a dataset deleted and deposited again under the same name
     *                    is another dataset, and this agreement does not cover it
     * @param validUntil  the end of the period granted (while requested: asked for); {@code null} for never
     * @param decidedBy   who approved, narrowed or refused, {@code null} before the provider decided
     * @param reason      the provider's reason for a refusal, may be {@code null}
     * @param endedBy     who withdrew or revoked it, or {@code system} for an expiry; {@code null} while it lives
     */
    public record Entry(Agreement agreement, long datasetId, String requestedBy, Instant requestedAt, Instant validUntil,
                        String decidedBy, Instant decidedAt, String reason, String endedBy, Instant endedAt) {

        public String id() {
            return agreement.id();
        }

        public AccessState state() {
            return agreement.state();
        }

        /** Whether it is {@code ACTIVE} but its period is over at {@code now}: then it is to be expired. */
        public boolean dueToExpireAt(Instant now) {
            return agreement.state() == AccessState.ACTIVE && validUntil != null && !now.isBefore(validUntil);
        }
    }

    /** Whether {@code id} has the form of a request id, so that malformed input is told apart from unknown ids. */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Files a request for {@code terms}; its uses start at zero for every action a policy can govern. */
    public Entry file(long datasetId, String dataset, String provider, String consumer, String requestedBy, Terms terms,
                      Instant at) {
        String id = newId();
        Agreement a = Agreement.requested(id, dataset, provider, consumer, terms);
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO access_agreement (id, dataset_id, dataset, provider, consumer, requested_by, requested_at,
                      requested_actions, requested_purposes, requested_from, requested_until, requested_analysts,
                      requested_max_uses, requested_deidentified, policy, analysts, valid_until, state)
                    VALUES (:id, :datasetId, :dataset, :provider, :consumer, :requestedBy, :at, :actions, :purposes,
                      :from, :until, :analysts, :maxUses, :deidentified, :policy, :analysts, :until, :state)""")
                    .bind("id", id).bind("datasetId", datasetId).bind("dataset", dataset).bind("provider", provider)
                    .bind("consumer", consumer).bind("requestedBy", requestedBy).bind("at", Catalog.micros(at))
                    .bind("actions", actionWords(terms.actions())).bind("purposes", joined(terms.purposes()))
                    .bind("from", Catalog.micros(terms.period().notBefore()))
                    .bind("until", Catalog.micros(terms.period().notAfter()))
                    .bind("analysts", joined(terms.analysts())).bind("maxUses", terms.maxUses())
                    .bind("deidentified", terms.deidentifiedOnly())
                    .bind("policy", a.policy().toJson())
                    .bind("state", a.state().word()).execute();
            var uses = h.prepareBatch("INSERT INTO agreement_use (agreement_id, action, uses) VALUES (:id, :action, 0)");
            for (Action action : Action.values()) {
                if (action.usesData()) uses.bind("id", id).bind("action", action.word()).add();
            }
            uses.execute();
        });
        return require(id);
    }

    public Optional<Entry> find(String id) {
        if (!isId(id)) return Optional.empty();
        return jdbi.withHandle(h -> select(h, "a.id = :id", q -> q.bind("id", id))).stream().findFirst();
    }

    /** The request or agreement, or {@code MAX-AGREE-014}. */
    public Entry require(String id) {
        return find(id).orElseThrow(() -> new MaxException(AgreementError.NO_SUCH_REQUEST, Location.NOWHERE, id));
    }

    /** Every request and agreement, newest first. */
    public List<Entry> all() {
        return jdbi.withHandle(h -> select(h, null, q -> { }));
    }

    /** The {@code ACTIVE} agreements of a consumer organization for one dataset, oldest first, with their uses. */
    public List<Entry> active(long datasetId, String consumer) {
        var out = new ArrayList<Entry>(jdbi.withHandle(h -> select(h, "a.dataset_id = :d AND a.consumer = :c AND a.state = :s",
                q -> q.bind("d", datasetId).bind("c", consumer).bind("s", AccessState.ACTIVE.word()))));
        // Oldest first: with several agreements the engine uses the first that permits, so the order must not wander.
        out.sort(Comparator.comparing(Entry::requestedAt).thenComparing(Entry::id));
        return out;
    }

    /**
     * Moves a request along {@code transition} to {@code after}, if it is still in the transition's source
     * state; empty if another caller moved it first (the caller re-reads and reports the state it found).
     *
     * @param by     who decided, withdrew or revoked, or {@code system} for an expiry
     * @param reason a refusal's reason, else {@code null}
     */
    public Optional<Entry> move(Entry before, Transition transition, Agreement after, String by, Instant at, String reason) {
        if (after.state() != transition.to() || before.state() != transition.from()) {
            throw new IllegalArgumentException(transition.word() + " does not lead from " + before.state() + " to " + after.state());
        }
        boolean decision = transition == Transition.APPROVE || transition == Transition.NARROW || transition == Transition.REFUSE;
        String who = decision ? "decided_by = :by, decided_at = :at, reason = :reason" : "ended_by = :by, ended_at = :at";
        int moved = jdbi.withHandle(h -> h.createUpdate("UPDATE access_agreement SET state = :to, policy = :policy, "
                        + "analysts = :analysts, valid_until = :until, " + who + " WHERE id = :id AND state = :from")
                .bind("to", transition.to().word()).bind("from", transition.from().word()).bind("id", before.id())
                .bind("policy", after.policy().toJson()).bind("analysts", joined(after.analysts()))
                .bind("until", periodEnd(after.policy(), before.validUntil())).bind("by", by).bind("at", Catalog.micros(at))
                .bind("reason", decision ? reason : null)
                .execute());
        return moved == 1 ? Optional.of(require(before.id())) : Optional.empty();
    }

    /**
     * Counts one use of {@code action} under an agreement, atomically: only while it is {@code ACTIVE} and,
     * when {@code expectedUses} is given, only if the count is still the one the decision was taken on. The
     * agreement's row is locked meanwhile, so a revocation or another use either comes before (and this
     * returns false: decide again) or after.
     *
     * @return whether the use was counted
     */
    public boolean countUse(String id, Action action, Long expectedUses, Instant at) {
        return jdbi.inTransaction(h -> {
            Optional<String> state = h.createQuery("SELECT state FROM access_agreement WHERE id = :id FOR UPDATE")
                    .bind("id", id).mapTo(String.class).findOne();
            if (state.isEmpty() || !state.get().equals(AccessState.ACTIVE.word())) return false;
            var update = h.createUpdate("UPDATE agreement_use SET uses = uses + 1, last_used_at = :at "
                            + "WHERE agreement_id = :id AND action = :action" + (expectedUses == null ? "" : " AND uses = :expected"))
                    .bind("at", Catalog.micros(at)).bind("id", id).bind("action", action.word());
            if (expectedUses != null) update.bind("expected", expectedUses.longValue());
            return update.execute() == 1;
        });
    }

    // ---- rows ----

    private static List<Entry> select(Handle h, String where, Consumer<Query> binder) {
        var q = h.createQuery("SELECT a.*, u.action AS use_action, u.uses FROM access_agreement a "
                + "LEFT JOIN agreement_use u ON u.agreement_id = a.id"
                + (where == null ? "" : " WHERE " + where) + " ORDER BY a.requested_at DESC, a.id");
        binder.accept(q);
        var rows = new LinkedHashMap<String, Row>();
        q.map((rs, ctx) -> {
            Row row = rows.computeIfAbsent(rsString(rs, "id"), id -> new Row(rs));
            String action = rs.getString("use_action");
            if (action != null) row.uses.put(Action.fromWord(action).orElseThrow(), rs.getLong("uses"));
            return row;
        }).list();
        return rows.values().stream().map(Row::entry).toList();
    }

    private static String rsString(ResultSet rs, String column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One agreement's columns while its use rows are gathered. */
    private static final class Row {
        final String id;
        final long datasetId;
        final String dataset;
        final String provider;
        final String consumer;
        final String requestedBy;
        final long requestedAt;
        final Terms requested;
        final String policy;
        final Set<String> analysts;
        final long validUntil;
        final AccessState state;
        final String decidedBy;
        final Long decidedAt;
        final String reason;
        final String endedBy;
        final Long endedAt;
        final Map<Action, Long> uses = new EnumMap<>(Action.class);

        Row(ResultSet rs) {
            try {
                id = rs.getString("id");
                datasetId = rs.getLong("dataset_id");
                dataset = rs.getString("dataset");
                provider = rs.getString("provider");
                consumer = rs.getString("consumer");
                requestedBy = rs.getString("requested_by");
                requestedAt = rs.getLong("requested_at");
                requested = new Terms(actions(rs.getString("requested_actions")), split(rs.getString("requested_purposes")),
                        new Constraint.TimeWindow(Catalog.instant(rs.getLong("requested_from")),
                                Catalog.instant(rs.getLong("requested_until"))),
                        split(rs.getString("requested_analysts")), (Long) nullable(rs, "requested_max_uses"),
                        rs.getBoolean("requested_deidentified"));
                policy = rs.getString("policy");
                analysts = split(rs.getString("analysts"));
                validUntil = rs.getLong("valid_until");
                state = AccessState.valueOf(rs.getString("state").toUpperCase(java.util.Locale.ROOT));
                decidedBy = rs.getString("decided_by");
                decidedAt = (Long) nullable(rs, "decided_at");
                reason = rs.getString("reason");
                endedBy = rs.getString("ended_by");
                endedAt = (Long) nullable(rs, "ended_at");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        Entry entry() {
            var agreement = new Agreement(id, dataset, provider, consumer, requested, analysts, UsagePolicy.fromJson(policy),
                    state, uses);
            return new Entry(agreement, datasetId, requestedBy, Catalog.instant(requestedAt),
                    validUntil == NEVER ? null : Catalog.instant(validUntil), decidedBy,
                    decidedAt == null ? null : Catalog.instant(decidedAt), reason, endedBy,
                    endedAt == null ? null : Catalog.instant(endedAt));
        }
    }

    private static Object nullable(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** The end of the latest time window of the policy's permissions; a permission without one never ends. */
    static long periodEnd(UsagePolicy policy, Instant fallback) {
        Instant end = null;
        for (PolicyRule p : policy.permissions()) {
            Instant ruleEnd = null;
            for (Constraint c : p.constraints()) {
                if (c instanceof Constraint.TimeWindow w && (ruleEnd == null || w.notAfter().isBefore(ruleEnd))) ruleEnd = w.notAfter();
            }
            if (ruleEnd == null) return NEVER;
            if (end == null || ruleEnd.isAfter(end)) end = ruleEnd;
        }
        if (end == null) end = fallback;
        return end == null ? NEVER : Catalog.micros(end);
    }

    private static String actionWords(Set<Action> actions) {
        return EnumSet.copyOf(actions).stream().map(Action::word).collect(Collectors.joining(","));
    }

    private static Set<Action> actions(String words) {
        return Arrays.stream(words.split(",")).map(w -> Action.fromWord(w).orElseThrow()).collect(Collectors.toSet());
    }

    /** Sorted and comma-joined, so the same set is always stored alike; members never hold a comma. */
    private static String joined(Set<String> values) {
        return String.join(",", new TreeSet<>(values));
    }

    private static Set<String> split(String joined) {
        if (joined == null || joined.isEmpty()) return Set.of();
        return Set.of(joined.split(","));
    }

    private static String newId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var sb = new StringBuilder("agr-");
        for (int i = 0; i < 12; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return sb.toString();
    }
}
