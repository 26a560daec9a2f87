package kr.max.library.fingerprint;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Synthetic sensor exports for the fingerprint tests: a timestamp (epoch microseconds), an asset and six
 * measurement columns with the resolutions and tolerances a data dictionary might declare; and the
 * handling a leaked copy goes through (shuffle, subset, dropped columns, rounding, text).
 */
final class SensorTables {

    static final String TIME = "ts";
    static final String ASSET = "asset";

    /** Name, resolution, tolerance. Current has tolerance = resolution; vibration comes with more digits. */
    static final List<FingerprintColumn> MEASUREMENTS = List.of(
            new FingerprintColumn("pressure_bar", 0.01, 0.02),
            new FingerprintColumn("temperature_c", 0.1, 0.2),
            new FingerprintColumn("vibration_mm_s", 0.001, 0.002),
            new FingerprintColumn("current_a", 0.01, 0.01),
            new FingerprintColumn("flow_l_min", 0.1, 0.3),
            new FingerprintColumn("speed_rpm", 1, 2));

    static final FingerprintScheme SCHEME = FingerprintScheme.of(MEASUREMENTS, List.of(TIME, ASSET));

    private SensorTables() {
    }

    /** Columns by name: {@code long[]} time, {@code String[]} asset, {@code double[]} measurements. */
    record Table(int rows, Map<String, Object> columns) {

        List<String> names() {
            return List.copyOf(columns.keySet());
        }

        double[] doubles(String name) {
            return (double[]) columns.get(name);
        }

        Table copy() {
            var c = new LinkedHashMap<String, Object>();
            columns.forEach((k, v) -> c.put(k, switch (v) {
                case double[] a -> a.clone();
                case long[] a -> a.clone();
                case Object[] a -> a.clone();
                default -> throw new IllegalStateException();
            }));
            return new Table(rows, c);
        }

        SuspectTable suspect() {
            var b = SuspectTable.builder(rows);
            columns.forEach((k, v) -> {
                switch (v) {
                    case double[] a -> b.column(k, a);
                    case long[] a -> b.column(k, a);
                    case Object[] a -> b.column(k, a);
                    default -> throw new IllegalStateException();
                }
            });
            return b.build();
        }
    }

    /** {@code rows} rows over eight assets, one reading per asset per second. */
    static Table generate(int rows, long seed) {
        var random = new Random(seed);
        var time = new long[rows];
        var asset = new String[rows];
        var pressure = new double[rows];
        var temperature = new double[rows];
        var vibration = new double[rows];
        var current = new double[rows];
        var flow = new double[rows];
        var speed = new double[rows];
        int assets = 8;
        long start = Instant.parse("2025-03-01T00:00:00Z").getEpochSecond() * 1_000_000 + random.nextInt(1_000_000) * 1_000_000L;
        double[] p = new double[assets];
        double[] base = new double[assets];
        for (int a = 0; a < assets; a++) base[a] = 40 + 20 * random.nextDouble();
        for (int r = 0; r < rows; r++) {
            int a = r % assets;
            time[r] = start + (r / assets) * 1_000_000L;
            asset[r] = "press-" + (a + 1);
            p[a] = 0.98 * p[a] + random.nextGaussian() * 0.6;
            pressure[r] = round(base[a] + p[a], 100);
            temperature[r] = round(180 + 10 * Math.sin(r / 2000.0) + 0.3 * pressure[r] + random.nextGaussian(), 10);
            vibration[r] = Math.abs(2 + 0.5 * random.nextGaussian()); // more digits than the resolution
            current[r] = round(12 + 0.05 * pressure[r] + 0.4 * random.nextGaussian(), 100);
            flow[r] = round(40 + 3 * random.nextGaussian(), 10);
            speed[r] = Math.rint(1500 + 25 * random.nextGaussian());
        }
        var c = new LinkedHashMap<String, Object>();
        c.put(TIME, time);
        c.put(ASSET, asset);
        c.put("pressure_bar", pressure);
        c.put("temperature_c", temperature);
        c.put("vibration_mm_s", vibration);
        c.put("current_a", current);
        c.put("flow_l_min", flow);
        c.put("speed_rpm", speed);
        return new Table(rows, c);
    }

    private static double round(double v, double scale) {
        return Math.rint(v * scale) / scale;
    }

