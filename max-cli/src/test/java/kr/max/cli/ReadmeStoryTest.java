package kr.max.cli;

import static kr.max.cli.Cli.csv;
import static kr.max.cli.Cli.rowStartingWith;
import static kr.max.cli.Cli.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The README's walk through the library, command by command, as one user at one shell. */
class ReadmeStoryTest {

    static final List<String> INJECTION_COLUMNS = List.of("_id", "TimeStamp", "PART_NAME", "EQUIP_CD", "EQUIP_NAME", "Worker",
            "PassOrFail", "Reason", "Cycle_Time", "Max_Injection_Pressure", "Barrel_Temperature_1", "Mold_Temperature_1");

    static final DateTimeFormatter KST = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Seoul"));

    @TempDir
    Path dir;

    @Test
    void depositListShowEditDictionaryQueryExportDeleteAndAudit() throws Exception {
        Cli max = Cli.in(dir);
        Path press = SampleData.injectionMolding(dir, 300, 2020);
        List<String[]> source = readRows(press);

        // ingest
        var ingest = max.run("ingest", press.toString(), "--dataset", "kamp/press");
        assertThat(ingest.exit()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).startsWith("Deposited kamp/press version 1: 300 rows in ")
                .contains("read as csv, encoding UTF-8.");
        assertThat(ingest.err()).isEmpty();

        // datasets, in each of its formats
        var datasets = table(max.run("datasets").outLines(), null);
        assertThat(datasets.getFirst()).containsExactly("dataset", "versions", "rows", "size", "classification", "owner", "updated");
        assertThat(datasets).hasSize(2);
        assertThat(datasets.get(1)).hasSize(7);
        assertThat(datasets.get(1).subList(0, 3)).containsExactly("kamp/press", "1", "300");
        assertThat(datasets.get(1).get(4)).isEqualTo("internal");
        assertThat(datasets.get(1).get(5)).startsWith("local:");

        var asCsv = max.run("datasets", "--format", "csv").outLines();
        assertThat(asCsv).hasSize(2);
        assertThat(asCsv.getFirst()).isEqualTo("dataset,versions,rows,size,classification,owner,updated");
        List<String> csvRow = csv(asCsv.get(1));
        assertThat(csvRow).hasSize(7);
        assertThat(csvRow.subList(0, 3)).containsExactly("kamp/press", "1", "300");
        assertThat(csvRow.get(6)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

        var asJson = max.run("datasets", "--format", "json").outLines();
        assertThat(asJson).hasSize(1);
        JsonNode json = JsonMapper.builder().build().readTree(asJson.getFirst());
        assertThat(json.propertyNames()).containsExactly("dataset", "versions", "rows", "size", "classification", "owner", "updated");
        assertThat(json.get("dataset").asString()).isEqualTo("kamp/press");
        assertThat(json.get("versions").isNumber()).isTrue();
        assertThat(json.get("versions").asInt()).isEqualTo(1);
        assertThat(json.get("rows").asLong()).isEqualTo(300);
        assertThat(json.get("classification").asString()).isEqualTo("internal");

        // show: versions, dictionary, sample rows
        var show = max.run("show", "kamp/press");
        assertThat(show.exit()).as(show.toString()).isZero();
        List<String> shown = show.outLines();
        assertThat(shown.getFirst()).startsWith("Dataset kamp/press  (classification internal, owner local:");
        var versions = table(shown, "Versions");
        assertThat(versions.getFirst()).containsExactly("version", "created", "rows", "size", "chunks", "rejected", "source", "sha256");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(1).get(0)).isEqualTo("1");
        assertThat(versions.get(1).get(2)).isEqualTo("300");
        assertThat(versions.get(1).get(5)).isEqualTo("0");
        assertThat(versions.get(1).get(6)).isEqualTo("injection_molding.csv (csv, UTF-8)");
        assertThat(versions.get(1).get(7)).isEqualTo(sha256(press).substring(0, 16));
        var dictionary = table(shown, "Data dictionary (time zone Asia/Seoul)");
        assertThat(dictionary.getFirst()).containsExactly("column", "role", "type", "unit", "sensitivity", "description");
        assertThat(dictionary.stream().skip(1).map(List::getFirst)).containsExactlyElementsOf(INJECTION_COLUMNS);
        assertThat(rowStartingWith(dictionary, "TimeStamp").orElseThrow()).startsWith("TimeStamp", "timestamp", "timestamp");
        var sample = table(shown, "Sample of the latest version (5 rows)");
        assertThat(sample.getFirst()).containsExactlyElementsOf(INJECTION_COLUMNS);
        assertThat(sample).hasSize(6);
        Map<String, String[]> byId = new HashMap<>();
        source.forEach(r -> byId.put(r[0], r));
        for (List<String> shownRow : sample.subList(1, sample.size())) {
            String[] original = byId.get(shownRow.getFirst());
            assertThat(original).as("sample row %s is a row of the file", shownRow).isNotNull();
            // the file's UTC time (2020-10-16T04:57:47.000Z) shown in Korean time (2020-10-16 13:57:47)
            assertThat(shownRow.get(1)).isEqualTo(KST.format(Instant.parse(original[1])));
            assertThat(shownRow.get(4)).isEqualTo(original[4]);
            assertThat(shownRow.get(8)).isEqualTo(original[8]);
        }

        // dictionary --to, edited, deposited again as version 2
        Path yaml = dir.resolve("press.yaml");
        var written = max.run("dictionary", "kamp/press", "--to", yaml.toString());
        assertThat(written.exit()).as(written.toString()).isZero();
        assertThat(written.out()).contains("Wrote the data dictionary (12 columns) to " + yaml);
        String draft = Files.readString(yaml, StandardCharsets.UTF_8);
        assertThat(draft).contains("dataset: kamp/press").contains("- name: Max_Injection_Pressure");
        Files.writeString(yaml, editColumn(draft, "Max_Injection_Pressure", "MPa", "노즐 최고 압력", "Peak pressure at the nozzle"),
                StandardCharsets.UTF_8);

        var second = max.run("ingest", press.toString(), "--dataset", "kamp/press", "--dictionary", yaml.toString());
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(second.out()).startsWith("Deposited kamp/press version 2: 300 rows in ");

        var showEdited = max.run("show", "kamp/press", "--rows", "0").outLines();
        assertThat(table(showEdited, "Versions")).hasSize(3);
        assertThat(rowStartingWith(table(showEdited, "Data dictionary (time zone Asia/Seoul)"), "Max_Injection_Pressure")
                .orElseThrow()).containsExactly("Max_Injection_Pressure", "measurement", "decimal", "MPa", "none",
                "Peak pressure at the nozzle");
        var showKorean = max.run("--lang", "ko", "show", "kamp/press", "--rows", "0").outLines();
        assertThat(rowStartingWith(table(showKorean, "데이터 사전 (시간대 Asia/Seoul)"), "Max_Injection_Pressure").orElseThrow())
                .endsWith("MPa", "none", "노즐 최고 압력");
        assertThat(max.run("dictionary", "kamp/press@2").out()).contains("unit: MPa").contains("Peak pressure at the nozzle");
        assertThat(max.run("dictionary", "kamp/press@1").out()).doesNotContain("Peak pressure at the nozzle");

        // query: aggregates computed here from the generated file
        var query = max.run("query", "SELECT EQUIP_NAME, count(*) AS shots, min(Cycle_Time) AS min_cycle, max(Cycle_Time) AS max_cycle, "
                + "round(sum(Cycle_Time), 2) AS sum_cycle, round(avg(Max_Injection_Pressure), 4) AS avg_pressure, "
                + "count(*) FILTER (WHERE PassOrFail = 'N') AS fails FROM \"kamp/press\" GROUP BY 1 ORDER BY 1", "--format", "csv");
        assertThat(query.exit()).as(query.toString()).isZero();
        List<String> queried = query.outLines();
        assertThat(queried.getFirst()).isEqualTo("EQUIP_NAME,shots,min_cycle,max_cycle,sum_cycle,avg_pressure,fails");
        Map<String, Machine> expected = perMachine(source);
        assertThat(expected).hasSize(3);
        assertThat(queried).hasSize(1 + expected.size());
        int line = 1;
        for (var e : expected.entrySet()) {
            List<String> row = csv(queried.get(line++));
            Machine m = e.getValue();
            assertThat(row.get(0)).isEqualTo(e.getKey());
            assertThat(Long.parseLong(row.get(1))).isEqualTo(m.shots);
            assertThat(new BigDecimal(row.get(2))).isEqualByComparingTo(m.minCycle);
            assertThat(new BigDecimal(row.get(3))).isEqualByComparingTo(m.maxCycle);
            assertThat(new BigDecimal(row.get(4))).isEqualByComparingTo(m.sumCycle);
            assertThat(new BigDecimal(row.get(5))).isEqualByComparingTo(m.sumPressure.divide(BigDecimal.valueOf(m.shots), 4, RoundingMode.HALF_EVEN));
            assertThat(Long.parseLong(row.get(6))).isEqualTo(m.fails);
        }

        // a named version
        var count = max.run("query", "SELECT count(*) FROM \"kamp/press@1\"");
        assertThat(count.exit()).as(count.toString()).isZero();
        assertThat(count.outLines()).containsExactly("count_star()", "------------", "300");
        var noSuchVersion = max.run("query", "SELECT count(*) FROM \"kamp/press@3\"");
        assertThat(noSuchVersion.exit()).isEqualTo(1);
        assertThat(noSuchVersion.err()).contains("MAX-CATALOG-002").contains("has no version 3");

        // export, read back by DuckDB
        Path parquet = dir.resolve("press.parquet");
        Path csvFile = dir.resolve("press@1.csv");
        var toParquet = max.run("export", "kamp/press", "--to", parquet.toString());
        assertThat(toParquet.exit()).as(toParquet.toString()).isZero();
        assertThat(toParquet.out()).contains("Exported kamp/press to " + parquet + ": 300 rows.");
        var toCsv = max.run("export", "kamp/press@1", "--to", csvFile.toString());
        assertThat(toCsv.exit()).as(toCsv.toString()).isZero();
        assertThat(duckCount("read_parquet('" + parquet + "')")).isEqualTo(300);
        assertThat(duckCount("read_csv('" + csvFile + "')")).isEqualTo(300);
        assertThat(Files.readAllLines(csvFile).getFirst()).isEqualTo(String.join(",", INJECTION_COLUMNS));

        // delete: gone from the list, and show says so with a stable code
        var delete = max.run("delete", "kamp/press");
        assertThat(delete.exit()).as(delete.toString()).isZero();
        assertThat(delete.out()).startsWith("Deleted kamp/press: its keys were destroyed");
        assertThat(max.run("datasets", "--format", "csv").outLines()).containsExactly("dataset,versions,rows,size,classification,owner,updated");
        assertThat(max.run("datasets", "--format", "json").out()).isEmpty();
        var gone = max.run("show", "kamp/press");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.out()).isEmpty();
        assertThat(gone.err()).contains("MAX-CATALOG-001").contains("No dataset named \"kamp/press\"");

