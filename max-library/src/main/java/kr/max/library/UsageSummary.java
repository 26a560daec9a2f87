package kr.max.library;

import java.time.Instant;

/**
 * How one principal used a dataset for one purpose, as the audit chain tells it: for the provider's view of
 * who used their data, what for and how often.
 *
 * @param principal    who acted
 * @param organization their organization at the time, {@code null} in records written before it was recorded
 * @param action       {@code query}, {@code export} or {@code train}
 * @param purpose      the stated purpose, {@code null} when none was stated
 * @param uses         permitted uses
 * @param refused      attempts the policy denied
 * @param lastAt       the last use or attempt
 */
public record UsageSummary(String principal, String organization, String action, String purpose, long uses, long refused,
                           Instant lastAt) {
}
