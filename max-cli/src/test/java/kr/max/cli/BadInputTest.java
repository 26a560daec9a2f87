package kr.max.cli;

import static kr.max.cli.Cli.csv;
import static kr.max.cli.Cli.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad file is refused with code, file, line and column, and nothing is committed unless asked. */
class BadInputTest {

    static final String EMPTY_LIST = "dataset,versions,rows,size,classification,owner,updated";
    static final List<Integer> FIVE_BAD_LINES = List.of(7, 17, 27, 37, 47);

    @TempDir
    Path dir;

    Cli max;
    List<String> lines;

    /** 300 good rows in 301 lines: the header is line 1, so data row i is on line i + 1. */
    @BeforeEach
    void goodFile() throws IOException {
        max = Cli.in(dir);
        Path data = Files.createDirectories(dir.resolve("data"));
        lines = Files.readAllLines(SampleData.injectionMolding(data, 300, 11), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(301);
    }

    @Test
    void refusesRowWithExtraFieldAndNamesFileLineAndColumn() throws IOException {
        Path file = write("extra.csv", withLine(lines, 11, lines.get(10) + ",surplus"));

        var refused = max.run("ingest", file.toString(), "--dataset", "kamp/press");
        var refusedKo = max.run("--lang", "ko", "ingest", file.toString(), "--dataset", "kamp/press");

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines()).containsExactly(
                "error MAX-INGEST-010 extra.csv:11:13: This row has more fields than there are columns; the first extra field is "
                        + "\"surplus\". Check the delimiter and the quoting of this line, or add the missing column to the header.",
                "1 problem in all. Nothing was committed. Fix the file, or pass --skip-bad-rows to deposit the good rows only.");
        assertThat(refusedKo.exit()).isEqualTo(1);
        assertThat(refusedKo.errLines().getFirst()).startsWith("오류 MAX-INGEST-010 extra.csv:11:13: 이 행에는 열 수보다 많은 필드가 있습니다")
                .contains("\"surplus\"");
        assertThat(refusedKo.errLines().getLast()).startsWith("문제는 모두 1 건입니다. 아무것도 등록되지 않았습니다.");
        assertThat(max.run("datasets", "--format", "csv").outLines()).containsExactly(EMPTY_LIST);
    }