        // audit: who did what
        var audit = max.run("audit", "--format", "csv");
        assertThat(audit.exit()).as(audit.toString()).isZero();
        List<List<String>> records = audit.outLines().stream().map(Cli::csv).toList();
        assertThat(records.getFirst()).containsExactly("seq", "time", "principal", "action", "dataset", "version", "outcome", "detail");
        var onPress = records.stream().skip(1).filter(r -> r.get(4).equals("kamp/press")).toList();
        assertThat(onPress).extracting(r -> r.get(3)).contains("ingest", "query", "export", "delete");
        // each deposit: the permit before it, the outcome with its version after it
        assertThat(onPress).filteredOn(r -> r.get(3).equals("ingest")).extracting(r -> r.get(5) + " " + r.get(6))
                .containsExactly(" permit", "1 ok", " permit", "2 ok");
        assertThat(onPress).filteredOn(r -> r.get(3).equals("export")).extracting(r -> r.get(7))
                .anySatisfy(d -> assertThat(d).contains("format=parquet"))
                .anySatisfy(d -> assertThat(d).contains("format=csv"));
        assertThat(records.stream().skip(1).map(r -> r.get(2))).allMatch(p -> p.startsWith("local:"));
        assertThat(records.stream().skip(1).map(r -> Long.parseLong(r.getFirst())))
                .as("sequence numbers without gaps").containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, records.size() - 1).boxed().toList());

        var verify = max.run("audit", "verify");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).startsWith("Audit chain intact: ");
    }

    // ---- the generated file, read independently of the library ----

    static List<String[]> readRows(Path file) throws IOException {
        var rows = new ArrayList<String[]>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines.getFirst().split(",")).containsExactlyElementsOf(INJECTION_COLUMNS);
        for (String l : lines.subList(1, lines.size())) rows.add(l.split(",", -1));
        return rows;
    }

    static final class Machine {
        long shots;
        long fails;
        BigDecimal minCycle;
        BigDecimal maxCycle;
        BigDecimal sumCycle = BigDecimal.ZERO;
        BigDecimal sumPressure = BigDecimal.ZERO;
    }

    static Map<String, Machine> perMachine(List<String[]> rows) {
        var byName = new TreeMap<String, Machine>();
        for (String[] r : rows) {
            Machine m = byName.computeIfAbsent(r[4], k -> new Machine());
            BigDecimal cycle = new BigDecimal(r[8]);
            m.shots++;
            if (r[6].equals("N")) m.fails++;
            m.minCycle = m.minCycle == null || cycle.compareTo(m.minCycle) < 0 ? cycle : m.minCycle;
            m.maxCycle = m.maxCycle == null || cycle.compareTo(m.maxCycle) > 0 ? cycle : m.maxCycle;
            m.sumCycle = m.sumCycle.add(cycle);
            m.sumPressure = m.sumPressure.add(new BigDecimal(r[9]));
        }
        return byName;
    }

    /** The YAML with one column's unit and both descriptions replaced, the rest untouched. */
    static String editColumn(String yaml, String column, String unit, String ko, String en) {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        int start = lines.indexOf("  - name: " + column);
        assertThat(start).as("column %s in the YAML", column).isGreaterThanOrEqualTo(0);
        int end = start + 1;
        while (end < lines.size() && lines.get(end).startsWith("    ")) end++;
        var block = new ArrayList<String>();
        for (String l : lines.subList(start, end)) {
            if (l.startsWith("    unit:")) continue;
            if (l.startsWith("    description:")) {
                block.add("    description: { ko: \"" + ko + "\", en: \"" + en + "\" }");
                continue;
            }
            block.add(l);
            if (l.startsWith("    type:")) block.add("    unit: " + unit);
        }
        assertThat(block).as("edited block").contains("    unit: " + unit);
        lines.subList(start, end).clear();
        lines.addAll(start, block);
        return String.join("\n", lines) + "\n";
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static long duckCount(String from) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
