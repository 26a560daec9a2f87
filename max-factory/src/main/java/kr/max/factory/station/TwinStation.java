package kr.max.factory.station;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.modbus.ModbusTwinSlave;
import kr.max.factory.mqtt.MqttBroker;
import kr.max.factory.mqtt.MqttPublisher;
import kr.max.factory.opcua.OpcUaTwinServer;
import kr.max.factory.twin.ActiveFault;
import kr.max.factory.twin.Fault;
import kr.max.factory.twin.FaultSpec;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Pace;
import kr.max.factory.twin.RealTimeDriver;
import kr.max.factory.twin.SampleListener;

/**
 * The simulated line as a plant presents itself to the platform: the digital twin running at a pace, serving its
 * tags over OPC UA (Milo), publishing them over MQTT to a broker of its own (Moquette) and answering Modbus TCP
 * (j2mod) — what {@code max twin start} and {@code max demo} run, and what connectors, the edge node and the agent's
 * dry runs connect to as if it were equipment.
 *
 * <p>Commands (faults, setpoints) reach the simulator on its own thread between steps; the calls here wait for the
 * step that carried them out, so an error (an unknown target, a fault that does not apply) is thrown to the caller.
 */
public final class TwinStation implements AutoCloseable {

    /**
     * Where the protocol servers listen: a port of 0 takes any free one, a negative port leaves the protocol off.
     */
    public record Ports(String host, int opcUa, int mqtt, int modbus) {
        /** Loopback, any free ports: tests and several twins on one machine. */
        public static Ports anyFree() {
            return new Ports("127.0.0.1", 0, 0, 0);
        }

        /** The protocols' usual ports on loopback: OPC UA 4840, MQTT 1883, Modbus TCP 5020 (502 needs root). */
        public static Ports standard() {
            return new Ports("127.0.0.1", 4840, 1883, 5020);
        }
    }

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final AssetModel model;
    private final LineSimulator simulator;
    private final RealTimeDriver driver;
    private final MqttBroker broker;
    private final MqttPublisher publisher;
    private final OpcUaTwinServer opcUa;
    private final ModbusTwinSlave modbus;

    private TwinStation(AssetModel model, LineSimulator simulator, RealTimeDriver driver, MqttBroker broker,
            MqttPublisher publisher, OpcUaTwinServer opcUa, ModbusTwinSlave modbus) {
        this.model = model;
        this.simulator = simulator;
        this.driver = driver;
        this.broker = broker;
        this.publisher = publisher;
        this.opcUa = opcUa;
        this.modbus = modbus;
    }

    /**
     * Starts the twin of {@code model} with {@code seed} at {@code pace} and its protocol servers.
     *
     * @throws MaxException {@code MAX-FACTORY-065} a server cannot start (a port taken, say); whatever had started is
     *                      stopped again
     */
    public static TwinStation start(AssetModel model, long seed, Pace pace, Ports ports) {
        return start(model, seed, pace, ports, false);
    }

