package kr.max.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import kr.max.core.Principal;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.crypto.MasterKey;
import kr.max.library.sample.SampleData;
import kr.max.library.query.ResultSink;

/**
 * The library core benchmark of issue 2, measured against DuckDB itself on the same machine in the
 * same run:
 * <ol>
 *   <li>ingest: {@code max ingest} (a separate JVM, as a user runs it, with {@code -Xmx512m}) against
 *       DuckDB's {@code COPY (SELECT * FROM read_csv(...)) TO 'x.parquet'} on the same file;</li>
 *   <li>query: a time-bucketed aggregate over one asset and one day through the library (decrypting
 *       the chunks it needs) against the same SQL in DuckDB on the plaintext Parquet;</li>
 *   <li>peak resident memory of {@code max ingest} with a 512 MiB heap.</li>
 * </ol>
 * Usage: {@code max-bench/run library [--rows N] [--assets N] [--work DIR] [--repeat N] [--ingest-rounds N] [--key-file]}.
 * {@code --ingest-rounds} measures the ingest pair that many times, alternating, and reports each ratio and the
 * median (the machine is shared: one pair says little). {@code --key-file} seals the home with a generated key
 * file, as {@code max} does for a new home by itself, instead of the passphrase in {@code MAX_MASTER_KEY}.
 */
public final class LibraryBench {

    private LibraryBench() {
    }

