package kr.max.library.stream;

import java.time.Instant;

/**
 * One sample of one signal, as equipment reported it.
 *
 * @param sequence the source's own counter: it only grows per source, so a sample at or below the source's
 *                 committed mark is a replay and is dropped ({@link Streams#highWaterMark})
 * @param time     when the value was measured (the equipment's time, not arrival); any hour, late or not
 * @param asset    the ISA-95 path of the equipment, {@code site/area/line/cell/equipment} (1 to 5 levels)
 * @param tag      the signal's name at the equipment ({@code barrel_temp_zone1})
 * @param value    the value; NaN or an infinity (a sensor's failure) is stored as missing, with its quality
 * @param quality  the source's word for the value's quality ({@code GOOD}, {@code BAD}, {@code UNCERTAIN}), or null
 */
public record StreamSample(long sequence, Instant time, String asset, String tag, double value, String quality) {
}
