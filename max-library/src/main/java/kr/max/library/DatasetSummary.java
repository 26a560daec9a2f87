package kr.max.library;

import java.time.Instant;
import kr.max.core.Classification;

/** A line of the dataset list: the latest version's figures. */
public record DatasetSummary(String name, Classification classification, String owner, int versions, long rows,
                             long bytes, Instant updatedAt) {
}
