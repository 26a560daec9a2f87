package kr.max.library.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the ingest tests. */
final class IngestTestSupport {

    private IngestTestSupport() {
    }

    /** A row as read, copied out of the reused {@link RawRow}. */
    record Row(long line, List<String> fields, IngestProblem problem) {
    }

    static Path write(Path dir, String name, String text) {
        return write(dir, name, text, StandardCharsets.UTF_8);
    }

    static Path write(Path dir, String name, String text, Charset charset) {
        return writeBytes(dir, name, text.getBytes(charset));
    }

    static Path writeBytes(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Row> readAll(RowSource source) {
        var rows = new ArrayList<Row>();
        var row = new RawRow();
        while (source.next(row)) {
            var fields = new ArrayList<String>();
            for (int i = 0; i < row.size(); i++) fields.add(row.get(i));
            rows.add(new Row(row.line(), fields, row.problem()));
        }
        return rows;
    }

    static List<Row> readAll(Path file, SourceOptions options) {
        try (var source = RowSource.open(file, options)) {
            return readAll(source);
        }
    }

    static List<Row> readAll(Path file) {
        return readAll(file, SourceOptions.auto());
    }

    static List<String> fields(String... values) {
        var list = new ArrayList<String>();
        for (String v : values) list.add(v);
        return list;
    }
}
