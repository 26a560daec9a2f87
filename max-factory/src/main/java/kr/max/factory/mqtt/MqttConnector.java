package kr.max.factory.mqtt;

import java.util.concurrent.atomic.AtomicLong;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.Connector;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to samples published under {@code max/{site}/{area}/{line}/{equipment}/{tag}} (QoS 1) and delivers
 * them as {@link Sample}s, keeping the publisher's time stamp and sequence number.
 *
 * <p>A message that is not a sample (not JSON, a field missing or of the wrong kind, a topic naming no tag of the
 * asset model) is logged once with its topic and the reason ({@code MAX-FACTORY-064}), counted in
 * {@link #malformed()}, and skipped; the stream goes on. Payload values are plant data, not secrets, but they are
 * not logged either: the reason says what is wrong without them.
 *
 * <p>MQTT carries measurements here; {@link #write} is refused ({@code MAX-FACTORY-061}) — setpoints go over OPC UA
 * or Modbus, which acknowledge a write with the equipment's answer.
 */
public final class MqttConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnector.class);

    private final String url;
    private final String clientId;
    private final String filter;
    private final MqttTopics topics;
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile MqttAsyncClient client;

    /**
     * @param url      broker, {@code tcp://host:port}
     * @param clientId this subscriber's client id
     * @param model    the asset model, to find each topic's tag (the topic leaves out the cell)
     * @param filter   topic filter, {@code max/#} for everything or {@code max/changwon/molding/line-1/#} for a line
     */
    public MqttConnector(String url, String clientId, AssetModel model, String filter) {
        this.url = url;
        this.clientId = clientId;
        this.filter = filter;
        this.topics = new MqttTopics(model);
    }

    /** Every sample under {@code max/#}. */
    public MqttConnector(String url, String clientId, AssetModel model) {
        this(url, clientId, model, MqttTopics.ROOT + "/#");
    }

    @Override
    public String protocol() {
        return "MQTT";
    }

    @Override
    public void start(SampleListener listener) {
        try {
            var c = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            c.setCallback(new MqttCallbackExtended() {
                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                    // a clean session forgets subscriptions: take them again after an automatic reconnect
                    if (reconnect) subscribe(c);
                }

                @Override
                public void connectionLost(Throwable cause) {
                    LOG.warn("MQTT connection to {} lost ({}); reconnecting", url, cause.toString());
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    deliver(topic, message.getPayload(), listener);
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            var options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setAutomaticReconnect(true);
            options.setConnectionTimeout(10);
            c.connect(options).waitForCompletion(10_000);
            client = c;
            // QoS 1: at QoS 0 the broker drops what a busy subscriber cannot take. Moquette acknowledges deliveries in
            // a small window, which holds one-message-per-sample topics to a few hundred samples a second; a line that
            // publishes batches per equipment (MqttPublisher batched) carries tens of thousands (docs/benchmarks.md)
            c.subscribe(filter, 1).waitForCompletion(10_000);
        } catch (MqttException e) {
            throw new MaxException(FactoryError.CONNECT_FAILED, Location.NOWHERE, e, "MQTT", url, e.toString());
        }
    }

    private void subscribe(MqttAsyncClient c) {
        try {
            c.subscribe(filter, 1);
        } catch (MqttException e) {
            LOG.warn("MQTT subscription to {} on {} failed: {}", filter, url, e.toString());
        }
    }

    void deliver(String topic, byte[] payload, SampleListener listener) {
        Sample sample;
        try {
            TagPath tag = topics.tagOf(topic);
            if (tag == null) throw MqttPayload.malformed(topic, "the topic names no tag of the asset model");
            if (tag.tag().equals(MqttTopics.BATCH)) {
                var batch = MqttPayload.decodeBatch(topic, tag.equipment(), payload);
                received.addAndGet(batch.size());
                for (Sample s : batch) listener.onSample(s);
                return;
            }
            sample = MqttPayload.decode(topic, tag, payload);
        } catch (MaxException e) {
            malformed.incrementAndGet();
            LOG.warn(e.getMessage());
            return;
        }
        received.incrementAndGet();
        listener.onSample(sample);
    }

    /** Messages skipped because they were not samples. */
    public long malformed() {
        return malformed.get();
    }

    /** Samples delivered. */
    public long received() {
        return received.get();
    }

    @Override
    public void write(TagPath tag, double value) {
        throw new MaxException(FactoryError.PROTOCOL_READ_ONLY, Location.NOWHERE, tag.toString(), protocol());
    }

    @Override
    public void close() {
        MqttAsyncClient c = client;
        if (c == null) return;
        try {
            // stop deliveries first: closing while the broker still sends made Paho's receiver thread fail on a
            // released timer (a NullPointerException printed on every stop of a busy line)
            if (c.isConnected()) c.unsubscribe(filter).waitForCompletion(5_000);
            if (c.isConnected()) c.disconnect(2_000).waitForCompletion(5_000);
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            c.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }
}
