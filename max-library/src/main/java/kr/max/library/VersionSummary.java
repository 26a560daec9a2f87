package kr.max.library;

import java.time.Instant;

/** One version as shown to users. */
public record VersionSummary(int number, Instant createdAt, String createdBy, long rows, long bytes, int chunks,
                             String sourceName, String sourceSha256, String sourceFormat, String sourceEncoding,
                             long rejectedRows) {
}
