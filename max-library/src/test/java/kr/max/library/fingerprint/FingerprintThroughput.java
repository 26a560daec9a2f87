package kr.max.library.fingerprint;

import java.io.IOException;
import java.io.Writer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Rows per second of a plain export against a fingerprinted one, and of tracing, on one thread over
 * 1,000,000 rows × (timestamp, asset, six measurements). Not a test: figures to read, because a timed
 * assertion would fail on a busy machine.
 *
 * <p>The plain export is the cheapest one conceivable: each row formatted as CSV text into a sink that
 * only counts characters. A real export also decrypts chunks, runs DuckDB and compresses, so the ratio the
 * library sees is closer to one. Two paths are timed, as the export path streams either way: rows as
 * boxed {@code Object[]} (as from a JDBC result set) and column batches of 2,048 rows (as from Arrow). Run
 * after {@code ./mvnw -o -q -pl max-library test-compile} with
 * {@code java -cp max-library/target/test-classes:max-library/target/classes:$HOME/.m2/repository/kr/max/max-core/0.1.0-SNAPSHOT/max-core-0.1.0-SNAPSHOT.jar kr.max.library.fingerprint.FingerprintThroughput [rows]}.
 */
public final class FingerprintThroughput {

    private static final int BATCH = 2048;
    private static final int ROUNDS = 7;

    private FingerprintThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        var table = SensorTables.generate(rows, 42);
        var names = table.names();
        var random = new Random(7);
        var secret = SensorTables.secret(random);
        var scheme = SensorTables.SCHEME;
        System.out.printf("%,d rows x (timestamp, asset, %d measurements), gamma %d, %s%n", rows,
                scheme.marked().size(), scheme.gamma(), Runtime.version());

        compare("row path    (Object[] rows, CSV)", rows, () -> exportRows(table, null),
                () -> exportRows(table, Fingerprinter.create(secret, scheme, names)));
        compare("batch path  (columns of 2,048, CSV)", rows, () -> exportBatches(table, null),
                () -> exportBatches(table, Fingerprinter.create(secret, scheme, names)));

        double markOnly = median(() -> markOnly(table, Fingerprinter.create(secret, scheme, names)));
        System.out.printf("marking alone (batches, no formatting): %,.0f rows/s (%.0f ns a row)%n", rows / markOnly, markOnly * 1e9 / rows);
        System.out.printf("one pseudo-random call on a row's key (5 words): SipHash-2-4 %.0f ns, HMAC-SHA256 (javax.crypto) %.0f ns%n",
                sipHashNanos(), hmacNanos(secret));

