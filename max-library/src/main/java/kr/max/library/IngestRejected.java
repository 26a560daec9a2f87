package kr.max.library;

import java.util.List;
import kr.max.core.MaxException;
import kr.max.library.ingest.IngestProblem;

/**
 * A file was refused because of bad rows; nothing was committed. Carries every problem found up to
 * the requested maximum; the exception's own code and place are those of the first.
 */
public final class IngestRejected extends MaxException {

    private final transient List<IngestProblem> problems;
    private final long problemCount;

    public IngestRejected(String fileName, List<IngestProblem> problems, long problemCount) {
        super(problems.getFirst().toException(fileName).code(), problems.getFirst().toException(fileName).location(),
                problems.getFirst().toException(fileName).args());
        this.problems = List.copyOf(problems);
        this.problemCount = problemCount;
    }

    public List<IngestProblem> problems() {
        return problems;
    }

    /** All problems counted, which may exceed those listed. */
    public long problemCount() {
        return problemCount;
    }
}
