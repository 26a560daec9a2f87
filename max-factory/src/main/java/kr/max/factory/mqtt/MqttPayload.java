package kr.max.factory.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.Quality;
import kr.max.factory.twin.Sample;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON payload of one sample: {@code {"ts": "…Z", "value": 230.4, "quality": "GOOD", "seq": 17}}. */
final class MqttPayload {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MqttPayload() {
    }

    /**
     * Written by hand rather than through a mapper: four fields of known types, on the simulator's thread at tens of
     * thousands of samples a second. A value that is not a number (a BAD sample before any good one) is null.
     */
    static byte[] encode(Sample s) {
        return fields(new StringBuilder(96).append('{'), s).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder fields(StringBuilder b, Sample s) {
        b.append("\"ts\":\"").append(s.time()).append("\",\"value\":");
        if (Double.isFinite(s.value())) b.append(s.value());
        else b.append("null");
        return b.append(",\"quality\":\"").append(s.quality().name()).append("\",\"seq\":").append(s.sequence());
    }

    /**
     * Several samples of one equipment in one message: {@code {"samples":[{"tag":"…","ts":"…","value":…,"quality":"…",
     * "seq":…},…]}}.
     */
    static byte[] encodeBatch(java.util.List<Sample> samples) {
        var b = new StringBuilder(64 + 110 * samples.size()).append("{\"samples\":[");
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (i > 0) b.append(',');
            fields(b.append("{\"tag\":\"").append(s.tag().tag()).append("\","), s).append('}');
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws MaxException {@code MAX-FACTORY-064} naming the topic and what is wrong */
    static java.util.List<Sample> decodeBatch(String topic, kr.max.core.AssetPath equipment, byte[] payload) {
        JsonNode n = tree(topic, payload);
        JsonNode samples = n.get("samples");
        if (samples == null || !samples.isArray()) throw malformed(topic, "\"samples\" is missing or not an array");
        var out = new java.util.ArrayList<Sample>(samples.size());
        for (JsonNode one : samples) {
            JsonNode tag = one.get("tag");
            if (tag == null || !tag.isString() || tag.asString().isEmpty()) throw malformed(topic, "a sample's \"tag\" is missing");
            out.add(sample(topic, new TagPath(equipment, tag.asString()), one));
        }
        return out;
    }

    private static JsonNode tree(String topic, byte[] payload) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (JacksonException e) {
            throw malformed(topic, "not JSON (" + e.getOriginalMessage() + ")");
        }
        if (n == null || !n.isObject()) throw malformed(topic, "not a JSON object");
        return n;
    }

    /** @throws MaxException {@code MAX-FACTORY-064} naming the topic and what is wrong */
    static Sample decode(String topic, TagPath tag, byte[] payload) {
        return sample(topic, tag, tree(topic, payload));
    }

    private static Sample sample(String topic, TagPath tag, JsonNode n) {
        JsonNode ts = n.get("ts");
        JsonNode value = n.get("value");
        JsonNode quality = n.get("quality");
        JsonNode seq = n.get("seq");
        if (ts == null || !ts.isString()) throw malformed(topic, "\"ts\" is missing or not a string");
        Instant time;
        try {
            time = Instant.parse(ts.asString());
        } catch (DateTimeParseException e) {
            throw malformed(topic, "\"ts\" is not an ISO-8601 instant");
        }
        Quality q;
        try {
            q = quality == null ? Quality.GOOD : Quality.valueOf(quality.asString());
        } catch (IllegalArgumentException e) {
            throw malformed(topic, "\"quality\" is not GOOD, BAD or UNCERTAIN");
        }
        double v;
        if (value == null) throw malformed(topic, "\"value\" is missing");
        else if (value.isNumber()) v = value.asDouble();
        else if (value.isNull() && q == Quality.BAD) v = Double.NaN;
        else throw malformed(topic, "\"value\" is not a number");
        if (seq == null || !seq.isIntegralNumber() || seq.asLong() < 1) {
            throw malformed(topic, "\"seq\" is missing or not a positive whole number");
        }
        return new Sample(tag, time, v, q, seq.asLong());
    }

    static MaxException malformed(String topic, String why) {
        return new MaxException(FactoryError.MALFORMED_PAYLOAD, Location.NOWHERE, topic, why);
    }
}
