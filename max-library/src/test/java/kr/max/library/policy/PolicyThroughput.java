package kr.max.library.policy;

/**
 * Decisions per second of {@link GovernancePolicy} on one thread, over the oracle test's random mix:
 * every action and classification, foreign and domestic principals, up to three agreements per request
 * with random constraints. Not a test: a figure to read, because a timed assertion would fail on a busy
 * machine. Run with
 * {@code java -cp max-library/target/test-classes:max-library/target/classes:<deps> kr.max.library.policy.PolicyThroughput [seconds]}.
 */
public final class PolicyThroughput {

    private PolicyThroughput() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        var generator = new RandomRequests(42);
        var requests = new AccessRequest[100_000];
        for (int i = 0; i < requests.length; i++) requests[i] = generator.next();
        var engine = new GovernancePolicy();

        run(engine, requests, 2);
        long[] result = run(engine, requests, seconds);
        double perSecond = result[0] / (result[1] / 1e9);
        System.out.printf("%,.0f decisions/second on one thread (%,d decisions in %.2f s; %d permits per 1000)%n",
                perSecond, result[0], result[1] / 1e9, result[2] * 1000 / result[0]);
    }

    /** Decisions made, nanoseconds taken and permits (so the work cannot be optimized away). */
    private static long[] run(GovernancePolicy engine, AccessRequest[] requests, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long decisions = 0;
        long permits = 0;
        while (System.nanoTime() < deadline) {
            for (AccessRequest r : requests) {
                if (engine.decide(r) instanceof Decision.Permit) permits++;
            }
            decisions += requests.length;
        }
        return new long[] {decisions, System.nanoTime() - start, permits};
    }
}
