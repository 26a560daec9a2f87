package kr.max.library.catalog;

import java.time.Instant;

/**
 * An immutable version of a dataset.
 *
 * @param rejectedDetail sealed (encrypted) list of rejected rows, or {@code null}
 * @param zoneMaps       sealed list of the chunks' zone maps, in chunk order, or {@code null}
 * @param wrappedKey     the version's data key wrapped by the dataset's key-encryption key
 */
public record DatasetVersion(long id, long datasetId, int number, String ingestId, Instant createdAt,
                             String createdBy, long rows, long bytes, String sourceName, String sourceSha256,
                             String sourceFormat, String sourceEncoding, String dictionaryYaml,
                             long rejectedRows, byte[] rejectedDetail, byte[] zoneMaps, byte[] wrappedKey) {
}
