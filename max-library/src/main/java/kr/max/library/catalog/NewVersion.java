package kr.max.library.catalog;

import java.util.List;
import kr.max.core.Classification;

/** Everything one commit writes: the dataset (created if new), the version and its chunks. */
public record NewVersion(String datasetName, String owner, Classification classification, String keyId,
                         String ingestId, String createdBy, long rows, long bytes, String sourceName,
                         String sourceSha256, String sourceFormat, String sourceEncoding, String dictionaryYaml,
                         long rejectedRows, byte[] rejectedDetail, byte[] zoneMaps, byte[] wrappedKey,
                         List<Chunk> chunks) {

    public NewVersion {
        chunks = List.copyOf(chunks);
    }
}
