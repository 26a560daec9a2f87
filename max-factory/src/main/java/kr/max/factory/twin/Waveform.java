package kr.max.factory.twin;

import java.time.Instant;
import kr.max.core.AssetPath;

/**
 * A block of raw vibration (acceleration in m/s²) from one equipment, one simulation step long.
 *
 * @param equipment    the equipment
 * @param start        simulated time of the first value
 * @param sampleRateHz values per second
 * @param acceleration the values; the listener's own copy
 */
public record Waveform(AssetPath equipment, Instant start, double sampleRateHz, double[] acceleration) {
}
