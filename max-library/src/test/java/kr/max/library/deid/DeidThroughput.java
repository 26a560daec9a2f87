package kr.max.library.deid;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Random;

/**
 * Time of a whole de-identification of a million-row injection-molding table in the shape of KAMP's (timestamp,
 * machine, operator as personal data, supplier as a trade secret, measurements, setpoints, a free-text remark), with
 * four quasi-identifiers (hour, machine, barrel temperature in 5 °C ranges, injection pressure in 10 bar ranges) at
 * k = 5 and 5 % suppression. Not a test: a figure to read, because a timed assertion would fail on a busy machine.
 * Run with
 * {@code java -Xmx2g -cp max-library/target/test-classes:max-library/target/classes:<deps> kr.max.library.deid.DeidThroughput [rows] [days]}.
 */
public final class DeidThroughput {

    private DeidThroughput() {
    }

    static final String PROFILE = """
            profile: kamp-injection-share
            k: 5
            suppression_limit: 0.05
            rules:
              - match: { sensitivity: personal }
                action: pseudonymize
              - match: { role: attribute, sensitivity: trade_secret }
                action: pseudonymize
              - match: { role: setpoint, sensitivity: trade_secret }
                action: perturb
                bound: 0.5
              - match: { role: setpoint }
                action: perturb
                bound: "3%"
              - match: { role: timestamp }
                action: generalize
                to: hour
                quasi_identifier: true
              - match: { role: asset }
                action: generalize
                hierarchy: assets.csv
                level: 0
                quasi_identifier: true
              - match: { role: measurement, unit: Cel }
                action: generalize
                width: 5
                quasi_identifier: true
              - match: { role: measurement, unit: bar }
                action: generalize
                width: 10
                quasi_identifier: true
              - match: { role: free_text }
                action: drop
            default: keep
            """;

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 90;
        long t0 = System.nanoTime();
        DeidTable table = DeidFixtures.table(new Random(2026), rows, days, 0.01);
        DeidPlan plan = DeidProfile.parse(PROFILE, "kamp-share.yaml", DeidFixtures.assets()).plan(DeidFixtures.dictionary());
        PseudonymKey key = PseudonymKey.generate();
        long t1 = System.nanoTime();
        System.out.printf("table: %,d rows × %d columns over %d days, built in %.2f s%n", rows, table.columns().size(), days,
                (t1 - t0) / 1e9);
        var cpu = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= 2; round++) {
            long a = System.nanoTime();
            long ac = cpu.getCurrentThreadCpuTime();
            RiskReport dry = Deidentifier.dryRun(table, plan);
            long b = System.nanoTime();
            long bc = cpu.getCurrentThreadCpuTime();
            DeidResult result = Deidentifier.run(table, plan, key, 7);
            long c = System.nanoTime();
            long cc = cpu.getCurrentThreadCpuTime();
            System.out.printf("round %d: dry run %.2f s (cpu %.2f s), release %.2f s (cpu %.2f s); %,d rows out; "
                            + "%d of %d lattice nodes evaluated%n", round, (b - a) / 1e9, (bc - ac) / 1e9, (c - b) / 1e9,
                    (cc - bc) / 1e9, result.table().rowCount(), dry.nodesEvaluated(), dry.latticeNodes());
            if (round == 2) System.out.print(result.report().render(Locale.ENGLISH));
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf("heap in use at the end: %,d MB of %,d MB%n", (rt.totalMemory() - rt.freeMemory()) >> 20,
                rt.maxMemory() >> 20);
    }
}
