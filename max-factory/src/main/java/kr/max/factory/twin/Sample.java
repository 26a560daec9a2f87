package kr.max.factory.twin;

import java.time.Instant;
import kr.max.factory.assets.TagPath;

/**
 * One value of one tag, as a connector would receive it.
 *
 * @param tag      which tag
 * @param time     simulated time of the measurement (UTC)
 * @param value    the value in the tag's unit; whole numbers for integer and bool tags (bool: 0 or 1)
 * @param quality  good, bad or uncertain
 * @param sequence the equipment's running sample number, shared by all its tags and starting at 1: a gap means
 *                 samples were lost on the way (as during a communication loss)
 */
public record Sample(TagPath tag, Instant time, double value, Quality quality, long sequence) {
}