    @Test
    void refusesLetterOInANumberAndKeepsThePreviousVersion() throws IOException {
        Path good = write("press.csv", lines);
        assertThat(max.run("ingest", good.toString(), "--dataset", "kamp/press").exit()).isZero();
        List<String> fields = new ArrayList<>(Arrays.asList(lines.get(20).split(",", -1)));
        assertThat(fields.get(8)).matches("\\d+\\.\\d+");
        fields.set(8, "27O");
        Path bad = write("letter.csv", withLine(lines, 21, String.join(",", fields)));

        var refused = max.run("ingest", bad.toString(), "--dataset", "kamp/press");

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines().getFirst()).startsWith("error MAX-INGEST-012 letter.csv:21:9 (Cycle_Time): The value \"27O\" cannot be read");
        List<String> listed = max.run("datasets", "--format", "csv").outLines();
        assertThat(listed).hasSize(2);
        assertThat(csv(listed.get(1)).subList(0, 3)).containsExactly("kamp/press", "1", "300");
        assertThat(table(max.run("show", "kamp/press", "--rows", "0").outLines(), "Versions")).hasSize(2);
    }

    @Test
    void refusesFileCutOffInsideItsLastRow() throws IOException {
        String whole = String.join("\n", lines) + "\n";
        String last = lines.getLast();
        int tenthComma = -1;
        for (int i = 0; i < 10; i++) tenthComma = last.indexOf(',', tenthComma + 1);
        String cutInside = last.substring(tenthComma + 1, tenthComma + 3);  // two digits of Barrel_Temperature_1
        Path file = dir.resolve("cut.csv");
        Files.writeString(file, whole.substring(0, whole.length() - 1 - last.length() + tenthComma + 3), StandardCharsets.UTF_8);
        assertThat(Files.readString(file)).endsWith("," + cutInside);

        var refused = max.run("ingest", file.toString(), "--dataset", "kamp/press");

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines().getFirst()).startsWith("error MAX-INGEST-013 cut.csv:301:11 (Barrel_Temperature_1): The row is cut off");
        assertThat(refused.errLines().getLast()).startsWith("1 problem in all. Nothing was committed.");
        assertThat(max.run("datasets", "--format", "csv").outLines()).containsExactly(EMPTY_LIST);
    }

    @Test
    void listsEveryProblemAndTheTotalOrAtMostMaxErrors() throws IOException {
        Path file = write("five.csv", fiveBadLines());

        var all = max.run("ingest", file.toString(), "--dataset", "kamp/press");
        var three = max.run("ingest", file.toString(), "--dataset", "kamp/press", "--max-errors", "3");

        assertThat(all.exit()).as(all.toString()).isEqualTo(1);
        assertThat(problemPlaces(all.errLines())).containsExactly("five.csv:7:13", "five.csv:17:13", "five.csv:27:13",
                "five.csv:37:13", "five.csv:47:13");
        assertThat(all.errLines().getLast()).startsWith("5 problems in all. Nothing was committed.");
        assertThat(three.exit()).as(three.toString()).isEqualTo(1);
        assertThat(three.out()).isEmpty();
        assertThat(problemPlaces(three.errLines())).containsExactly("five.csv:7:13", "five.csv:17:13", "five.csv:27:13");
        assertThat(three.errLines().getLast()).startsWith("5 problems in all. Nothing was committed.");
        assertThat(max.run("datasets", "--format", "csv").outLines()).containsExactly(EMPTY_LIST);
    }

    @Test
    void maxErrorsStillSaysTheTotalNumberOfProblems() throws IOException {
        Path file = write("five.csv", fiveBadLines());

        var three = max.run("ingest", file.toString(), "--dataset", "kamp/press", "--max-errors", "3");

        assertThat(problemPlaces(three.errLines())).hasSize(3);
        assertThat(three.errLines().getLast()).startsWith("5 problems in all. Nothing was committed.");
    }

    @Test
    void skipBadRowsCommitsTheGoodRowsAndShowListsTheRejectedLines() throws IOException {
        Path file = write("five.csv", fiveBadLines());

        var ingest = max.run("ingest", file.toString(), "--dataset", "kamp/press", "--skip-bad-rows");

        assertThat(ingest.exit()).as(ingest.toString()).isZero();
        assertThat(ingest.outLines().getFirst()).startsWith("Deposited kamp/press version 1: 295 rows in ");
        assertThat(ingest.outLines().get(1)).isEqualTo("5 bad rows were skipped and recorded with the version (see max show). The first ones:");
        assertThat(problemPlaces(ingest.outLines())).hasSize(5);
        var show = max.run("show", "kamp/press", "--rows", "0");
        List<String> shown = show.outLines();
        assertThat(table(shown, "Versions").get(1).get(5)).isEqualTo("5");
        int rejected = shown.indexOf("Rejected rows of the latest version (5):");
        assertThat(rejected).as(show.toString()).isPositive();
        assertThat(problemPlaces(shown.subList(rejected + 1, shown.size()))).containsExactly("five.csv:7:13", "five.csv:17:13",
                "five.csv:27:13", "five.csv:37:13", "five.csv:47:13");
        assertThat(shown.get(rejected + 1)).contains("\"bad7\"");
        assertThat(max.run("query", "SELECT count(*) AS n FROM \"kamp/press\"", "--format", "csv").outLines()).containsExactly("n", "295");
    }

    // ---- files ----

    private List<String> fiveBadLines() {
        List<String> bad = lines;
        for (int line : FIVE_BAD_LINES) bad = withLine(bad, line, lines.get(line - 1) + ",bad" + line);
        return bad;
    }

    private static List<String> withLine(List<String> lines, int lineNumber, String text) {
        var copy = new ArrayList<>(lines);
        copy.set(lineNumber - 1, text);
        return copy;
    }

    private Path write(String name, List<String> content) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", content) + "\n", StandardCharsets.UTF_8);
    }

    /** {@code file:line:column} of each MAX-INGEST-010 problem line, in order. */
    private static List<String> problemPlaces(List<String> lines) {
        return lines.stream().filter(l -> l.contains("MAX-INGEST-010 "))
                .map(l -> l.substring(l.indexOf("MAX-INGEST-010 ") + 15, l.indexOf(": ", l.indexOf("MAX-INGEST-010 ")))).toList();
    }
}
