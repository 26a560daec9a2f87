package kr.max.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kr.max.models.Frame;

/**
 * Reads NASA C-MAPSS text files (Saxena et al., PHM08, 2008) into frames as the library's data dictionary
 * would bind them: {@code unit} the asset, {@code cycle} the timestamp, three operational settings (setpoints)
 * and 21 sensors (measurements) the features. Whitespace-separated, no header, trailing spaces.
 */
final class CmapssData {

    static final List<String> FEATURES;

    static {
        var f = new ArrayList<>(List.of("setting1", "setting2", "setting3"));
        for (int s = 1; s <= 21; s++) f.add("s" + s);
        FEATURES = List.copyOf(f);
    }

    private CmapssData() {
    }

    /** A train or test file; rows stream in line by line. */
    static Frame read(Path file) throws IOException {
        var x = new ArrayList<double[]>();
        var units = new ArrayList<String>();
        var cycles = new ArrayList<Long>();
        try (var lines = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String line;
            int n = 0;
            while ((line = lines.readLine()) != null) {
                n++;
                var p = line.trim().split("\\s+");
                if (p.length == 1 && p[0].isEmpty()) continue;
                if (p.length < 2 + FEATURES.size()) throw new IOException(file + " line " + n + ": " + p.length + " fields");
                units.add(p[0]);
                cycles.add(Long.parseLong(p[1]));
                var row = new double[FEATURES.size()];
                for (int j = 0; j < row.length; j++) row[j] = Double.parseDouble(p[2 + j]);
                x.add(row);
            }
        }
        return new Frame(FEATURES, x.toArray(double[][]::new), units.toArray(String[]::new),
                cycles.stream().mapToLong(Long::longValue).toArray(), null);
    }

    /** The RUL file: one number per line, the life left after the last test cycle of units 1, 2, … */
    static Map<String, Integer> rul(Path file) throws IOException {
        var out = new LinkedHashMap<String, Integer>();
        int unit = 0;
        for (var line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.isBlank()) continue;
            out.put(String.valueOf(++unit), Integer.parseInt(line.trim()));
        }
        return out;
    }

    /** The test frame with a label column: at each row the cycles left, the unit's RUL plus the cycles after it. */
    static Frame labelled(Frame test, Map<String, Integer> rul) {
        var last = new HashMap<String, Long>();
        for (int i = 0; i < test.rows(); i++) last.merge(test.assets()[i], test.times()[i], Math::max);
        var labels = new String[test.rows()];
        for (int i = 0; i < labels.length; i++) {
            var left = rul.get(test.assets()[i]);
            if (left == null) throw new IllegalArgumentException("no RUL for unit " + test.assets()[i]);
            labels[i] = String.valueOf(left + last.get(test.assets()[i]) - test.times()[i]);
        }
        return new Frame(test.features(), test.x(), test.assets(), test.times(), labels);
    }
}
