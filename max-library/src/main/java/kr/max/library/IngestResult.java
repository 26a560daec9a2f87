package kr.max.library;

import java.util.List;
import kr.max.library.ingest.IngestProblem;
import kr.max.library.ingest.SourceInfo;

/**
 * A committed version.
 *
 * @param rejected the first rejected rows' problems when bad rows were skipped
 */
public record IngestResult(String dataset, int version, long rows, long bytes, int chunks, long rejectedRows,
                           List<IngestProblem> rejected, SourceInfo source) {

    public IngestResult {
        rejected = List.copyOf(rejected);
    }
}
