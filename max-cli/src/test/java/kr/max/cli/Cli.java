package kr.max.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code max} command run in-process against one library home and one master key file, both in
 * a test's own directory, so that nothing depends on {@code MAX_HOME}, {@code MAX_MASTER_KEY} or the
 * user's locale; or ({@link #against}) against a server with a token, so that nothing depends on
 * {@code MAX_SERVER} or {@code MAX_TOKEN}. English unless the arguments give {@code --lang}.
 */
final class Cli {

    static final String SECRET = "cli end-to-end test master secret 0001";

    private final Path home;
    private final Path keyFile;
    private final String server;
    private final String token;

    private Cli(Path home, Path keyFile) {
        this(home, keyFile, null, null);
    }

    private Cli(Path home, Path keyFile, String server, String token) {
        this.home = home;
        this.keyFile = keyFile;
        this.server = server;
        this.token = token;
    }

    /** {@code max --server URL [--token TOKEN]}: no home, no key; {@code token} may be null. */
    static Cli against(String server, String token) {
        return new Cli(null, null, server, token);
    }

    /** A library home in {@code dir/home} with a key file {@code dir/master.key} holding {@link #SECRET}. */
    static Cli in(Path dir) throws IOException {
        Path key = dir.resolve("master.key");
        Files.writeString(key, SECRET, StandardCharsets.UTF_8);
        return new Cli(dir.resolve("home"), key);
    }

    /** The same home opened with another key file. */
    Cli withKeyFile(Path otherKey) {
        return new Cli(home, otherKey);
    }

    Path home() {
        return home;
    }

    Path keyFile() {
        return keyFile;
    }

    /** {@code max --home HOME --key-file KEY [--lang en] args...}, or {@code max --server URL --token TOKEN [--lang en] args...}. */
    Run run(String... args) {
        var all = new ArrayList<String>();
        if (server == null) {
            all.addAll(List.of("--home", home.toString(), "--key-file", keyFile.toString()));
        } else {
            all.addAll(List.of("--server", server));
            if (token != null) all.addAll(List.of("--token", token));
        }
        boolean langGiven = Arrays.stream(args).anyMatch(a -> a.equals("--lang") || a.startsWith("--lang="));
        if (!langGiven) all.addAll(List.of("--lang", "en"));
        all.addAll(List.of(args));
        var out = new StringWriter();
        var err = new StringWriter();
        int exit;
        try (var o = new PrintWriter(out); var e = new PrintWriter(err)) {
            exit = MaxCli.run(all.toArray(String[]::new), o, e);
        }
        return new Run(exit, out.toString(), err.toString());
    }

    /** What a run printed and how it ended. */
    record Run(int exit, String out, String err) {

        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    // ---- reading what the CLI printed ----

    /** The cells of an aligned table line: columns are separated by at least two spaces. */
    static List<String> cells(String tableLine) {
        return List.of(tableLine.strip().split(" {2,}"));
    }

    /**
     * The table that follows the line {@code title} (or the first table when {@code title} is null):
     * its header cells first, then its rows, up to the first blank line.
     */
    static List<List<String>> table(List<String> lines, String title) {
        int start = title == null ? 0 : lines.indexOf(title) + 1;
        if (title != null && start == 0) throw new AssertionError("no line \"" + title + "\" in\n" + String.join("\n", lines));
        var rows = new ArrayList<List<String>>();
        rows.add(cells(lines.get(start)));
        if (!lines.get(start + 1).matches("-+( +-+)*")) throw new AssertionError("no separator under " + lines.get(start));
        for (int i = start + 2; i < lines.size() && !lines.get(i).isBlank(); i++) rows.add(cells(lines.get(i)));
        return rows;
    }

    /** One RFC 4180 line (no line breaks inside fields). */
    static List<String> csv(String line) {
        var fields = new ArrayList<String>();
        var sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    sb.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        fields.add(sb.toString());
        return fields;
    }

    /** The row of a parsed table whose first cell is {@code key}. */
    static Optional<List<String>> rowStartingWith(List<List<String>> table, String key) {
        return table.stream().skip(1).filter(r -> r.getFirst().equals(key)).findFirst();
    }
}
