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
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON payload of one sample: {@code {"ts": "…Z", "value": 230.4, "quality": "GOOD", "seq": 17}}, and of a batch of an
 * equipment's samples ({@link #encodeBatch}).
 */
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
     * Several samples of one equipment in one message, column names once and rows as arrays:
     * {@code {"v":2,"t0":"…Z","tags":["cushion","melt-temperature"],"s":[[0,0,5.1,17],[1000000,1,231.4,18,"BAD"]]}},
     * each row being nanoseconds after {@code t0}, the index of its tag in {@code tags}, the value (null for NaN), the
     * sequence number and, only when it is not GOOD, the quality. A row costs about 35 bytes instead of the 110 of a
     * sample object, and the MQTT client reads payloads a byte at a time: the size is most of the subscriber's cost
     * (docs/benchmarks.md). {@link #decodeBatch} still reads the older {@code {"samples":[{…}]}} form.
     */
    static byte[] encodeBatch(java.util.List<Sample> samples) {
        Instant t0 = samples.getFirst().time();
        var tags = new java.util.LinkedHashMap<String, Integer>();
        for (Sample s : samples) tags.putIfAbsent(s.tag().tag(), tags.size());
        var b = new StringBuilder(64 + 24 * tags.size() + 40 * samples.size());
        b.append("{\"v\":2,\"t0\":\"").append(t0).append("\",\"tags\":[");
        int i = 0;
        for (String tag : tags.keySet()) {
            if (i++ > 0) b.append(',');
            // tag ids are [a-z0-9-] (AssetModel checks them), so they need no escaping
            b.append('"').append(tag).append('"');
        }
        b.append("],\"s\":[");
        for (i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (i > 0) b.append(',');
            long dt = java.time.Duration.between(t0, s.time()).toNanos();
            b.append('[').append(dt).append(',').append(tags.get(s.tag().tag())).append(',');
            if (Double.isFinite(s.value())) b.append(s.value());
            else b.append("null");
            b.append(',').append(s.sequence());
            if (s.quality() != Quality.GOOD) b.append(",\"").append(s.quality().name()).append('"');
            b.append(']');
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a batch in either form; the whole batch is refused if any row is wrong, so a consumer never takes half.
     *
     * @throws MaxException {@code MAX-FACTORY-064} naming the topic and what is wrong
     */
    static java.util.List<Sample> decodeBatch(String topic, kr.max.core.AssetPath equipment, byte[] payload) {
        if (!isRowForm(payload)) return decodeObjects(topic, equipment, payload);
        try (JsonParser p = JSON.createParser(payload)) {
            return new RowBatch(topic, equipment, p).read();
        } catch (JacksonException e) {
            throw malformed(topic, "not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** The row form starts with {@code {"v":2}; anything else is read as the older object form. */
    private static boolean isRowForm(byte[] payload) {
        int i = 0;
        while (i < payload.length && Character.isWhitespace(payload[i])) i++;
        return payload.length - i >= 5 && payload[i] == '{' && payload[i + 1] == '"' && payload[i + 2] == 'v' && payload[i + 3] == '"';
    }

    private static java.util.List<Sample> decodeObjects(String topic, kr.max.core.AssetPath equipment, byte[] payload) {
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

    /**
     * A streaming read of the row form: no tree, no per-sample string parsing of time stamps — at tens of thousands
     * of samples a second the tree and {@link Instant#parse} were a fifth of the subscriber's time.
     */
    private static final class RowBatch {
        private final String topic;
        private final kr.max.core.AssetPath equipment;
        private final JsonParser p;
        private Instant t0;
        private TagPath[] tags;

        RowBatch(String topic, kr.max.core.AssetPath equipment, JsonParser p) {
            this.topic = topic;
            this.equipment = equipment;
            this.p = p;
        }

        java.util.List<Sample> read() {
            expect(p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
            // rows may come before "t0" and "tags" in a hand-written payload: keep them raw until the end
            java.util.List<Row> raw = null;
            long version = -1;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "v" -> {
                        expect(t == JsonToken.VALUE_NUMBER_INT, "\"v\" is not a whole number");
                        version = p.getLongValue();
                    }
                    case "t0" -> {
                        expect(t == JsonToken.VALUE_STRING, "\"t0\" is missing or not a string");
                        try {
                            t0 = Instant.parse(p.getString());
                        } catch (DateTimeParseException e) {
                            throw malformed(topic, "\"t0\" is not an ISO-8601 instant");
                        }
                    }
                    case "tags" -> {
                        expect(t == JsonToken.START_ARRAY, "\"tags\" is not an array");
                        var list = new java.util.ArrayList<TagPath>();
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            String tag = p.getString();
                            expect(!tag.isEmpty(), "a tag in \"tags\" is empty");
                            list.add(new TagPath(equipment, tag));
                        }
                        expect(p.currentToken() == JsonToken.END_ARRAY, "\"tags\" holds something other than strings");
                        tags = list.toArray(TagPath[]::new);
                    }
                    case "s" -> {
                        expect(t == JsonToken.START_ARRAY, "\"s\" is not an array");
                        raw = new java.util.ArrayList<>();
                        while (p.nextToken() == JsonToken.START_ARRAY) raw.add(row(raw.size() + 1));
                        expect(p.currentToken() == JsonToken.END_ARRAY, "\"s\" holds something other than rows");
                    }
                    default -> p.skipChildren();
                }
            }
            expect(version == 2, "\"v\" is missing or not 2");
            expect(t0 != null, "\"t0\" is missing or not a string");
            expect(tags != null, "\"tags\" is missing");
            expect(raw != null, "\"s\" is missing");
            var rows = new java.util.ArrayList<Sample>(raw.size());
            for (int i = 0; i < raw.size(); i++) {
                Row r = raw.get(i);
                if (r.tag() < 0 || r.tag() >= tags.length) {
                    throw malformed(topic, "row " + (i + 1) + ": tag index " + r.tag() + " is not in \"tags\" (" + tags.length + ")");
                }
                rows.add(new Sample(tags[(int) r.tag()], t0.plusNanos(r.dt()), r.value(), r.quality(), r.seq()));
            }
            return rows;
        }

        /** {@code [dt, tag, value, seq(, quality)]}, the parser on its START_ARRAY. */
        private record Row(long dt, long tag, double value, long seq, Quality quality) {
        }

        private Row row(int n) {
            String where = "row " + n;
            expect(p.nextToken() == JsonToken.VALUE_NUMBER_INT, where + ": the time offset is not a whole number of nanoseconds");
            long dt = p.getLongValue();
            expect(p.nextToken() == JsonToken.VALUE_NUMBER_INT, where + ": the tag index is not a whole number");
            long tag = p.getLongValue();
            JsonToken v = p.nextToken();
            double value;
            if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) value = p.getDoubleValue();
            else if (v == JsonToken.VALUE_NULL) value = Double.NaN;
            else throw malformed(topic, where + ": the value is not a number");
            expect(p.nextToken() == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 1,
                    where + ": the sequence number is not a positive whole number");
            long seq = p.getLongValue();
            Quality q = Quality.GOOD;
            JsonToken next = p.nextToken();
            if (next == JsonToken.VALUE_STRING) {
                try {
                    q = Quality.valueOf(p.getString());
                } catch (IllegalArgumentException e) {
                    throw malformed(topic, where + ": the quality is not GOOD, BAD or UNCERTAIN");
                }
                next = p.nextToken();
            }
            expect(next == JsonToken.END_ARRAY, where + ": more than five fields");
            if (Double.isNaN(value) && q != Quality.BAD) throw malformed(topic, where + ": the value is not a number");
            return new Row(dt, tag, value, seq, q);
        }

        private void expect(boolean ok, String why) {
            if (!ok) throw malformed(topic, why);
        }
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
