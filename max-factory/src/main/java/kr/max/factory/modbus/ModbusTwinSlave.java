package kr.max.factory.modbus;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.procimg.IllegalAddressException;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.ModbusRegister;
import kr.max.factory.assets.Tag;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.RealTimeDriver;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;

/**
 * The twin's equipment as Modbus TCP slaves (j2mod), one unit id per equipment as the asset model gives it
 * ({@code modbus_unit}), registers where each tag's {@code modbus} entry puts them: measurements in input registers
 * or discrete inputs, setpoints in holding registers, raw = value / scale. Registers change as samples arrive.
 *
 * <p>A master writing a single holding register of a writable setpoint writes the simulator's setpoint (through
 * the driver); a value the simulator refuses (out of range, equipment not answering) is answered with Modbus
 * exception 2, which j2mod reserves for refused register access. Setpoints that take two or more registers and
 * coils are read-only here. A master reading while a two-register value changes may see one old and one new word,
 * as on many real PLCs.
 */
public final class ModbusTwinSlave implements AutoCloseable, SampleListener {

    private final ModbusSlave slave;
    private final LineSimulator simulator;
    private final Map<TagPath, Object[]> registers = new HashMap<>();
    private final int port;

    private ModbusTwinSlave(ModbusSlave slave, LineSimulator simulator, int port) {
        this.slave = slave;
        this.simulator = simulator;
        this.port = port;
    }

    /**
     * Opens a Modbus TCP slave on {@code host:port} for every equipment of the simulator's model that has a Modbus
     * unit id. A port of 0 takes a free one ({@link #port()} tells which).
     *
     * @throws MaxException {@code MAX-FACTORY-065} if the port cannot be opened
     */
    public static ModbusTwinSlave start(LineSimulator simulator, RealTimeDriver driver, String host, int port) {
        try {
            // j2mod does not tell which port it bound to when given 0: pick a free one first (a small race, loopback only)
            if (port == 0) {
                try (var probe = new java.net.ServerSocket(0, 1, InetAddress.getByName(host))) {
                    port = probe.getLocalPort();
                }
            }
            ModbusSlave s = ModbusSlaveFactory.createTCPSlave(InetAddress.getByName(host), port, 4, false);
            var twin = new ModbusTwinSlave(s, simulator, port);
            for (Equipment e : simulator.model().equipment()) {
                if (e.modbusUnit() == null) continue;
                s.addProcessImage(e.modbusUnit(), twin.image(simulator, e, driver));
            }
            s.open();
            simulator.addListener(twin);
            return twin;
        } catch (ModbusException | java.io.IOException e) {
            throw new MaxException(FactoryError.SERVER_START_FAILED, Location.NOWHERE, e, "Modbus TCP",
                    host + ":" + port, e.toString());
        }
    }

    private SimpleProcessImage image(LineSimulator sim, Equipment e, RealTimeDriver driver) {
        var img = new SimpleProcessImage(e.modbusUnit());
        int[] size = new int[4];
        for (Tag t : sim.model().tags(e.path())) {
            ModbusRegister r = t.spec().modbus();
            if (r == null) continue;
            int n = r.table().bits() ? 1 : t.spec().type().registers();
            size[r.table().ordinal()] = Math.max(size[r.table().ordinal()], r.address() + n);
        }
        // every address up to the highest used exists, so a master may read a table in one request
        var holding = new SimpleRegister[size[0]];
        var input = new SimpleInputRegister[size[1]];
        var coils = new SimpleDigitalOut[size[2]];
        var discrete = new SimpleDigitalIn[size[3]];
        for (int i = 0; i < holding.length; i++) holding[i] = new SimpleRegister(0);
        for (int i = 0; i < input.length; i++) input[i] = new SimpleInputRegister(0);
        for (int i = 0; i < coils.length; i++) coils[i] = new SimpleDigitalOut(false);
        for (int i = 0; i < discrete.length; i++) discrete[i] = new SimpleDigitalIn(false);
        for (Tag t : sim.model().tags(e.path())) {
            ModbusRegister r = t.spec().modbus();
            if (r == null) continue;
            switch (r.table()) {
                case HOLDING -> {
                    int n = t.spec().type().registers();
                    for (int k = 0; k < n; k++) {
                        holding[r.address() + k] = t.spec().writable() && n == 1
                                ? new SetpointRegister(t, driver) : new SimpleRegister(0);
                    }
                    registers.put(t.path(), java.util.Arrays.copyOfRange(holding, r.address(), r.address() + n));
                }
                case INPUT -> registers.put(t.path(),
                        java.util.Arrays.copyOfRange(input, r.address(), r.address() + t.spec().type().registers()));
                case COIL -> registers.put(t.path(), new Object[] {coils[r.address()]});
                case DISCRETE -> registers.put(t.path(), new Object[] {discrete[r.address()]});
            }
        }
        for (var x : holding) img.addRegister(x);
        for (var x : input) img.addInputRegister(x);
        for (var x : coils) img.addDigitalOut(x);
        for (var x : discrete) img.addDigitalIn(x);
        return img;
    }

    @Override
    public void onSample(Sample s) {
        Object[] regs = registers.get(s.tag());
        if (regs == null || Double.isNaN(s.value())) return;
        var spec = simulator.model().tag(s.tag()).orElseThrow().spec();
        if (regs[0] instanceof SimpleDigitalIn d) {
            d.set(s.value() >= 0.5);
            return;
        }
        if (regs[0] instanceof SimpleDigitalOut d) {
            d.set(s.value() >= 0.5);
            return;
        }
        int[] words = RegisterCodec.encode(s.value(), spec.type(), spec.modbus());
        for (int k = 0; k < words.length; k++) {
            if (regs[k] instanceof SetpointRegister sp) sp.update(words[k]);
            else if (regs[k] instanceof SimpleRegister h) h.setValue(words[k]);
            else ((SimpleInputRegister) regs[k]).setValue(words[k]);
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        simulator.removeListener(this);
        slave.close();
    }

    /** A holding register whose writes from a master go to the simulator's setpoint. */
    private static final class SetpointRegister extends SimpleRegister {
        private final Tag tag;
        private final RealTimeDriver driver;

        SetpointRegister(Tag tag, RealTimeDriver driver) {
            super(0);
            this.tag = tag;
            this.driver = driver;
        }

        void update(int word) {
            super.setValue(word);
        }

        @Override
        public synchronized void setValue(int v) {
            write(v & 0xFFFF);
        }

        @Override
        public synchronized void setValue(short s) {
            write(s & 0xFFFF);
        }

        @Override
        public synchronized void setValue(byte[] bytes) {
            write(((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF));
        }

        private void write(int word) {
            if (tag == null) { // SimpleRegister's constructor sets the initial value: not a master's write
                super.setValue(word);
                return;
            }
            double value = RegisterCodec.decode(new int[] {word}, 0, tag.spec().type(), tag.spec().modbus());
            var done = new CompletableFuture<Void>();
            driver.submit(sim -> {
                try {
                    sim.write(tag.path(), value);
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            try {
                done.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalAddressException(String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalAddressException("interrupted");
            }
            super.setValue(word);
        }
    }
}
