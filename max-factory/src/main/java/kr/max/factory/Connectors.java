package kr.max.factory;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.modbus.ModbusConnector;
import kr.max.factory.mqtt.MqttConnector;
import kr.max.factory.opcua.OpcUaConnector;

/**
 * The connector an equipment address asks for, by its scheme: {@code opc.tcp://host:port/path} (OPC UA),
 * {@code tcp://host:port} or {@code mqtt://host:port} (an MQTT broker; topics {@code max/#}), {@code
 * modbus://host:port} (Modbus TCP, polled). What {@code max connect URL} and the edge node use.
 */
public final class Connectors {

    private Connectors() {
    }

    /**
     * A connector for {@code url}, not yet started.
     *
     * @param clientId the name this client gives itself where the protocol wants one (MQTT)
     * @param period   how often OPC UA samples and Modbus polls (zero: as fast as the server reports, for OPC UA)
     * @throws MaxException {@code MAX-FACTORY-060} a scheme no connector speaks, or an address without host or port
     */
    public static Connector forUrl(String url, AssetModel model, String clientId, Duration period) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new MaxException(FactoryError.CONNECT_FAILED, Location.NOWHERE, "?", url, "not an address");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) throw new MaxException(FactoryError.CONNECT_FAILED, Location.NOWHERE, scheme, url, "no host");
        return switch (scheme) {
            case "opc.tcp" -> new OpcUaConnector(url.trim(), model, period);
            case "tcp", "mqtt" -> new MqttConnector("tcp://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 1883 : uri.getPort()),
                    clientId, model);
            case "modbus" -> new ModbusConnector(uri.getHost(), uri.getPort() < 0 ? 502 : uri.getPort(), model,
                    period.isZero() ? Duration.ofSeconds(1) : period);
            default -> throw new MaxException(FactoryError.CONNECT_FAILED, Location.NOWHERE, scheme, url,
                    "no connector for this scheme (opc.tcp://, tcp:// or mqtt://, modbus://)");
        };
    }
}
