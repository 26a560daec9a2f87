package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk through the library, run twice: by the command on a home of its own, and with
 * {@code --server} against a running server as a user with a token. What the two print is compared
 * line by line; only who acted (the local operator, the token's user), when, and the test's own
 * directories may differ — and the table columns those widen.
 */
class ServerStoryTest {

    @TempDir
    static Path dir;

    static RemoteLibrary server;
    static String minji;

    @BeforeAll
    static void start() {
        server = RemoteLibrary.start(dir);
        server.organization("kamp-lab", "KR");
        minji = server.user("minji", "kamp-lab", Role.PROVIDER, Role.CONSUMER, Role.AUDITOR);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One side of the comparison: a way to run the command, a directory for its files, who acts. */
    record Side(Cli cli, Path files, String who, List<Cli.Run> runs) {

        Cli.Run run(String... args) {
            String[] resolved = Arrays.stream(args).map(a -> a.replace("{files}", files.toString())).toArray(String[]::new);
            var r = cli.run(resolved);
            runs.add(r);
            return r;
        }

        /** What may differ between the sides made alike: people, times, directories, column widths. */
        String normalized(String text) {
            var lines = new ArrayList<String>();
            for (String line : text.replace(files.toString(), "{files}").lines().toList()) {
                line = line.replace(who, "{who}").replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d", "{time}");
                lines.add(line.matches("-+( +-+)*") ? "{rule}" : line.replaceAll(" {2,}", "  "));
            }
            return String.join("\n", lines);
        }
    }

    static Cli.Run same(Side local, Side remote, String... args) {
        var l = local.run(args);
        var r = remote.run(args);
        String what = String.join(" ", args) + "\n--- embedded\n" + l + "\n--- over HTTP\n" + r;
        assertThat(r.exit()).as(what).isEqualTo(l.exit());
        assertThat(remote.normalized(r.out())).as(what).isEqualTo(local.normalized(l.out()));
        assertThat(remote.normalized(r.err())).as(what).isEqualTo(local.normalized(l.err()));
        return r;
    }

    @Test
    void theReadmeStoryPrintsTheSameOverHttpAsOnTheLibrarysOwnMachine() throws Exception {
        Path input = Files.createDirectories(dir.resolve("input"));
        Path press = SampleData.injectionMolding(input, 300, 2020);
        Path melting = SampleData.meltingTankCp949(input, 120);
        var local = new Side(Cli.in(Files.createDirectories(dir.resolve("local"))), Files.createDirectories(dir.resolve("local-files")),
                Principal.localOperator().name(), new ArrayList<>());
        var remote = new Side(server.cli(minji), Files.createDirectories(dir.resolve("remote-files")), "minji", new ArrayList<>());

        // deposit, a KAMP-shaped file and a CP949 one with Korean headers
        assertThat(same(local, remote, "ingest", press.toString(), "--dataset", "kamp/press").out())
                .startsWith("Deposited kamp/press version 1: 300 rows in ");
        assertThat(same(local, remote, "ingest", melting.toString(), "--dataset", "kamp/melting", "--encoding", "auto").out())
                .contains("read as csv, encoding CP949.");

        // a file with bad rows: deposited without them when asked, else refused with the same first problem
        List<String> lines = new ArrayList<>(Files.readAllLines(press));
        lines.set(4, lines.get(4) + ",surplus");
        lines.set(9, lines.get(9).replaceFirst(",[0-9.]+$", ",hot"));
        Path bad = Files.write(input.resolve("press_bad.csv"), lines);
        assertThat(same(local, remote, "ingest", bad.toString(), "--dataset", "kamp/bad", "--skip-bad-rows").out())
                .contains("2 bad rows were skipped", "press_bad.csv:5");
        var refusedHere = local.run("--lang", "ko", "ingest", bad.toString(), "--dataset", "kamp/refused");
        var refusedThere = remote.run("--lang", "ko", "ingest", bad.toString(), "--dataset", "kamp/refused");
        assertThat(refusedThere.exit()).isEqualTo(refusedHere.exit()).isEqualTo(1);
        assertThat(refusedThere.errLines().getFirst()).startsWith("오류 MAX-INGEST-").isEqualTo(refusedHere.errLines().getFirst());
        same(local, remote, "delete", "kamp/bad");

        // the catalog, in every format and both languages
        same(local, remote, "datasets");
        same(local, remote, "datasets", "--format", "csv");
        assertThat(same(local, remote, "datasets", "--format", "json").outLines()).hasSize(2);
        var shown = same(local, remote, "show", "kamp/press");
        assertThat(Cli.table(shown.outLines(), "Sample of the latest version (5 rows)")).hasSize(6);
        same(local, remote, "--lang", "ko", "show", "kamp/melting", "--rows", "3");

        // the dictionary, written to a file and printed, then a second version
        assertThat(same(local, remote, "dictionary", "kamp/press", "--to", "{files}/press.yaml").out())
                .contains("Wrote the data dictionary (12 columns) to " + remote.files().resolve("press.yaml"));
        assertThat(Files.readString(remote.files().resolve("press.yaml"))).isEqualTo(Files.readString(local.files().resolve("press.yaml")));
        same(local, remote, "dictionary", "kamp/melting@1");
        assertThat(same(local, remote, "ingest", press.toString(), "--dataset", "kamp/press").out())
                .startsWith("Deposited kamp/press version 2: 300 rows in ");
        same(local, remote, "show", "kamp/press", "--rows", "0");

        // queries: CSV, a named version, every kind of value in every format, a version that does not exist
        var perMachine = same(local, remote, "query", "SELECT EQUIP_NAME, count(*) AS shots, round(avg(Cycle_Time), 4) AS cycle, "
                + "min(TimeStamp) AS first FROM \"kamp/press\" GROUP BY 1 ORDER BY 1", "--format", "csv");
        assertThat(perMachine.outLines()).hasSize(4);
        assertThat(same(local, remote, "query", "SELECT count(*) FROM \"kamp/press@1\"").outLines())
                .containsExactly("count_star()", "------------", "300");
        String everyKind = "SELECT 42::INTEGER AS i, 9007199254740993::BIGINT AS big, 1.5::DOUBLE AS d, 3.0::DOUBLE AS whole, "
                + "12.30::DECIMAL(10,2) AS money, 'Ω, \"quoted\"' AS s, TIMESTAMPTZ '2020-10-16 04:57:47+00' AS tz, "
                + "TIMESTAMP '2020-10-16 04:57:47' AS wall, DATE '2020-10-16' AS day, true AS ok, NULL AS nothing, "
                + "'NaN'::DOUBLE AS nan, 0.1::FLOAT AS f, 170141183460469231731687303715884105727::HUGEINT AS huge";
        for (String format : List.of("table", "csv", "json")) same(local, remote, "query", everyKind, "--format", format);
        assertThat(same(local, remote, "query", "SELECT count(*) FROM \"kamp/press@3\"").err()).contains("MAX-CATALOG-002");

        // exports: the same files, and nothing half-written left behind
        same(local, remote, "export", "kamp/press", "--to", "{files}/press.parquet");
        same(local, remote, "export", "kamp/press@1", "--to", "{files}/press@1.csv");
        assertThat(Files.readString(remote.files().resolve("press@1.csv")))
                .isEqualTo(Files.readString(local.files().resolve("press@1.csv")));
        assertThat(differentRows(local.files().resolve("press.parquet"), remote.files().resolve("press.parquet"))).isZero();
        try (Stream<Path> files = Files.list(remote.files())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("press.yaml", "press.parquet", "press@1.csv");
        }

        // describe, delete, and the dataset is gone the same way
        same(local, remote, "describe", "kamp/melting", "--title-ko", "용해로", "--title-en", "Melting tank", "--tags", "kamp,melting");
        assertThat(same(local, remote, "--lang", "ko", "show", "kamp/melting", "--rows", "0").out()).contains("용해로");
        same(local, remote, "delete", "kamp/press");
        same(local, remote, "datasets", "--format", "csv");
        assertThat(same(local, remote, "show", "kamp/press").err()).contains("MAX-CATALOG-001");

        // the audit trail: the same operations on the dataset in the same order, and an intact chain
        var localAudit = local.run("audit", "--dataset", "kamp/press", "--format", "csv");
        var remoteAudit = remote.run("audit", "--dataset", "kamp/press", "--format", "csv");
        assertThat(remoteAudit.exit()).as(remoteAudit.toString()).isZero();
        assertThat(operations(remoteAudit)).isEqualTo(operations(localAudit)).contains("ingest 1 ok", "export 1 ok", "delete  ok");
        assertThat(remoteAudit.outLines().stream().skip(1).map(l -> Cli.csv(l).get(2))).containsOnly("minji");
        // (how many records and checkpoints differs: each embedded command opens and closes its library)
        for (Side side : List.of(local, remote)) {
            var verified = side.run("audit", "verify");
            assertThat(verified.exit()).as(verified.toString()).isZero();
            assertThat(verified.out()).startsWith("Audit chain intact: ");
        }

        // the token is sent, never shown
        assertThat(remote.runs()).allSatisfy(r -> assertThat(r.out() + r.err()).doesNotContain(minji).doesNotContain(minji.substring(21)));
    }

    /** Action, version and outcome of each audit record, in order. */
    static List<String> operations(Cli.Run audit) {
        return audit.outLines().stream().skip(1).map(Cli::csv).map(r -> r.get(3) + " " + r.get(5) + " " + r.get(6)).toList();
    }

    static long differentRows(Path a, Path b) throws SQLException {
        String x = "read_parquet('" + a + "')";
        String y = "read_parquet('" + b + "')";
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement();
             var rs = s.executeQuery("SELECT (SELECT count(*) FROM " + x + ") - 300 + (SELECT count(*) FROM (SELECT * FROM " + x
                     + " EXCEPT ALL SELECT * FROM " + y + ")) + (SELECT count(*) FROM (SELECT * FROM " + y + " EXCEPT ALL SELECT * FROM "
                     + x + "))")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
