package kr.max.factory.mqtt;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Properties;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;

/**
 * An MQTT broker in the process (Moquette), for the twin and for tests: no persistence, no telemetry, anonymous
 * clients, plain TCP. A plant runs its own broker; this one lets a laptop or CI run the whole stream path with no service to
 * install.
 */
public final class MqttBroker implements AutoCloseable {

    private final Server server = new Server();
    private final String host;
    private final int port;

    private MqttBroker(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Starts a broker on {@code host}; {@code port} 0 picks a free port. */
    public static MqttBroker start(String host, int port) {
        int p = port == 0 ? freePort(host) : port;
        var broker = new MqttBroker(host, p);
        var props = new Properties();
        props.setProperty(BrokerConstants.HOST_PROPERTY_NAME, host);
        props.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(p));
        props.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        props.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        props.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        // Moquette otherwise writes an id file into the working directory and reports usage to its authors
        props.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
        props.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, "65536");
        props.setProperty(BrokerConstants.SESSION_QUEUE_SIZE, "65536");
        // flush each message at once: acknowledgements of QoS 1 deliveries wait for it otherwise, and a flush every
        // 10 ms halved what a subscriber took (docs/benchmarks.md)
        props.setProperty(BrokerConstants.IMMEDIATE_BUFFER_FLUSH_PROPERTY_NAME, "true");
        try {
            broker.server.startServer(new MemoryConfig(props));
        } catch (IOException | RuntimeException e) {
            throw new MaxException(FactoryError.SERVER_START_FAILED, Location.NOWHERE, e, "MQTT", host + ":" + p,
                    String.valueOf(e.getMessage()));
        }
        return broker;
    }

    /** {@code tcp://host:port}, for clients. */
    public String url() {
        return "tcp://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stopServer();
    }

    static int freePort(String host) {
        try (var s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new MaxException(FactoryError.SERVER_START_FAILED, Location.NOWHERE, e, "MQTT", host, e.getMessage());
        }
    }
}
