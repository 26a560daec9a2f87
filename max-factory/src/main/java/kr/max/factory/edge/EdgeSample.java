package kr.max.factory.edge;

import java.time.Instant;
import kr.max.core.AssetPath;
import kr.max.factory.twin.Quality;

/**
 * One sample as the edge keeps and forwards it: the equipment it came from, the tag's id within the equipment, the
 * edge's sequence number for that equipment (contiguous from 1, assigned when the sample became durable), the
 * equipment's time stamp, the value in the tag's unit and its quality.
 */
public record EdgeSample(AssetPath equipment, String tag, long seq, Instant time, double value, Quality quality) {

    /** The source the hub knows this sample's equipment by, without the edge's id: the equipment path. */
    public String source() {
        return equipment.toString();
    }

    public EdgeSample withValue(double newValue) {
        return new EdgeSample(equipment, tag, seq, time, newValue, quality);
    }
}
