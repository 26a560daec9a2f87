package kr.max.factory.twin;

import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link LineSimulator} against the wall clock at a {@link Pace}: at 60× a simulated minute passes each wall
 * second; as fast as possible, steps follow each other without waiting. The simulator itself knows nothing of this:
 * the driver only decides when to call {@link LineSimulator#step()}, so the samples are the same at every pace.
 *
 * <p>A paced driver looks at the clock every 10 ms of wall time and runs the steps that have fallen due; if the
 * machine cannot keep up, the simulation falls behind ({@link #lag()}) rather than skipping steps. The driver owns
 * its simulator while it runs, on one thread of its own: listeners are called there, and commands reach the
 * simulator through {@link #submit(Consumer)} (at the next step, so at a time that depends on the wall clock) or,
 * deterministically, through {@link LineSimulator#at} scheduled before the start.
 */
public final class RealTimeDriver implements AutoCloseable {

    /** Wall time between looks at the clock. */
    static final long TICK_NANOS = 10_000_000;
    /** Steps an as-fast-as-possible run takes before it looks for commands and for {@link #close()}. */
    private static final int BATCH_STEPS = 500;

    /** The wall clock and the thread a driver runs on; tests give a manual one. */
    interface Ticker {
        long nanoTime();

        /** Calls {@code tick} now and then every {@code periodNanos} until shut down. */
        void every(long periodNanos, Runnable tick);

        void execute(Runnable task);

        void shutdown();
    }

    private final LineSimulator simulator;
    private final Pace pace;
    private final Instant until;
    private final Ticker ticker;
    private final Queue<Consumer<LineSimulator>> commands = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Instant> finished = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile long lagNanos;
    private long wallStart;
    private long simStart;

    private RealTimeDriver(LineSimulator simulator, Pace pace, Instant until, Ticker ticker) {
        this.simulator = simulator;
        this.pace = pace;
        this.until = until;
        this.ticker = ticker;
    }

    /** Starts running the simulator at {@code pace} until {@link #close()}. */
    public static RealTimeDriver start(LineSimulator simulator, Pace pace) {
        return start(simulator, pace, null);
    }

    /** Starts running the simulator at {@code pace} until its time reaches {@code until} (or {@link #close()}). */
    public static RealTimeDriver start(LineSimulator simulator, Pace pace, Instant until) {
        return start(simulator, pace, until, new ExecutorTicker());
    }

    static RealTimeDriver start(LineSimulator simulator, Pace pace, Instant until, Ticker ticker) {
        var driver = new RealTimeDriver(simulator, pace, until, ticker);
        driver.wallStart = ticker.nanoTime();
        driver.simStart = simulator.elapsed().toNanos();
        if (pace.asFastAsPossible()) ticker.execute(driver::batch);
        else ticker.every(TICK_NANOS, driver::tick);
        return driver;
    }

    public Pace pace() {
        return pace;
    }

    /** Completes with the simulated time at which the run ended (its end time, or when closed), or with the error that stopped it. */
    public CompletableFuture<Instant> finished() {
        return finished;
    }

    /** Runs {@code command} on the simulator's thread before its next step. */
    public void submit(Consumer<LineSimulator> command) {
        commands.add(command);
    }

    /** How far the simulation was behind its pace at the last look at the clock (zero when it keeps up). */
    public Duration lag() {
        return Duration.ofNanos(lagNanos);
    }

    /** Stops after the current step. The simulator may be used again once {@link #finished()} has completed. */
    @Override
    public void close() {
        closed = true;
        ticker.execute(this::finish);
    }

    private void tick() {
        if (finished.isDone()) return;
        try {
            drain();
            long target = simStart + (long) ((ticker.nanoTime() - wallStart) * pace.factor());
            long step = simulator.settings().step().toNanos();
            // at most a few ticks' worth of steps per tick, so a slow machine still sees commands and close()
            long budget = Math.max(1, (long) (5 * TICK_NANOS * pace.factor() / step));
            while (!closed && !reachedEnd() && simulator.elapsed().toNanos() + step <= target && budget-- > 0) {
                simulator.step();
            }
            lagNanos = Math.max(0, target - simulator.elapsed().toNanos() - step);
            if (closed || reachedEnd()) finish();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void batch() {
        if (finished.isDone()) return;
        try {
            drain();
            for (int i = 0; i < BATCH_STEPS && !closed && !reachedEnd(); i++) simulator.step();
            if (closed || reachedEnd()) finish();
            else ticker.execute(this::batch);
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void drain() {
        Consumer<LineSimulator> c;
        while ((c = commands.poll()) != null) c.accept(simulator);
    }

    private boolean reachedEnd() {
        return until != null && !simulator.now().isBefore(until);
    }

    private void finish() {
        if (finished.isDone()) return;
        ticker.shutdown();
        finished.complete(simulator.now());
    }

    private void fail(Throwable t) {
        ticker.shutdown();
        finished.completeExceptionally(t);
    }

    /** One daemon thread with a scheduled executor: ticks at a fixed rate, and the simulator confined to that thread. */
    private static final class ExecutorTicker implements Ticker {
        private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "max-twin-driver");
            t.setDaemon(true);
            return t;
        });

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void every(long periodNanos, Runnable tick) {
            executor.scheduleAtFixedRate(tick, 0, periodNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void execute(Runnable task) {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                // the run has ended: there is nothing left to do
            }
        }

        @Override
        public void shutdown() {
            executor.shutdown();
        }
    }
}
