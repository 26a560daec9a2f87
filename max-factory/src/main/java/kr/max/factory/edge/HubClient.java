package kr.max.factory.edge;

import java.util.List;

/**
 * The hub as the edge sees it: a stream endpoint that commits numbered samples per source and says how far it has
 * committed. The hub dedupes by sequence number (it ignores what is at or below its high-water mark), so sending a
 * sample twice is harmless and the edge may replay after a crash.
 *
 * <p>Outcomes are values, not exceptions: the forwarder must handle all three ({@link Reply}).
 */
public interface HubClient {

    /** What the hub said. */
    sealed interface Reply permits Committed, Unavailable, Refused {
    }

    /** The hub has committed the source's samples through {@code committedThrough}. */
    record Committed(long committedThrough) implements Reply {
    }

    /** Try again later: the hub is down, overloaded (429), failing (5xx), too slow, or its answer was unreadable. */
    record Unavailable(String reason) implements Reply {
    }

    /** The hub refused for good (4xx other than 429): retrying the same request cannot help. */
    record Refused(int status, String message) implements Reply {
    }

    /**
     * Sends samples of one source, in sequence order.
     *
     * @param source the edge's id and the equipment path ({@code edge-1/site/area/line/cell/equipment})
     */
    Reply post(String dataset, String source, List<EdgeSample> samples);

    /** How far the hub has committed {@code source} (0 if it has never seen it). */
    Reply committedThrough(String dataset, String source);

    /** Where the hub is, for messages (no credentials). */
    String endpoint();
}
