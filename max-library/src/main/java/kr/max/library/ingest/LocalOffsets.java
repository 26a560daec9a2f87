package kr.max.library.ingest;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The zone offset of local times, fast: remembers the span of local time between two transitions in which the
 * offset is constant, so consecutive values need no lookup. Asia/Seoul is not a fixed-offset zone for java.time
 * (it had daylight saving in 1987–88), but every local time since then falls in one span. In a daylight-saving gap
 * or overlap the offset before the change is used, as {@link ZoneRules#getOffset(LocalDateTime)} does. Not
 * thread-safe.
 */
final class LocalOffsets {

    private final ZoneRules rules;
    private long spanStart = Long.MAX_VALUE;
    private long spanEnd = Long.MIN_VALUE;
    private int spanOffset;

    LocalOffsets(ZoneId zone) {
        this.rules = zone.getRules();
    }

    /** Offset in seconds of the local time given as seconds since 1970-01-01T00:00 local. */
    int offsetSeconds(long localSeconds) {
        if (localSeconds >= spanStart && localSeconds < spanEnd) return spanOffset;
        int offset = rules.getOffset(LocalDateTime.ofEpochSecond(localSeconds, 0, ZoneOffset.UTC)).getTotalSeconds();
        Instant instant = Instant.ofEpochSecond(localSeconds - offset);
        ZoneOffsetTransition previous = rules.previousTransition(instant.plusSeconds(1));
        ZoneOffsetTransition next = rules.nextTransition(instant);
        // The span excludes the gap or overlap around each transition, where local times are not plain.
        spanStart = previous == null ? Long.MIN_VALUE : Math.max(local(previous.getDateTimeBefore()), local(previous.getDateTimeAfter()));
        spanEnd = next == null ? Long.MAX_VALUE : Math.min(local(next.getDateTimeBefore()), local(next.getDateTimeAfter()));
        spanOffset = offset;
        if (localSeconds < spanStart || localSeconds >= spanEnd) {
            spanStart = Long.MAX_VALUE; // inside a gap or overlap: answer directly, remember nothing
            spanEnd = Long.MIN_VALUE;
        }
        return offset;
    }

    private static long local(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC);
    }
}
