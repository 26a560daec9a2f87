package kr.max.library.model;

import java.time.Instant;
import java.util.List;
import kr.max.core.Classification;

/**
 * Everything one registration commits: the model (created when new, its classification raised to the version's)
 * and the version, with the dataset versions it learned from.
 *
 * @param expectedModelId the model the registration was decided and keyed for, or null for a new one; the commit is
 *                        refused when the catalog no longer agrees
 * @param description     the model's description; null keeps the current one
 */
public record NewModelVersion(Long expectedModelId, String name, String owner, String ownerOrganization, String keyId,
                              String description, String stagingId, String type, Classification classification,
                              boolean domesticOnly, Instant createdAt, String createdBy, String lineageJson,
                              String metricsJson, String cardJson, String objectHash, long bytes, byte[] wrappedKey,
                              List<Long> datasetVersionIds) {

    public NewModelVersion {
        datasetVersionIds = List.copyOf(datasetVersionIds);
    }
}
