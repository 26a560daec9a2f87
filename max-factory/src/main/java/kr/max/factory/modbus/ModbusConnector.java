package kr.max.factory.modbus;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.Connector;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.ModbusRegister;
import kr.max.factory.assets.RegisterTable;
import kr.max.factory.assets.Tag;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.Quality;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Modbus TCP master (j2mod) that polls every equipment of the asset model with a Modbus unit id at a fixed
 * period, one request per register table per unit, and decodes each tag with the model's register map (raw × scale,
 * multi-register values high word first). Modbus carries no time stamps: a sample's time is the poll's wall-clock
 * time, and its sequence number counts its equipment's samples, one number per tag and poll — a stream dataset keeps
 * one row per (source, sequence), so a number per poll would keep one tag of each poll and drop the rest as replays. A unit that does not answer yields BAD samples
 * (NaN) for its tags until it answers again.
 *
 * <p>Writes go to single holding registers ({@code Write Single Register}); the slave's exception comes back as
 * {@code MAX-FACTORY-062}.
 */
public final class ModbusConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusConnector.class);

    private final String host;
    private final int port;
    private final AssetModel model;
    private final Duration period;
    private final ModbusTCPMaster master;
    private final Map<AssetPath, Long> sequences = new HashMap<>();
    private ScheduledExecutorService poller;

    public ModbusConnector(String host, int port, AssetModel model, Duration period) {
        this.host = host;
        this.port = port;
        this.model = model;
        this.period = period;
        this.master = new ModbusTCPMaster(host, port, 3_000, true);
    }

    @Override
    public String protocol() {
        return "Modbus TCP";
    }

    @Override
    public void start(SampleListener listener) {
        try {
            master.connect();
        } catch (Exception e) {
            throw new MaxException(FactoryError.CONNECT_FAILED, Location.NOWHERE, e, protocol(), host + ":" + port,
                    e.toString());
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "max-modbus-poll");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleAtFixedRate(() -> pollAll(listener), 0, period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Polls every unit once, now, delivering its samples. */
    public void pollAll(SampleListener listener) {
        for (Equipment e : model.equipment()) {
            if (e.modbusUnit() == null) continue;
            try {
                for (Sample s : poll(e)) listener.onSample(s);
            } catch (RuntimeException ex) {
                LOG.warn("Modbus poll of {} failed: {}", e.path(), ex.toString());
            }
        }
    }

    synchronized List<Sample> poll(Equipment e) {
        List<Tag> tags = model.tags(e.path()).stream().filter(t -> t.spec().modbus() != null).toList();
        int[] size = new int[4];
        for (Tag t : tags) {
            ModbusRegister r = t.spec().modbus();
            int n = r.table().bits() ? 1 : t.spec().type().registers();
            size[r.table().ordinal()] = Math.max(size[r.table().ordinal()], r.address() + n);
        }
        Instant time = Instant.now();
        long first = sequences.merge(e.path(), (long) tags.size(), Long::sum) - tags.size() + 1;
        var out = new ArrayList<Sample>(tags.size());
        try {
            int unit = e.modbusUnit();
            int[] holding = size[0] == 0 ? new int[0] : words(master.readMultipleRegisters(unit, 0, size[0]));
            int[] input = size[1] == 0 ? new int[0] : words(master.readInputRegisters(unit, 0, size[1]));
            BitVector coils = size[2] == 0 ? null : master.readCoils(unit, 0, size[2]);
            BitVector discrete = size[3] == 0 ? null : master.readInputDiscretes(unit, 0, size[3]);
            for (Tag t : tags) {
                ModbusRegister r = t.spec().modbus();
                double v = switch (r.table()) {
                    case HOLDING -> RegisterCodec.decode(holding, r.address(), t.spec().type(), r);
                    case INPUT -> RegisterCodec.decode(input, r.address(), t.spec().type(), r);
                    case COIL -> coils.getBit(r.address()) ? 1 : 0;
                    case DISCRETE -> discrete.getBit(r.address()) ? 1 : 0;
                };
                out.add(new Sample(t.path(), time, v, Quality.GOOD, first + out.size()));
            }
        } catch (ModbusException ex) {
            LOG.warn("Modbus unit {} ({}) does not answer: {}", e.modbusUnit(), e.path(), ex.getMessage());
            out.clear();
            for (Tag t : tags) out.add(new Sample(t.path(), time, Double.NaN, Quality.BAD, first + out.size()));
        }
        return out;
    }

    private static int[] words(InputRegister[] regs) {
        int[] w = new int[regs.length];
        for (int i = 0; i < regs.length; i++) w[i] = regs[i].toUnsignedShort();
        return w;
    }

    @Override
    public synchronized void write(TagPath tag, double value) {
        Tag t = model.tag(tag).orElseThrow(
                () -> new MaxException(FactoryError.TAG_NOT_REACHABLE, Location.NOWHERE, tag.toString(), protocol()));
        ModbusRegister r = t.spec().modbus();
        Integer unit = model.equipment(tag.equipment()).map(Equipment::modbusUnit).orElse(null);
        if (r == null || unit == null) {
            throw new MaxException(FactoryError.TAG_NOT_REACHABLE, Location.NOWHERE, tag.toString(), protocol());
        }
        if (r.table() != RegisterTable.HOLDING || t.spec().type().registers() != 1) {
            throw new MaxException(FactoryError.WRITE_REFUSED, Location.NOWHERE, tag.toString(), Double.toString(value),
                    protocol(), "not a single holding register");
        }
        int word = RegisterCodec.encode(value, t.spec().type(), r)[0];
        try {
            master.writeSingleRegister(unit, r.address(), new SimpleRegister(word));
        } catch (ModbusException e) {
            throw new MaxException(FactoryError.WRITE_REFUSED, Location.NOWHERE, e, tag.toString(), Double.toString(value),
                    protocol(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdown();
            try {
                poller.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        master.disconnect();
    }
}
