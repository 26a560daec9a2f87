package kr.max.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kr.max.models.Frame;

/**
 * Reads the KAMP injection molding CSV into a frame bound as its data dictionary would be: {@code TimeStamp}
 * is the timestamp, {@code EQUIP_NAME} the asset, {@code PassOrFail} the label, and every other numeric
 * process column (times, positions, speeds, pressures, temperatures) a measurement. Identifiers
 * ({@code _id}, {@code PART_FACT_SERIAL}), dates, names and {@code Reason} are left out — the reason is
 * written only for failed shots, so it would hand the label to the model. The file is read in place and never
 * copied (KAMP terms forbid redistribution).
 */
final class KampCsv {

    /** Columns that are not process measurements. */
    static final Set<String> NOT_FEATURES = Set.of("_id", "TimeStamp", "PART_FACT_PLAN_DATE", "PART_FACT_SERIAL", "PART_NAME",
            "EQUIP_CD", "EQUIP_NAME", "PassOrFail", "Reason");

    private KampCsv() {
    }

    /**
     * @param frame      the shots
     * @param duplicates rows equal to an earlier row in every column but {@code _id}
     * @param deduplicated the same frame without those rows
     */
    record Shots(Frame frame, int duplicates, Frame deduplicated) {
    }

    static Shots read(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file, reader);
        }
    }

    private static Shots read(Path file, java.io.BufferedReader reader) throws IOException {
        var first = reader.readLine();
        if (first == null) throw new IllegalArgumentException(file + " is empty");
        var header = split(first);
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) header.set(0, header.get(0).substring(1));
        int time = header.indexOf("TimeStamp"), label = header.indexOf("PassOrFail"), asset = header.indexOf("EQUIP_NAME"), id = header.indexOf("_id");
        if (time < 0 || label < 0) throw new IllegalArgumentException(file + " has no TimeStamp or PassOrFail column: " + header);
        var featureAt = new ArrayList<Integer>();
        var names = new ArrayList<String>();
        for (int j = 0; j < header.size(); j++) {
            if (!NOT_FEATURES.contains(header.get(j))) {
                featureAt.add(j);
                names.add(header.get(j));
            }
        }
        var x = new ArrayList<double[]>();
        var assets = new ArrayList<String>();
        var times = new ArrayList<Long>();
        var labels = new ArrayList<String>();
        var keep = new ArrayList<Boolean>();
        var seen = new HashSet<List<String>>();
        int duplicates = 0;
        long lineNo = 1;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            var f = split(line);
            if (f.size() != header.size()) throw new IllegalArgumentException(file + ":" + lineNo + ": " + f.size() + " fields, header has " + header.size());
            var row = new double[featureAt.size()];
            for (int j = 0; j < row.length; j++) {
                var v = f.get(featureAt.get(j)).trim();
                row[j] = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
            }
            x.add(row);
            assets.add(asset < 0 ? "" : f.get(asset));
            times.add(Instant.parse(f.get(time)).toEpochMilli());
            labels.add(f.get(label));
            var key = new ArrayList<>(f);
            if (id >= 0) key.remove(id);
            boolean fresh = seen.add(key);
            if (!fresh) duplicates++;
            keep.add(fresh);
        }
        var frame = new Frame(names, x.toArray(double[][]::new), assets.toArray(String[]::new),
                times.stream().mapToLong(Long::longValue).toArray(), labels.toArray(String[]::new));
        int[] unique = java.util.stream.IntStream.range(0, keep.size()).filter(keep::get).toArray();
        return new Shots(frame, duplicates, frame.select(unique));
    }

    /** One CSV record; quoted fields may hold commas ("RG3 MOLD'G W/SHLD, LH") and doubled quotes. */
    static List<String> split(String line) {
        var out = new ArrayList<String>();
        var sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    sb.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(ch);
            }
        }
        out.add(sb.toString());
        return out;
    }
}
