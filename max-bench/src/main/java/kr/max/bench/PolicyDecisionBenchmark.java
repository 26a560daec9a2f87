package kr.max.bench;

import java.util.concurrent.TimeUnit;
import kr.max.library.policy.AccessRequest;
import kr.max.library.policy.Decision;
import kr.max.library.policy.GovernancePolicy;
import kr.max.library.policy.RandomRequests;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decisions per second of the policy engine over the oracle test's random mix (every action and
 * classification, foreign and domestic principals, up to three agreements with random constraints per
 * request), on one thread and on every core. Run with {@code ./max-bench/run policy-jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyDecisionBenchmark {

    private static final int MIX = 1 << 16;

    private final GovernancePolicy engine = new GovernancePolicy();
    private AccessRequest[] requests;

    /** Per thread, so that threads do not share a cursor. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup
    public void makeRequests() {
        var generator = new RandomRequests(42);
        requests = new AccessRequest[MIX];
        for (int i = 0; i < MIX; i++) requests[i] = generator.next();
    }

    @Benchmark
    @Threads(1)
    public Decision oneThread(Cursor cursor) {
        return engine.decide(requests[cursor.next++ & (MIX - 1)]);
    }

    @Benchmark
    @Threads(Threads.MAX)
    public Decision everyCore(Cursor cursor) {
        return engine.decide(requests[cursor.next++ & (MIX - 1)]);
    }
}
