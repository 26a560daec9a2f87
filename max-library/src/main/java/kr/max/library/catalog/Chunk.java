package kr.max.library.catalog;

/**
 * One encrypted Parquet chunk of a version.
 *
 * @param zoneMap sealed min/max of the timestamp and asset columns, for pruning
 */
public record Chunk(int seq, String objectHash, long rows, long bytes, byte[] zoneMap) {
}
