package kr.max.library.catalog;

import java.util.List;
import kr.max.core.Classification;

/**
 * Everything one commit writes: the dataset (created if new), the version and its chunks.
 *
 * @param owner             the depositing principal, owner of a new dataset
 * @param ownerOrganization the owner's organization (for a new dataset)
 * @param expectedDatasetId the dataset the deposit was decided and keyed for, or {@code null} for a new one;
 *                          the commit is refused when the catalog no longer agrees
 */
public record NewVersion(Long expectedDatasetId, String datasetName, String owner, String ownerOrganization,
                         Classification classification, String keyId,
                         String ingestId, String createdBy, long rows, long bytes, String sourceName,
                         String sourceSha256, String sourceFormat, String sourceEncoding, String dictionaryYaml,
                         long rejectedRows, byte[] rejectedDetail, byte[] zoneMaps, byte[] wrappedKey,
                         List<Chunk> chunks) {

    public NewVersion {
        chunks = List.copyOf(chunks);
    }
}