        var marked = SensorTables.mark(table, secret, scheme);
        var suspect = marked.suspect();
        var tracer = new Tracer();
        for (int candidates : new int[] {1, 10, 100}) {
            var list = new java.util.ArrayList<Candidate>();
            list.add(new Candidate("export-0", "recipient-0", Instant.EPOCH, secret, scheme));
            for (int i = 1; i < candidates; i++) {
                list.add(new Candidate("export-" + i, "recipient-" + i, Instant.EPOCH, SensorTables.secret(random), scheme));
            }
            var result = new TraceReport[1];
            double seconds = median(() -> result[0] = tracer.trace(suspect, list), 3);
            var e = result[0].evidence().getFirst();
            System.out.printf("trace against %3d candidates: %6.2f s, %,.0f rows/s, %,.0f row-candidates/s (%s: %,d of %,d bits, log10 p %.0f)%n",
                    candidates, seconds, rows / seconds, rows * (double) candidates / seconds, e.recipient(), e.matches(), e.bits(), e.log10PValue());
        }
    }

    /**
     * Plain and fingerprinted runs alternate, so a change in the machine's load hits both alike; the
     * figures are medians. Thread CPU time is shown beside wall time: on a shared machine it is the
     * steadier measure of the work done.
     */
    private static void compare(String path, int rows, Work plain, Work marked) throws Exception {
        plain.run();
        marked.run();
        var wall = new double[2][ROUNDS];
        var cpu = new double[2][ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            for (int w = 0; w < 2; w++) {
                double[] t = time(w == 0 ? plain : marked);
                wall[w][i] = t[0];
                cpu[w][i] = t[1];
            }
        }
        for (double[] a : wall) Arrays.sort(a);
        for (double[] a : cpu) Arrays.sort(a);
        double pw = wall[0][ROUNDS / 2], mw = wall[1][ROUNDS / 2], pc = cpu[0][ROUNDS / 2], mc = cpu[1][ROUNDS / 2];
        System.out.printf("%s: plain %,.0f rows/s, fingerprinted %,.0f rows/s, ratio %.2f (CPU time: %,.0f and %,.0f rows/s, ratio %.2f)%n",
                path, rows / pw, rows / mw, pw / mw, rows / pc, rows / mc, pc / mc);
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Wall and thread CPU seconds of one run. */
    private static double[] time(Work work) throws Exception {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        work.run();
        return new double[] {(System.nanoTime() - start) / 1e9, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9};
    }

    interface Work {
        void run() throws Exception;
    }

    /** The median wall time of {@value #ROUNDS} runs after one untimed, in seconds. */
    private static double median(Work work) throws Exception {
        return median(work, ROUNDS);
    }

    private static double median(Work work, int rounds) throws Exception {
        work.run();
        var t = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return t[rounds / 2];
    }

    /** Counts characters, so formatting cannot be optimized away. */
    static final class CountingSink extends Writer {
        long chars;

        @Override
        public void write(char[] buf, int off, int len) {
            chars += len;
        }

        @Override
        public Writer append(CharSequence s) {
            chars += s.length();
            return this;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static void exportRows(SensorTables.Table table, Fingerprinter fp) throws IOException {
        var sink = new CountingSink();
        var sb = new StringBuilder(256);
        long[] time = (long[]) table.columns().get(SensorTables.TIME);
        String[] asset = (String[]) table.columns().get(SensorTables.ASSET);
        double[][] m = table.columns().values().stream().filter(v -> v instanceof double[]).toArray(double[][]::new);
        var row = new Object[2 + m.length];
        for (int r = 0; r < table.rows(); r++) {
            row[0] = time[r];
            row[1] = asset[r];
            for (int c = 0; c < m.length; c++) row[2 + c] = m[c][r];
            if (fp != null) fp.markRow(row);
            sb.setLength(0);
            for (int c = 0; c < row.length; c++) {
                if (c > 0) sb.append(',');
                switch (row[c]) {
                    case Double d -> sb.append(d.doubleValue());
                    case Long l -> sb.append(l.longValue());
                    default -> sb.append(row[c]);
                }
            }
            sb.append('\n');
            sink.append(sb);
        }
        if (sink.chars == 0) throw new IllegalStateException();
    }

    private static void exportBatches(SensorTables.Table table, Fingerprinter fp) throws IOException {
        var sink = new CountingSink();
        var sb = new StringBuilder(256);
        long[] time = (long[]) table.columns().get(SensorTables.TIME);
        String[] asset = (String[]) table.columns().get(SensorTables.ASSET);
        double[][] m = table.columns().values().stream().filter(v -> v instanceof double[]).toArray(double[][]::new);
        var bt = new long[BATCH];
        var ba = new String[BATCH];
        var bm = new double[m.length][BATCH];
        var columns = new Object[2 + m.length];
        columns[0] = bt;
        columns[1] = ba;
        System.arraycopy(bm, 0, columns, 2, m.length);
        for (int from = 0; from < table.rows(); from += BATCH) {
            int n = Math.min(BATCH, table.rows() - from);
            System.arraycopy(time, from, bt, 0, n); // a batch arrives in its own buffers
            System.arraycopy(asset, from, ba, 0, n);
            for (int c = 0; c < m.length; c++) System.arraycopy(m[c], from, bm[c], 0, n);
            if (fp != null) fp.markColumns(n, columns);
            for (int r = 0; r < n; r++) {
                sb.setLength(0);
                sb.append(bt[r]).append(',').append(ba[r]);
                for (double[] c : bm) sb.append(',').append(c[r]);
                sb.append('\n');
                sink.append(sb);
            }
        }
        if (sink.chars == 0) throw new IllegalStateException();
    }

    private static void markOnly(SensorTables.Table table, Fingerprinter fp) {
        long[] time = (long[]) table.columns().get(SensorTables.TIME);
        String[] asset = (String[]) table.columns().get(SensorTables.ASSET);
        double[][] m = table.columns().values().stream().filter(v -> v instanceof double[]).toArray(double[][]::new);
        var bm = new double[m.length][BATCH];
        var columns = new Object[2 + m.length];
        System.arraycopy(bm, 0, columns, 2, m.length);
        for (int from = 0; from < table.rows(); from += BATCH) {
            int n = Math.min(BATCH, table.rows() - from);
            columns[0] = Arrays.copyOfRange(time, from, from + BATCH);
            columns[1] = Arrays.copyOfRange(asset, from, from + BATCH);
            for (int c = 0; c < m.length; c++) System.arraycopy(m[c], from, bm[c], 0, n);
            fp.markColumns(n, columns);
        }
    }

    private static double hmacNanos(FingerprintSecret secret) throws GeneralSecurityException {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
        var input = new byte[40];
        long sum = 0;
        int calls = 2_000_000;
        double seconds = 0;
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                input[0] = (byte) i;
                input[1] = (byte) (i >> 8);
                sum += mac.doFinal(input)[0];
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        return sum == 42 ? 0 : seconds * 1e9 / calls;
    }

    private static double sipHashNanos() {
        var words = new long[] {1, 1_740_787_200_000_000L, 3 | 7 << 8, 0x0073006500720070L, 0x0031002d0073L};
        long sum = 0;
        int calls = 20_000_000;
        double seconds = 0;
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                words[1] = i;
                sum += SipHash.hash(3, 4, words, 0, words.length);
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        return sum == 42 ? 0 : seconds * 1e9 / calls;
    }
}
