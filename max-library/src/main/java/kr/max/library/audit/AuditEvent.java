package kr.max.library.audit;

/**
 * What to record; the chain adds sequence, time and hashes.
 *
 * @param action  {@code ingest}, {@code query}, {@code export}, {@code delete}, {@code show}, …
 * @param outcome {@code ok}, {@code denied} or {@code failed}
 */
public record AuditEvent(String principal, String action, String dataset, Integer version, String outcome,
                         String detail, String queryHash) {

    public static AuditEvent ok(String principal, String action, String dataset, Integer version, String detail) {
        return new AuditEvent(principal, action, dataset, version, "ok", detail, null);
    }

    public AuditEvent withQueryHash(String hash) {
        return new AuditEvent(principal, action, dataset, version, outcome, detail, hash);
    }
}
