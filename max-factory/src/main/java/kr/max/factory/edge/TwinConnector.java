package kr.max.factory.edge;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kr.max.factory.Connector;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.Pace;
import kr.max.factory.twin.RealTimeDriver;
import kr.max.factory.twin.SampleListener;

/**
 * The line simulator in the edge's own process, as a {@link Connector}: for demonstrations and tests of the edge
 * without a protocol in between. Sequence numbers and times are the simulator's.
 */
public final class TwinConnector implements Connector {

    private final LineSimulator simulator;
    private final Pace pace;
    private volatile RealTimeDriver driver;

    public TwinConnector(LineSimulator simulator, Pace pace) {
        this.simulator = simulator;
        this.pace = pace;
    }

    @Override
    public String protocol() {
        return "twin";
    }

    @Override
    public void start(SampleListener listener) {
        simulator.addListener(listener);
        driver = RealTimeDriver.start(simulator, pace);
    }

    @Override
    public void write(TagPath tag, double value) {
        var done = new CompletableFuture<Void>();
        driver.submit(sim -> {
            try {
                sim.write(tag, value);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** Stops the simulation after its current step; no sample reaches the listener after this returns. */
    @Override
    public void close() {
        RealTimeDriver d = driver;
        if (d == null) return;
        d.close();
        try {
            d.finished().join();
        } catch (CompletionException e) {
            // the run ended with an error the listener already saw
        }
    }
}
