package kr.max.factory.edge;

import java.util.List;
import kr.max.library.stream.EdgeRules;

/**
 * The hub as the edge sees it: a stream endpoint that commits numbered samples per source and says how far it has
 * committed, and the stream dataset's edge rules (what may leave the plant, decision 0019). The hub dedupes by
 * sequence number (it ignores what is at or below its high-water mark), so sending a sample twice is harmless and the
 * edge may replay after a crash.
 *
 * <p>Outcomes are values, not exceptions: the forwarder must handle each ({@link Reply}, {@link RulesReply}).
 */
public interface HubClient {

    /** What the hub said to samples or to a mark query. */
    sealed interface Reply permits Committed, Unavailable, Refused {
    }

    /** What the hub said when asked for its edge rules. */
    sealed interface RulesReply permits Rules, Unreadable, Unavailable, Refused {
    }

    /**
     * The hub has committed the source's samples through {@code committedThrough}; its edge rules in force are version
     * {@code rulesVersion} (-1 when the hub did not say).
     */
    record Committed(long committedThrough, long rulesVersion) implements Reply {

        public Committed(long committedThrough) {
            this(committedThrough, -1);
        }
    }

    /** The hub's edge rules for the dataset. */
    record Rules(EdgeRules rules) implements RulesReply {
    }

    /** The hub answered rules this edge cannot apply (a field it does not know, a step that is no number). */
    record Unreadable(String reason) implements RulesReply {
    }

    /** Try again later: the hub is down, overloaded (429), failing (5xx), too slow, or its answer was unreadable. */
    record Unavailable(String reason) implements Reply, RulesReply {
    }

    /** The hub refused for good (4xx other than 429): retrying the same request cannot help. */
    record Refused(int status, String message) implements Reply, RulesReply {
    }

    /**
     * Sends samples of one source, in sequence order, filtered under the hub's edge rules of {@code rulesVersion}: a hub
     * whose rules have changed since takes none of them and answers its newer version.
     *
     * @param source the edge's id and the equipment path ({@code edge-1/site/area/line/cell/equipment})
     */
    Reply post(String dataset, String source, long rulesVersion, List<EdgeSample> samples);

    /** How far the hub has committed {@code source} (0 if it has never seen it). */
    Reply committedThrough(String dataset, String source);

    /** The dataset's edge rules in force. */
    RulesReply rules(String dataset);

    /** Where the hub is, for messages (no credentials). */
    String endpoint();
}
