package kr.max.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.IngestRequest;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.fingerprint.TraceReport;
import kr.max.library.sample.SampleData;

/**
 * Fingerprinted exports end to end through the library: the same version exported by its owner (a plain
 * export: DuckDB writes the file) and by a consumer of another organization (every measurement column
 * marked within its tolerance, rows streamed through the fingerprinter), as CSV and as Parquet; then the
 * consumer's copy traced back. Prints seconds, rows per second and the ratio marked / plain. Usage:
 * {@code max-bench/run export [--rows N] [--rounds R] [--work DIR]}.
 */
public final class ExportFingerprintBench {

    private ExportFingerprintBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = 1_000_000;
        int rounds = 3;
        Path work = Path.of("target", "bench-export");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(work);
        Path home = Files.createTempDirectory(work, "home-");
        Path out = Files.createDirectories(home.resolveSibling(home.getFileName() + "-out"));
        Path file = SampleData.injectionMoldingWithPeople(work, rows, 7);
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s; %,d rows x 15 columns (4 measurement columns marked)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rows);
        try (Library lib = Library.open(LibraryConfig.embedded(home, MasterKey.of("export benchmark master secret 0001")))) {
            Principal admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
            lib.createOrganization(admin, "hanbit-press", null, "KR");
            lib.createOrganization(admin, "seoul-analytics", null, "KR");
            Principal alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
            Principal carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
            lib.ingest(alice, IngestRequest.of(file, "hanbit/molding").withClassification(Classification.PUBLIC));
            for (String format : new String[] {"csv", "parquet"}) {
                double plainBest = Double.MAX_VALUE;
                double markedBest = Double.MAX_VALUE;
                // CPU time of the whole process (DuckDB's threads included): steadier than wall time when other
                // work shares the machine, as it often does here.
                double plainCpu = Double.MAX_VALUE;
                double markedCpu = Double.MAX_VALUE;
                Path marked = null;
                for (int r = 0; r < rounds; r++) {
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    lib.export(alice, "hanbit/molding", out.resolve("plain-" + r + "." + format), format);
                    plainBest = Math.min(plainBest, (System.nanoTime() - t0) / 1e9);
                    plainCpu = Math.min(plainCpu, (processCpuNanos() - c0) / 1e9);
                    c0 = processCpuNanos();
                    t0 = System.nanoTime();
                    marked = out.resolve("marked-" + r + "." + format);
                    var stats = lib.export(carol, "hanbit/molding", marked, format);
                    markedBest = Math.min(markedBest, (System.nanoTime() - t0) / 1e9);
                    markedCpu = Math.min(markedCpu, (processCpuNanos() - c0) / 1e9);
                    if (!stats.fingerprinted()) throw new IllegalStateException("the consumer's copy was not marked");
                }
                System.out.printf(Locale.ROOT, "%-7s plain %.2f s (%,.0f rows/s), fingerprinted %.2f s (%,.0f rows/s): ratio %.2f (best of %d)%n",
                        format, plainBest, rows / plainBest, markedBest, rows / markedBest, plainBest / markedBest, rounds);
                System.out.printf(Locale.ROOT, "        process CPU time: plain %.2f s, fingerprinted %.2f s: ratio %.2f; load average %.1f%n",
                        plainCpu, markedCpu, plainCpu / markedCpu,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                long t0 = System.nanoTime();
                var traced = lib.trace(alice, marked);
                double traceS = (System.nanoTime() - t0) / 1e9;
                String who = traced.report() instanceof TraceReport.Identified id ? id.matches().getFirst().recipient() : "nobody";
                System.out.printf(Locale.ROOT, "        trace of the %s copy against %d exports: %.2f s (%,.0f rows/s), names %s%n", format,
                        traced.candidates(), traceS, rows / traceS, who);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
