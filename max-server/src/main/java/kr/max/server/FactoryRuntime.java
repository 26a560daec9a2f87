package kr.max.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import kr.max.core.AssetPath;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.factory.Connector;
import kr.max.factory.Connectors;
import kr.max.factory.alarms.AlarmService;
import kr.max.factory.alarms.ModelWatch;
import kr.max.factory.alarms.NormalOperation;
import kr.max.factory.alarms.SpindleVibrationFeatures;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.Equipment;
import kr.max.factory.station.TwinStation;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Pace;
import kr.max.factory.twin.SampleListener;
import kr.max.library.Library;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The full-stack factory on one machine: the simulated line with its protocol servers, a connector reading it the
 * way a plant's equipment is read (MQTT or OPC UA), and every sample going three ways — into a stream dataset of the
 * library (encrypted, governed, audited, queryable within seconds), through the alarm service (limit alarms and a
 * model watch on each CNC spindle's vibration) and out to the live view. What {@code max demo} runs. The demo reads
 * over OPC UA, the protocol that carries its rate (docs/benchmarks.md); MQTT is there for other subscribers.
 *
 * <p>The spindle's detector is the standard {@code pca-detector}, trained in the library's model registry at start on
 * the feature windows of {@link Options#normalTraining()} of the twin's normal operation (deposited as a dataset),
 * simulated apart from the running line (its own simulator, another seed), so the running line's faults are never in
 * its training.
 */
public final class FactoryRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FactoryRuntime.class);

    /**
     * @param protocol       how the library reads the line: {@code opcua}, {@code mqtt} or {@code modbus}
     * @param dataset        the stream dataset the samples land in (created when missing)
     * @param normalTraining how much simulated normal operation the spindle detector learns from (zero: no model watch)
     * @param pollEvery      how often the Modbus connector polls (Modbus carries no time stamps: a sample is a poll)
     */
    public record Options(AssetModel model, long seed, Pace pace, TwinStation.Ports ports, String protocol, String dataset,
                          Duration normalTraining, Duration flushEvery, boolean mqttBatches, Duration pollEvery) {

        public static Options demo(String dataset) {
            return new Options(AssetModel.demoLine(), 1, Pace.times(10), TwinStation.Ports.anyFree(), "opcua", dataset,
                    Duration.ofMinutes(20), Duration.ofSeconds(1), false, Duration.ofMillis(100));
        }

        /** How long a sample waits at most before its chunk is committed (shorter: fresher data, more chunks). */
        public Options withFlushEvery(Duration d) {
            return new Options(model, seed, pace, ports, protocol, dataset, normalTraining, d, mqttBatches, pollEvery);
        }

        public Options withPorts(TwinStation.Ports p) {
            return new Options(model, seed, pace, p, protocol, dataset, normalTraining, flushEvery, mqttBatches, pollEvery);
        }

        public Options withPace(Pace p) {
            return new Options(model, seed, p, ports, protocol, dataset, normalTraining, flushEvery, mqttBatches, pollEvery);
        }

        public Options withProtocol(String p) {
            return new Options(model, seed, pace, ports, p, dataset, normalTraining, flushEvery, mqttBatches, pollEvery);
        }

        /** The twin publishes one MQTT message per equipment and instant (its batch topic) instead of one per tag. */
        public Options withMqttBatches(boolean b) {
            return new Options(model, seed, pace, ports, protocol, dataset, normalTraining, flushEvery, b, pollEvery);
        }

        public Options withNormalTraining(Duration d) {
            return new Options(model, seed, pace, ports, protocol, dataset, d, flushEvery, mqttBatches, pollEvery);
        }

        /** How often the Modbus connector polls the twin's slave. */
        public Options withPollEvery(Duration d) {
            return new Options(model, seed, pace, ports, protocol, dataset, normalTraining, flushEvery, mqttBatches, d);
        }

        public Options withSeed(long s) {
            return new Options(model, s, pace, ports, protocol, dataset, normalTraining, flushEvery, mqttBatches, pollEvery);
        }
    }

    /** A model watch and how it was trained, for the console and the CLI. */
    public record Watch(String name, AssetPath equipment, String model, Duration trainedIn) {
    }

    private final Options options;
    private final TwinStation station;
    private final AlarmService alarms;
    private final LiveFeed live;
    private final Connector connector;
    private final Map<AssetPath, StreamAppender> appenders;
    private final List<Watch> watches;
    private final java.util.List<SampleListener> taps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private FactoryRuntime(Options options, TwinStation station, AlarmService alarms, LiveFeed live, Connector connector,
                           Map<AssetPath, StreamAppender> appenders, List<Watch> watches) {
        this.options = options;
        this.station = station;
        this.alarms = alarms;
        this.live = live;
        this.connector = connector;
        this.appenders = appenders;
        this.watches = watches;
    }

    /**
     * Trains the spindle detectors, starts the twin and its protocol servers, creates the stream dataset when missing and
     * connects. Returns once samples flow.
     *
     * @param operator who the samples are deposited as (decided and audited as deposits into the stream dataset)
     */
    public static FactoryRuntime start(Library library, Principal operator, Options options) {
        AssetModel model = options.model();
        var alarms = AlarmService.create(model);
        var watches = new ArrayList<Watch>();
        if (!options.normalTraining().isZero()) {
            var registry = new kr.max.models.registry.ModelRegistry(library);
            for (Equipment e : model.equipmentOfType("cnc-machining-center")) {
                long began = System.nanoTime();
                var features = SpindleVibrationFeatures.standard();
                // a simulator of its own, another seed: the running line's history (and faults) are not the training's
                var normal = NormalOperation.record(LineSimulator.create(model, options.seed() + 1_000), e.path(), features,
                        options.normalTraining());
                String ref = registerWatchModel(library, registry, operator, model, e, normal, options.seed());
                var scorer = registry.scorer(operator, ref);
                alarms.watch(ModelWatch.of("spindle-vibration", e.path(), features, scorer, ref, 3));
                watches.add(new Watch("spindle-vibration", e.path(), ref, Duration.ofNanos(System.nanoTime() - began)));
            }
        }
        var live = new LiveFeed(JsonMapper.builder().build());
        alarms.addListener(live);
        // what operators do to alarms joins the library's audit chain, on the line's stream dataset
        alarms.addListener(e -> {
            if (e.who() == null) return;
            try {
                library.streams().recordOperation(e.who(), options.dataset(), "alarm-" + e.change().word(),
                        "alarm=" + e.alarm().id() + (e.note() == null ? "" : " note=" + e.note()));
            } catch (RuntimeException failure) {
                LOG.warn("alarm command not recorded on the audit chain: {}", failure.getMessage());
            }
        });

        if (!library.streams().isStream(options.dataset())) {
            library.streams().create(operator, options.dataset(), Classification.INTERNAL);
        }
        var station = TwinStation.start(model, options.seed(), options.pace(), options.ports(), options.mqttBatches());
        var appenders = new ConcurrentHashMap<AssetPath, StreamAppender>();
        Connector connector = null;
        try {
            // a source per run and equipment: a new twin numbers its samples from 1 again, which must not read as replays
            String run = Long.toString(Instant.now().getEpochSecond(), 36);
            for (Equipment e : model.equipment()) {
                appenders.put(e.path(), library.streams().appender(operator, options.dataset(),
                        options.protocol() + "-" + run + ":" + e.path(), options.flushEvery()));
            }
            String url = switch (options.protocol()) {
                case "opcua" -> station.opcUaUrl();
                case "mqtt" -> station.mqttUrl();
                case "modbus" -> "modbus://" + options.ports().host() + ":" + station.modbusPort();
                default -> throw new IllegalArgumentException("protocol " + options.protocol() + ": opcua, mqtt or modbus");
            };
            connector = Connectors.forUrl(url, model, "max-factory-" + run,
                    options.protocol().equals("modbus") ? options.pollEvery() : Duration.ZERO);
            var runtime = new FactoryRuntime(options, station, alarms, live, connector, appenders, List.copyOf(watches));
            connector.start(runtime.intake());
            LOG.info("factory runtime: twin {} over {} into {}", model.enterpriseId(), options.protocol(), options.dataset());
            return runtime;
        } catch (RuntimeException e) {
            if (connector != null) connector.close();
            appenders.values().forEach(StreamAppender::close);
            station.close();
            throw e;
        }
    }

    /**
     * Deposits the spindle's normal-operation feature windows as a dataset ({@code <enterprise>/<equipment>-normal-
     * operation}, internal) and trains the standard {@code pca-detector} on it inside the library, so the watch scores
     * with a registered model: versioned, with its card and lineage back to the windows it learned from. The windows go
     * to the library through memory-backed scratch space, never to disk in plaintext.
     *
     * @return the model version, {@code name@version}
     */
    private static String registerWatchModel(Library library, kr.max.models.registry.ModelRegistry registry, Principal operator,
                                             AssetModel model, Equipment e,
                                             kr.max.models.Frame normal, long seed) {
        String id = e.path().levels().getLast().toLowerCase(java.util.Locale.ROOT);
        String dataset = model.enterpriseId() + "/" + id + "-normal-operation";
        try (var scratch = kr.max.library.store.Scratch.open(null)) {
            var csv = scratch.newFile(".csv");
            try (var w = java.nio.file.Files.newBufferedWriter(csv, java.nio.charset.StandardCharsets.UTF_8)) {
                w.write("time,asset," + String.join(",", normal.features()) + "\n");
                for (int r = 0; r < normal.rows(); r++) {
                    var row = new StringBuilder().append(Instant.ofEpochMilli(normal.times()[r])).append(',').append(normal.assets()[r]);
                    for (double v : normal.x()[r]) row.append(',').append(v);
                    w.write(row.append('\n').toString());
                }
            } catch (java.io.IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
            library.ingest(operator, kr.max.library.IngestRequest.of(csv, dataset).withClassification(Classification.INTERNAL));
        }
        var v = registry.train(operator, "pca-detector", dataset, Map.of(), seed,
                id + "-spindle-watch", "predictive-maintenance");
        return v.model() + "@" + v.version();
    }

    private SampleListener intake() {
        return s -> {
            received.incrementAndGet();
            alarms.onSample(s);
            live.onSample(s);
            StreamAppender appender = appenders.get(s.tag().equipment());
            if (appender == null) return;
            try {
                appender.append(new StreamSample(s.sequence(), s.time(), s.tag().equipment().toString(), s.tag().tag(), s.value(),
                        s.quality().name()));
            } catch (RuntimeException e) {
                // a refused sample (a replay after a reconnect, a bad value) must not stop the line's other samples
                if (refused.getAndIncrement() % 10_000 == 0) LOG.warn("stream sample refused: {}", e.getMessage());
            }
            for (SampleListener tap : taps) tap.onSample(s);
        };
    }

    public Options options() {
        return options;
    }

    public TwinStation station() {
        return station;
    }

    public AlarmService alarms() {
        return alarms;
    }

    LiveFeed live() {
        return live;
    }

    public List<Watch> watches() {
        return watches;
    }

    /**
     * Called with every sample once it has been scored and handed to its stream appender, on the connector's thread
     * (benchmarks measure from here to {@link #committedThrough}).
     */
    public void addIntakeListener(SampleListener tap) {
        taps.add(tap);
    }

    /** The highest sequence number of {@code equipment}'s samples committed to the stream dataset (-1 before any). */
    public long committedThrough(AssetPath equipment) {
        StreamAppender a = appenders.get(equipment);
        return a == null ? -1 : a.committedThrough();
    }

    /** Samples the connector delivered so far. */
    public long received() {
        return received.get();
    }

    /** Samples the stream dataset committed so far (all equipment). */
    public long committed() {
        return appenders.values().stream().mapToLong(a -> a.counts().committed()).sum();
    }

    @Override
    public void close() {
        try {
            connector.close();
        } finally {
            try {
                for (StreamAppender a : appenders.values()) a.close();
            } finally {
                station.close();
            }
        }
    }
}
