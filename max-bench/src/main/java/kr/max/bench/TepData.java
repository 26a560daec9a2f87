package kr.max.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import kr.max.models.Frame;

/**
 * The Tennessee Eastman files of the Braatz set as frames: 52 variables ({@code xmeas_1}–{@code xmeas_41},
 * {@code xmv_1}–{@code xmv_11}), no asset or time column (rows are in time order), and for the test runs a
 * label per sample: {@code 0} for the first 160 samples, the fault number after (the fault enters after
 * sample 160). {@code d00.dat} is stored transposed (52 rows of 500 samples) and is turned back here.
 */
final class TepData {

    static final int VARIABLES = 52;
    static final int FAULT_STARTS_AFTER = 160;
    static final List<String> FEATURES = IntStream.rangeClosed(1, VARIABLES)
            .mapToObj(i -> i <= 41 ? "xmeas_" + i : "xmv_" + (i - 41)).toList();

    private final Path dir;

    private TepData(Path dir) {
        this.dir = dir;
    }

    /**
     * The folder given with {@code --data} (the folder holding {@code tep/}, or {@code tep/} itself), or
     * {@code ../shared/data} beside the project root ({@code -Dmax.root}).
     */
    static TepData at(String dataOption) {
        Path base = dataOption != null ? Path.of(dataOption)
                : Path.of(System.getProperty("max.root", ".")).toAbsolutePath().resolve("../shared/data").normalize();
        Path dir = Files.isRegularFile(base.resolve("d00.dat")) ? base : base.resolve("tep");
        if (!Files.isRegularFile(dir.resolve("d00.dat"))) {
            throw new IllegalArgumentException("no Tennessee Eastman data in " + dir + " (give --data DIR, the folder holding tep/)");
        }
        return new TepData(dir);
    }

    Path dir() {
        return dir;
    }

    /** {@code d00.dat}: 500 samples of normal operation, read back from its transposed layout. */
    Frame normalTraining() throws IOException {
        double[][] stored = read("d00.dat");
        double[][] x = stored.length == VARIABLES && stored[0].length != VARIABLES ? transpose(stored) : stored;
        return new Frame(FEATURES, x, null, null, null);
    }

    /** {@code dNN_te.dat}: 960 samples, labelled {@code 0} up to sample 160 and {@code NN} after. */
    Frame test(int fault) throws IOException {
        double[][] x = read(String.format("d%02d_te.dat", fault));
        String[] labels = new String[x.length];
        for (int i = 0; i < x.length; i++) labels[i] = i < FAULT_STARTS_AFTER ? "0" : Integer.toString(fault);
        return new Frame(FEATURES, x, null, null, labels);
    }

    private double[][] read(String name) throws IOException {
        var rows = new ArrayList<double[]>();
        try (var lines = Files.lines(dir.resolve(name))) {
            lines.map(String::strip).filter(l -> !l.isEmpty())
                    .forEach(l -> rows.add(Arrays.stream(l.split("\\s+")).mapToDouble(Double::parseDouble).toArray()));
        }
        return rows.toArray(double[][]::new);
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }
}