    /**
     * As {@link #start(AssetModel, long, Pace, Ports)}; with {@code mqttBatches} the twin publishes each equipment's
     * samples of an instant as one MQTT message on its batch topic rather than one message per tag.
     */
    public static TwinStation start(AssetModel model, long seed, Pace pace, Ports ports, boolean mqttBatches) {
        var simulator = LineSimulator.create(model, seed);
        var started = new ArrayList<AutoCloseable>();
        try {
            MqttBroker broker = null;
            MqttPublisher publisher = null;
            if (ports.mqtt() >= 0) {
                broker = MqttBroker.start(ports.host(), ports.mqtt());
                started.add(broker);
                publisher = MqttPublisher.connect(broker.url(), "max-twin-" + seed + "-" + ProcessHandle.current().pid(), model,
                        mqttBatches);
                started.add(publisher);
                simulator.addListener(publisher);
            }
            var driver = RealTimeDriver.start(simulator, pace);
            started.add(driver);
            OpcUaTwinServer opcUa = null;
            if (ports.opcUa() >= 0) {
                opcUa = OpcUaTwinServer.start(simulator, driver, ports.host(), ports.opcUa());
                started.add(opcUa);
            }
            ModbusTwinSlave modbus = null;
            if (ports.modbus() >= 0) {
                modbus = ModbusTwinSlave.start(simulator, driver, ports.host(), ports.modbus());
                started.add(modbus);
            }
            return new TwinStation(model, simulator, driver, broker, publisher, opcUa, modbus);
        } catch (RuntimeException e) {
            for (AutoCloseable c : started.reversed()) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    public AssetModel model() {
        return model;
    }

    public LineSimulator simulator() {
        return simulator;
    }

    public RealTimeDriver driver() {
        return driver;
    }

    /** {@code opc.tcp://…}, or null when OPC UA is off. */
    public String opcUaUrl() {
        return opcUa == null ? null : opcUa.url();
    }

    /** {@code tcp://host:port} of the twin's own MQTT broker, or null when MQTT is off. */
    public String mqttUrl() {
        return broker == null ? null : broker.url();
    }

    /** The Modbus TCP port, or -1 when Modbus is off. */
    public int modbusPort() {
        return modbus == null ? -1 : modbus.port();
    }

    /** The OPC UA server, for its session and subscription counts; null when off. */
    public OpcUaTwinServer opcUaServer() {
        return opcUa;
    }

    /** Receives every sample the twin produces, on the simulator's thread (hand heavy work to a queue). */
    public void addListener(SampleListener listener) {
        simulator.addListener(listener);
    }

    public void removeListener(SampleListener listener) {
        simulator.removeListener(listener);
    }

    /** Injects a fault written as words ({@link FaultSpec}) and returns it once the simulator carries it. */
    public ActiveFault inject(String kind, String target, Map<String, String> options) {
        return inject(FaultSpec.parse(kind, target, options, model));
    }

    /** Injects {@code fault} at the simulator's next step. */
    public ActiveFault inject(Fault fault) {
        return onSimulator(sim -> sim.inject(fault));
    }

    /** The faults in effect now. */
    public List<ActiveFault> faults() {
        return onSimulator(LineSimulator::activeFaults);
    }

    /**
     * Ends faults: all of them when {@code kind} is null, else those of that kind (and on {@code target}, when given:
     * a path or unique equipment id as in {@link FaultSpec}). Returns those it ended.
     */
    public List<ActiveFault> clear(String kind, String target) {
        return onSimulator(sim -> {
            var ended = new ArrayList<ActiveFault>();
            for (ActiveFault f : List.copyOf(sim.activeFaults())) {
                if (kind != null && !f.fault().kind().equals(kind)) continue;
                if (target != null && !matches(f.fault(), target)) continue;
                sim.clear(f);
                ended.add(f);
            }
            return ended;
        });
    }

    private boolean matches(Fault fault, String target) {
        String t = target.trim();
        if (fault.target().equals(t)) return true;
        String last = fault.target().contains("#") ? fault.target().substring(0, fault.target().indexOf('#')) : fault.target();
        try {
            return last.equals(FaultSpec.equipment(t, model).toString()) || last.equals(FaultSpec.tag(t, model).toString());
        } catch (MaxException e) {
            return false;
        }
    }

    /** Writes a setpoint at the next step (the same checks as over OPC UA or Modbus). */
    public void write(String tag, double value) {
        var path = FaultSpec.tag(tag, model);
        onSimulator(sim -> {
            sim.write(path, value);
            return null;
        });
    }

    private <T> T onSimulator(java.util.function.Function<LineSimulator, T> command) {
        var result = new CompletableFuture<T>();
        driver.submit(sim -> {
            try {
                result.complete(command.apply(sim));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new MaxException(FactoryError.TWIN_NOT_ANSWERING, Location.NOWHERE, COMMAND_TIMEOUT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (modbus != null) modbus.close();
        if (opcUa != null) opcUa.close();
        driver.close();
        try {
            driver.finished().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the servers are closed either way; a driver that does not finish in time is a daemon thread
        }
        if (publisher != null) publisher.close();
        if (broker != null) broker.close();
    }
}
