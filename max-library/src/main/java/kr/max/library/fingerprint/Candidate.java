package kr.max.library.fingerprint;

import java.time.Instant;
import java.util.Objects;

/**
 * One export a leaked copy may come from, as the library recorded it.
 *
 * @param exportId   the export's id in the library's records
 * @param recipient  who received it
 * @param exportedAt when
 * @param secret     the export's secret (never printed: its {@code toString} is redacted)
 * @param scheme     how it was marked
 */
public record Candidate(String exportId, String recipient, Instant exportedAt, FingerprintSecret secret,
                        FingerprintScheme scheme) {

    public Candidate {
        Objects.requireNonNull(exportId, "exportId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(scheme, "scheme");
    }
}
