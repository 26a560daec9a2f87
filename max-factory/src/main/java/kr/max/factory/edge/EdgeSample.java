package kr.max.factory.edge;

import java.time.Instant;
import kr.max.core.AssetPath;
import kr.max.factory.twin.Quality;

/**
 * One sample as the edge keeps and forwards it.
 *
 * @param source  the equipment's path ({@code site/area/line/cell/equipment}): the edge numbers samples per
 *                equipment, and the hub knows the source as {@code edge-id/} followed by this
 * @param tag     the tag's id within the equipment
 * @param seq     the edge's sequence number for the equipment, contiguous from 1, given when the sample became durable
 * @param time    the equipment's time stamp
 * @param value   the value in the tag's unit (NaN for a BAD sample with no good value before it)
 * @param quality good, bad or uncertain
 */
public record EdgeSample(String source, String tag, long seq, Instant time, double value, Quality quality) {

    public AssetPath equipment() {
        return AssetPath.parse(source);
    }

    public EdgeSample withValue(double newValue) {
        return new EdgeSample(source, tag, seq, time, newValue, quality);
    }
}
