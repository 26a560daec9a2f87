package kr.max.library.model;

import java.time.Instant;
import kr.max.core.Classification;

/**
 * A model in the registry: a library asset like a dataset, owned by the organization that trained or imported it.
 *
 * @param classification the highest classification of its versions
 * @param domesticOnly   whether any version learned from domestic-only data
 * @param keyId          its key-encryption key in the key management service (never leaves the library)
 */
public record Model(long id, String name, String owner, String ownerOrganization, Classification classification,
                    boolean domesticOnly, String description, String keyId, Instant createdAt) {
}