    /** A copy of {@code table} marked with {@code secret}. */
    static Table mark(Table table, FingerprintSecret secret, FingerprintScheme scheme) {
        var copy = table.copy();
        var fp = Fingerprinter.create(secret, scheme, copy.names());
        fp.markColumns(copy.rows(), copy.columns().values().toArray());
        return copy;
    }

    static FingerprintSecret secret(Random random) {
        var b = new byte[FingerprintSecret.LENGTH];
        random.nextBytes(b);
        return FingerprintSecret.fromBytes(b);
    }

    // ---- handling of a leaked copy ----

    static Table shuffle(Table t, Random random) {
        var order = new int[t.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        return select(t, order);
    }

    /** A random subset of about {@code fraction} of the rows, in their order. */
    static Table subset(Table t, double fraction, Random random) {
        var keep = new int[t.rows()];
        int n = 0;
        for (int r = 0; r < t.rows(); r++) if (random.nextDouble() < fraction) keep[n++] = r;
        return select(t, Arrays.copyOf(keep, n));
    }

    static Table select(Table t, int[] rows) {
        var c = new LinkedHashMap<String, Object>();
        t.columns().forEach((k, v) -> c.put(k, switch (v) {
            case double[] a -> Arrays.stream(rows).mapToDouble(r -> a[r]).toArray();
            case long[] a -> Arrays.stream(rows).mapToLong(r -> a[r]).toArray();
            case String[] a -> Arrays.stream(rows).mapToObj(r -> a[r]).toArray(String[]::new);
            case Object[] a -> Arrays.stream(rows).mapToObj(r -> a[r]).toArray();
            default -> throw new IllegalStateException();
        }));
        return new Table(rows.length, c);
    }

    static Table drop(Table t, Set<String> names) {
        var c = new LinkedHashMap<>(t.columns());
        c.keySet().removeAll(names);
        return new Table(t.rows(), c);
    }

    /** Drops {@code count} random measurement columns. */
    static Table dropMeasurements(Table t, int count, Random random) {
        var names = new ArrayList<>(MEASUREMENTS.stream().map(FingerprintColumn::name).toList());
        java.util.Collections.shuffle(names, random);
        return drop(t, Set.copyOf(names.subList(0, count)));
    }

    /** Rounds every measurement to its resolution the way a spreadsheet would: {@code round(v / r) * r}. */
    static Table roundToResolution(Table t) {
        var copy = t.copy();
        for (var m : MEASUREMENTS) {
            if (copy.columns().get(m.name()) instanceof double[] a) {
                for (int i = 0; i < a.length; i++) a[i] = Math.round(a[i] / m.resolution()) * m.resolution();
            }
        }
        return copy;
    }

    /** What a CSV reader hands back: numbers as text, time as {@code LocalDateTime}, assets as text. */
    static Table asText(Table t) {
        var c = new LinkedHashMap<String, Object>();
        t.columns().forEach((k, v) -> c.put(k, switch (v) {
            case double[] a -> Arrays.stream(a).mapToObj(Double::toString).toArray(String[]::new);
            case long[] a -> Arrays.stream(a).mapToObj(us -> LocalDateTime.ofEpochSecond(Math.floorDiv(us, 1_000_000),
                    Math.floorMod(us, 1_000_000) * 1000, ZoneOffset.UTC)).toArray();
            case Object[] a -> a.clone();
            default -> throw new IllegalStateException();
        }));
        return new Table(t.rows(), c);
    }

    /** Rows of {@code a} and {@code b} merged: about {@code share} of the rows from {@code a}, the rest from {@code b}. */
    static Table merge(Table a, Table b, double share, Random random) {
        var c = new LinkedHashMap<String, Object>();
        var fromA = new boolean[a.rows()];
        for (int r = 0; r < fromA.length; r++) fromA[r] = random.nextDouble() < share;
        a.columns().forEach((k, v) -> {
            Object w = b.columns().get(k);
            c.put(k, switch (v) {
                case double[] x -> {
                    var out = ((double[]) w).clone();
                    for (int r = 0; r < out.length; r++) if (fromA[r]) out[r] = x[r];
                    yield out;
                }
                default -> v;
            });
        });
        return new Table(a.rows(), c);
    }
}
