package kr.max.library.audit;

import java.time.Instant;

/**
 * One entry of the audit chain. {@code hash} is SHA-256 over {@code prevHash} and the canonical
 * encoding of every other field, so changing, removing or reordering any record breaks the chain.
 *
 * @param outcome   {@code ok}, {@code denied} or {@code failed}
 * @param detail    short free text without data values or secrets (an error code, a row count)
 * @param queryHash SHA-256 of a query's text, never the text itself (it may hold values)
 */
public record AuditRecord(long seq, Instant at, String principal, String action, String dataset, Integer version,
                          String outcome, String detail, String queryHash, String prevHash, String hash) {
}
