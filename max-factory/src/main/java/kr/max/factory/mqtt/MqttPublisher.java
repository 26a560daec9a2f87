package kr.max.factory.mqtt;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes the twin's samples to an MQTT broker, as an edge gateway would: topic
 * {@code max/{site}/{area}/{line}/{equipment}/{tag}} (no cell), JSON payload
 * {@code {"ts": "2026-03-02T00:00:01Z", "value": 230.4, "quality": "GOOD", "seq": 17}}, QoS 1, not retained.
 *
 * <p>Add it to a {@link kr.max.factory.twin.LineSimulator} as a listener. Publishing is asynchronous with at most
 * {@value #IN_FLIGHT} messages awaiting the broker's acknowledgement; beyond that {@link #onSample} waits, which
 * slows a simulation running as fast as possible to what the broker takes instead of dropping samples. While the
 * broker is away, up to {@value #OFFLINE_BUFFER} messages are buffered (oldest dropped) and the client reconnects.
 */
public final class MqttPublisher implements SampleListener, AutoCloseable {

    static final int IN_FLIGHT = 1000;
    /** How long {@link #close} waits for room to send what is left, before dropping it. */
    private static final long CLOSING_WAIT_SECONDS = 5;
    static final int OFFLINE_BUFFER = 10_000;

    private final MqttAsyncClient client;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final java.util.Map<TagPath, String> topics = new java.util.concurrent.ConcurrentHashMap<>();
    private final IMqttActionListener release = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            published.incrementAndGet();
            inFlight.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            dropped.incrementAndGet();
            inFlight.release();
        }
    };

    /** Batches per equipment (batched mode only), filled on the simulator's thread. */
    private final java.util.Map<kr.max.core.AssetPath, java.util.List<Sample>> batches;
    private volatile boolean closing;
    private long batchStarted;
    private int batched;
    /** A batch leaves after this much wall time or this many samples, whichever comes first. */
    static final long BATCH_NANOS = 20_000_000;
    /** At about 110 bytes a sample, a batch stays under the broker's 64 KiB message limit. */
    static final int BATCH_SAMPLES = 400;

    private MqttPublisher(MqttAsyncClient client, boolean batched) {
        this.client = client;
        this.batches = batched ? new java.util.LinkedHashMap<>() : null;
    }

    /**
     * Connects to the broker at {@code url} ({@code tcp://host:port}) as client {@code clientId}.
     *
     * @param model the asset model the samples come from; its equipment ids must be unique within each line
     * @throws MaxException {@code MAX-FACTORY-060} if the broker cannot be reached
     */
    public static MqttPublisher connect(String url, String clientId, AssetModel model) {
        return connect(url, clientId, model, false);
    }

    /**
     * As {@link #connect(String, String, AssetModel)}; with {@code batched}, an equipment's samples go together, in
     * order, as one message on its batch topic ({@code max/site/area/line/equipment/_samples}) instead of one message
     * per tag: one MQTT message per sample costs about 100 µs of CPU through client and broker, which caps a line near
     * 10,000 samples a second (docs/benchmarks.md). Batches leave at the first sample {@value #BATCH_NANOS} ns of wall
     * time after the first one waiting, at {@value #BATCH_SAMPLES} samples, or on {@link #flush()} — so a sample waits
     * at most until the line's next sample (a second at most on the demo line in real time).
     */
    public static MqttPublisher connect(String url, String clientId, AssetModel model, boolean batched) {
        new MqttTopics(model); // refuses a model whose topics would collide
        try {
            var client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            var options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setAutomaticReconnect(true);
            options.setMaxInflight(IN_FLIGHT);
            options.setConnectionTimeout(10);
            var buffer = new DisconnectedBufferOptions();
            buffer.setBufferEnabled(true);
            buffer.setBufferSize(OFFLINE_BUFFER);
            buffer.setDeleteOldestMessages(true);
            buffer.setPersistBuffer(false);
            client.setBufferOpts(buffer);
            client.connect(options).waitForCompletion(10_000);
            return new MqttPublisher(client, batched);
        } catch (MqttException e) {
            throw new MaxException(FactoryError.CONNECT_FAILED, Location.NOWHERE, e, "MQTT", url, e.toString());
        }
    }

    @Override
    public synchronized void onSample(Sample sample) {
        if (batches != null) {
            long now = System.nanoTime();
            if (batched == 0) batchStarted = now;
            batches.computeIfAbsent(sample.tag().equipment(), k -> new java.util.ArrayList<>()).add(sample);
            if (++batched >= BATCH_SAMPLES || now - batchStarted >= BATCH_NANOS) flush();
            return;
        }
        send(topics.computeIfAbsent(sample.tag(), MqttTopics::topic), MqttPayload.encode(sample), 1);
    }

    /** Publishes the batches waiting (batched mode); nothing otherwise. Call on the simulator's thread. */
    public synchronized void flush() {
        if (batches == null) return;
        for (var e : batches.entrySet()) {
            if (!e.getValue().isEmpty()) send(MqttTopics.batchTopic(e.getKey()), MqttPayload.encodeBatch(e.getValue()), e.getValue().size());
        }
        batches.clear();
        batched = 0;
    }

    private void send(String topic, byte[] payload, int samples) {
        var message = new MqttMessage(payload);
        message.setQos(1);
        try {
            // Once closing, a broker that stopped acknowledging must not hold the caller (the simulator's thread, or
            // close() itself) for ever: what finds no room within the closing wait is lost.
            long giveUpAt = 0;
            while (!inFlight.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!closing) continue;
                long now = System.nanoTime();
                if (giveUpAt == 0) {
                    giveUpAt = now + java.util.concurrent.TimeUnit.SECONDS.toNanos(CLOSING_WAIT_SECONDS);
                } else if (now - giveUpAt > 0) {
                    dropped.addAndGet(samples);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped.addAndGet(samples);
            return;
        }
        try {
            client.publish(topic, message, null, release);
        } catch (MqttException e) {
            // the offline buffer is full or the client is closing: the sample is lost, as on a real gateway
            dropped.addAndGet(samples);
            inFlight.release();
        }
    }

    /** Messages the broker has acknowledged. */
    public long published() {
        return published.get();
    }

    /** Samples that could not be handed to the broker. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        closing = true;
        // what waits in batches goes first (the simulator has stopped calling by now, or has been given up on)
        if (client.isConnected()) flush();
        try {
            if (client.isConnected()) client.disconnect().waitForCompletion(5_000);
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }
}
