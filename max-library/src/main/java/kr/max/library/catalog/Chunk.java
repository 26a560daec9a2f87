package kr.max.library.catalog;

/** One encrypted Parquet chunk of a version; its zone map is in the version's sealed list, at {@code seq}. */
public record Chunk(int seq, String objectHash, long rows, long bytes) {
}
