package kr.max.factory;

import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;

/**
 * The platform's side of one equipment protocol: it reaches equipment (or the twin's protocol server), delivers
 * what the equipment reports as {@link Sample}s and, where the protocol allows, writes setpoints.
 *
 * <p>Samples carry the tag's ISA-95 path, the equipment's time stamp (the source time, not the arrival time), the
 * value in the tag's unit, its quality and a per-equipment sequence number that only grows. Where the protocol
 * carries the equipment's own sample number (MQTT payloads) that number is kept, so a gap shows lost samples; where
 * it does not (OPC UA, Modbus) the connector numbers the samples of each equipment as they arrive.
 *
 * <p>Samples reach the listener on the connector's own thread, one at a time, in arrival order per equipment; a
 * listener that is slow slows the connector, so hand samples to a queue for heavy work. A connector that loses its
 * connection reconnects by itself and carries on, without leaving sessions or subscriptions behind on the server.
 *
 * <p>Implementations: {@code kr.max.factory.opcua.OpcUaConnector}, {@code kr.max.factory.mqtt.MqttConnector},
 * {@code kr.max.factory.modbus.ModbusConnector}.
 */
public interface Connector extends AutoCloseable {

    /** The protocol's name as users know it ({@code OPC UA}, {@code MQTT}, {@code Modbus TCP}). */
    String protocol();

    /**
     * Connects and starts delivering samples of the connector's tags to {@code listener}. Returns once connected
     * and subscribed (or polling), so a sample produced after the return is delivered.
     *
     * @throws kr.max.core.MaxException {@code MAX-FACTORY-060} if the equipment cannot be reached
     */
    void start(SampleListener listener);

    /**
     * Writes a setpoint and returns once the equipment has accepted it.
     *
     * @throws kr.max.core.MaxException {@code MAX-FACTORY-061} the protocol cannot write here, {@code 062} the
     *                                  equipment refused (not writable, out of range, not answering),
     *                                  {@code 063} the tag is not exposed over this protocol
     */
    void write(TagPath tag, double value);

    /** Stops delivering samples and disconnects, releasing what the connection held on the server. */
    @Override
    void close();
}
