package kr.max.library.stream;

/**
 * What one compaction run did to a stream dataset: how many hour partitions it merged, how many chunks it replaced
 * by how many, and their rows and bytes. The rows are the same before and after; the bytes usually shrink.
 *
 * @param partitions   hour partitions merged
 * @param chunksBefore chunks replaced
 * @param chunksAfter  chunks that replaced them
 * @param rows         rows in the replaced chunks (and in their replacements)
 * @param bytesBefore  stored bytes of the replaced chunks
 * @param bytesAfter   stored bytes of their replacements
 */
public record StreamCompaction(String dataset, int partitions, int chunksBefore, int chunksAfter, long rows,
                               long bytesBefore, long bytesAfter) {

    /** The figures as the audit record carries them. */
    public String detail() {
        return "partitions=" + partitions + " chunks-before=" + chunksBefore + " chunks-after=" + chunksAfter + " rows=" + rows
                + " bytes-before=" + bytesBefore + " bytes-after=" + bytesAfter;
    }

    StreamCompaction plus(StreamCompaction o) {
        return new StreamCompaction(dataset, partitions + o.partitions, chunksBefore + o.chunksBefore, chunksAfter + o.chunksAfter,
                rows + o.rows, bytesBefore + o.bytesBefore, bytesAfter + o.bytesAfter);
    }
}