    public static void main(String[] args) throws Exception {
        long rows = 10_000_000L;
        int assets = 50;
        int repeat = 7;
        boolean skipIngest = false;
        int ingestRounds = 1;
        boolean keyFile = false;
        Path work = Path.of("target", "bench-library");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i].replace("_", ""));
                case "--assets" -> assets = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--skip-ingest" -> skipIngest = true;
                case "--ingest-rounds" -> ingestRounds = Integer.parseInt(args[++i]);
                case "--key-file" -> keyFile = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(work);
        Path csv = work.resolve("sensors-" + rows + ".csv");
        if (!Files.exists(csv)) {
            long t0 = System.nanoTime();
            SampleData.sensors(csv, rows, assets);
            System.out.printf(Locale.ROOT, "generated %s (%,d rows, %.0f MiB) in %.1f s%n", csv, rows,
                    Files.size(csv) / 1048576.0, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        // (a) ingest: DuckDB baseline, then max ingest in its own JVM with a small heap
        Path plainParquet = work.resolve("baseline.parquet");
        Path home = work.resolve("home");
        Path keyPath = work.resolve("master.key");
        if (keyFile && !skipIngest) {
            Files.deleteIfExists(keyPath);
            MasterKey.createFile(keyPath);
        }
        Master secret = keyFile || (skipIngest && Files.exists(keyPath)) ? new Master(null, keyPath)
                : new Master("benchmark master secret 0123456789", null);
        System.out.println("master secret: " + (secret.keyFile() != null ? "generated key file (HKDF)" : "passphrase (PBKDF2)"));
        if (skipIngest) {
            // Query figures only, on the home and baseline file of an earlier run with the same work directory.
            if (!Files.exists(plainParquet) || !Files.isDirectory(home)) throw new IllegalStateException("--skip-ingest needs an earlier run in " + work);
            measureQuery(home, secret, plainParquet, repeat);
            return;
        }
        double duckIngest = 0;
        Run ingest = null;
        double[] ratios = new double[ingestRounds];
        for (int round = 0; round < ingestRounds; round++) {
            Files.deleteIfExists(plainParquet);
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
                st.execute("SET temp_directory = ''");
                long t0 = System.nanoTime();
                st.execute("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + plainParquet + "' (FORMAT parquet, COMPRESSION zstd)");
                duckIngest = (System.nanoTime() - t0) / 1e9;
            }
            deleteTree(home);
            ingest = runMax(home, secret, List.of("ingest", csv.toString(), "--dataset", "bench/sensors"));
            ratios[round] = duckIngest / ingest.seconds();
            System.out.printf(Locale.ROOT, "ingest%s: DuckDB %.2f s, ./max ingest %.2f s (JVM start included), ratio (DuckDB/max) %.2f%n",
                    ingestRounds > 1 ? " round " + (round + 1) : "", duckIngest, ingest.seconds(), ratios[round]);
            if (ingest.exit() != 0) break;
        }
        if (ingestRounds > 1) {
            System.out.printf(Locale.ROOT, "ingest: median ratio of %d rounds %.2f (min %.2f, max %.2f)%n", ingestRounds, median(ratios),
                    Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0));
        }
        System.out.printf(Locale.ROOT, "memory: max ingest -Xmx512m peak RSS %.0f MiB, exit %d%n", ingest.peakRssKib() / 1024.0,
                ingest.exit());
        if (ingest.exit() != 0) {
            System.out.println(ingest.output());
            System.exit(1);
        }

        double queryRatio = measureQuery(home, secret, plainParquet, repeat);
        System.out.printf(Locale.ROOT, "targets: ingest ratio >= 0.5: %s; query ratio <= 1.5: %s; ingest in -Xmx512m: %s%n",
                median(ratios) >= 0.5 ? "met" : "NOT met", queryRatio <= 1.5 ? "met" : "NOT met",
                ingest.exit() == 0 ? "met" : "NOT met");
    }

    /** (b) the time-bucketed aggregate of one asset over one day; returns the ratio library / DuckDB. */
    private static double measureQuery(Path home, Master secret, Path plainParquet, int repeat) throws Exception {
        String day = "2026-01-03";
        String next = "2026-01-04";
        String body = " WHERE asset = 'press-7' AND timestamp >= TIMESTAMPTZ '" + day + " 00:00:00+09' AND timestamp < TIMESTAMPTZ '"
                + next + " 00:00:00+09' GROUP BY 1 ORDER BY 1";
        String select = "SELECT time_bucket(INTERVAL '15 minutes', timestamp) AS t, avg(temperature), max(vibration), count(*)";
        // Both sides first run the query a few times unmeasured, so neither pays the JIT's warm-up in the median.
        int warmup = 3;
        double[] duck = new double[repeat];
        long duckRows = 0;
        for (int i = -warmup; i < repeat; i++) {
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
                long t0 = System.nanoTime();
                st.execute("SET TimeZone = 'Asia/Seoul'");
                try (ResultSet rs = st.executeQuery(select + " FROM read_parquet('" + plainParquet + "')" + body)) {
                    duckRows = 0;
                    while (rs.next()) duckRows++;
                }
                if (i >= 0) duck[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double[] lib = new double[repeat];
        double coldMillis = 0; // the first query after opening: chunks decrypted, nothing warm
        long libRows = 0;
        int chunksRead = 0;
        int chunksTotal = 0;
        try (Library library = Library.open(LibraryConfig.embedded(home, secret.key()))) {
            for (int i = -warmup; i < repeat; i++) {
                long t0 = System.nanoTime();
                var stats = library.query(Principal.localOperator(), select + " FROM \"bench/sensors\"" + body, new Count());
                if (i >= 0) lib[i] = (System.nanoTime() - t0) / 1e6;
                if (i == -warmup) coldMillis = (System.nanoTime() - t0) / 1e6;
                libRows = stats.rows();
                chunksRead = stats.chunksRead();
                chunksTotal = stats.chunksTotal();
            }
        }
        var cliQuery = runMax(home, secret, List.of("query", select + " FROM \"bench/sensors\"" + body, "--format", "csv"));
        double duckMedian = median(duck);
        double libMedian = median(lib);
        System.out.printf(Locale.ROOT, "query: DuckDB on plaintext Parquet median %.1f ms (%d rows); library median %.1f ms "
                        + "(%d rows, %d of %d chunks read; first query after opening %.1f ms); ratio (library/DuckDB) %.2f; max query CLI %.2f s%n",
                duckMedian, duckRows, libMedian, libRows, chunksRead, chunksTotal, coldMillis, libMedian / duckMedian, cliQuery.seconds());
        return libMedian / duckMedian;
    }

    record Run(double seconds, long peakRssKib, int exit, String output) {
    }

    /** The home's master secret: a passphrase (in {@code MAX_MASTER_KEY}) or a generated key file ({@code --key-file}). */
    record Master(String passphrase, Path keyFile) {
        MasterKey key() {
            return keyFile != null ? MasterKey.fromFile(keyFile) : MasterKey.of(passphrase);
        }
    }

    /**
     * Runs {@code ./max} (the launcher a user runs, with its JVM options) with a 512 MiB heap, sampling
     * the peak resident memory of its JVM; without the launcher, the CLI class on this classpath.
     */
    static Run runMax(Path home, Master secret, List<String> args) throws Exception {
        Path launcher = Path.of(System.getProperty("max.root", ".")).toAbsolutePath().resolve("max");
        var cmd = new ArrayList<String>();
        if (Files.isExecutable(launcher)) {
            cmd.add(launcher.toString());
        } else {
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), "kr.max.cli.MaxCli"));
        }
        cmd.addAll(args);
        cmd.addAll(List.of("--home", home.toString(), "--lang", "en"));
        if (secret.keyFile() != null) cmd.addAll(List.of("--key-file", secret.keyFile().toString()));
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (secret.passphrase() != null) pb.environment().put("MAX_MASTER_KEY", secret.passphrase());
        else pb.environment().remove("MAX_MASTER_KEY");
        pb.environment().put("MAX_JAVA_OPTS", "-Xmx512m");
        Path log = Files.createTempFile("max-bench", ".log");
        pb.redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        long peak = 0;
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (p.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) peak = Math.max(peak, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            } catch (IOException ignored) {
                // the process ended between the check and the read
            }
            Thread.sleep(20);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        return new Run(secs, peak, p.exitValue(), out);
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) Files.delete(p);
        }
    }

    static final class Count implements ResultSink {
        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
        }

        @Override
        public void row(Object[] values) {
        }
    }
}
