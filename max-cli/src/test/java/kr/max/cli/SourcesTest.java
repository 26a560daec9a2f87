package kr.max.cli;

import static kr.max.cli.Cli.csv;
import static kr.max.cli.Cli.table;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files as factories have them: CP949 with Korean headers, C-MAPSS whitespace text without a header. */
class SourcesTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "--encoding {0}")
    @ValueSource(strings = {"auto", "cp949"})
    void depositsCp949FileWithKoreanHeaders(String encoding) throws IOException {
        Cli max = Cli.in(dir);
        Path file = SampleData.meltingTankCp949(dir, 120);
        List<String> lines = Files.readAllLines(file, Charset.forName("x-windows-949"));
        assertThat(lines.getFirst()).isEqualTo("일시,설비,용해온도,교반속도,판정");

        var ingest = max.run("ingest", file.toString(), "--dataset", "kamp/melting", "--encoding", encoding);

        assertThat(ingest.exit()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).startsWith("Deposited kamp/melting version 1: 120 rows in ").contains("read as csv, encoding CP949.");
        var shown = max.run("--lang", "ko", "show", "kamp/melting", "--rows", "2").outLines();
        assertThat(table(shown, "버전").get(1).get(6)).isEqualTo("melting_tank_ko.csv (csv, CP949)");
        assertThat(table(shown, "데이터 사전 (시간대 Asia/Seoul)").stream().skip(1).map(List::getFirst))
                .containsExactly("일시", "설비", "용해온도", "교반속도", "판정");
        assertThat(table(shown, "최신 버전 견본 (2 행)").getFirst()).containsExactly("일시", "설비", "용해온도", "교반속도", "판정");

        // per tank, computed from the file: rows, temperature range, stirring speed sum, defects
        var expected = new TreeMap<String, long[]>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            long[] t = expected.computeIfAbsent(f[1], k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0});
            long temperature = Long.parseLong(f[2]);
            t[0]++;
            t[1] = Math.min(t[1], temperature);
            t[2] = Math.max(t[2], temperature);
            t[3] += Long.parseLong(f[3]);
            if (f[4].equals("불량")) t[4]++;
        }
        var query = max.run("query", "SELECT 설비, count(*) AS n, min(용해온도) AS t_min, max(용해온도) AS t_max, sum(교반속도) AS speed, "
                + "count(*) FILTER (WHERE 판정 = '불량') AS 불량, min(일시) AS first, max(일시) AS last "
                + "FROM \"kamp/melting\" GROUP BY 1 ORDER BY 1", "--format", "csv");
        assertThat(query.exit()).as(query.toString()).isZero();
        var rows = query.outLines();
        assertThat(rows.getFirst()).isEqualTo("설비,n,t_min,t_max,speed,불량,first,last");
        assertThat(rows).hasSize(1 + expected.size());
        int i = 1;
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] t = e.getValue();
            List<String> row = csv(rows.get(i++));
            assertThat(row.subList(0, 6)).containsExactly(e.getKey(), "" + t[0], "" + t[1], "" + t[2], "" + t[3], "" + t[4]);
        }
        // "2020-03-04 0:00" (H:mm, Korean time) read and shown back in Korean time; 120 minutes of data
        assertThat(csv(rows.get(1)).get(6)).isEqualTo("2020-03-04 00:00:00");
        assertThat(csv(rows.get(rows.size() - 1)).get(7)).isEqualTo("2020-03-04 01:59:00");
    }

    @Test
    void refusesCp949FileReadAsUtf8AndNamesTheFirstBadByte() throws IOException {
        Cli max = Cli.in(dir);
        Path file = SampleData.meltingTankCp949(dir, 20);

        var refused = max.run("ingest", file.toString(), "--dataset", "kamp/melting", "--encoding", "utf-8");

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).startsWith("error MAX-INGEST-003 melting_tank_ko.csv:1:").contains("--encoding");
    }

    @Test
    void depositsCmapssTextWithoutHeaderUnderTheGivenColumnNames() throws IOException {
        Cli max = Cli.in(dir);
        Path file = SampleData.cmapss(dir, 3, 25);
        var columns = new ArrayList<>(List.of("unit", "cycle", "setting1", "setting2", "setting3"));
        for (int s = 1; s <= 21; s++) columns.add("s" + s);

        var ingest = max.run("ingest", file.toString(), "--dataset", "nasa/fd001", "--no-header", "--columns", String.join(",", columns));

        assertThat(ingest.exit()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).startsWith("Deposited nasa/fd001 version 1: 75 rows in ").contains("read as text");
        var dictionary = table(max.run("show", "nasa/fd001", "--rows", "0").outLines(), "Data dictionary (time zone Asia/Seoul)");
        assertThat(dictionary.stream().skip(1).map(List::getFirst)).containsExactlyElementsOf(columns);

        // per unit, computed from the file
        var expected = new TreeMap<Integer, Object[]>();
        for (String l : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] f = l.trim().split("\\s+");
            assertThat(f).hasSize(26);
            Object[] u = expected.computeIfAbsent(Integer.parseInt(f[0]), k -> new Object[] {0, 0, BigDecimal.ZERO, BigDecimal.ZERO});
            u[0] = (int) u[0] + 1;
            u[1] = Math.max((int) u[1], Integer.parseInt(f[1]));
            u[2] = ((BigDecimal) u[2]).add(new BigDecimal(f[2]));
            u[3] = ((BigDecimal) u[3]).add(new BigDecimal(f[25]));
        }
        var query = max.run("query", "SELECT unit, count(*) AS cycles, max(cycle) AS last_cycle, round(sum(setting1), 4) AS setting1, "
                + "round(sum(s21), 2) AS s21 FROM \"nasa/fd001\" GROUP BY 1 ORDER BY 1", "--format", "csv");
        assertThat(query.exit()).as(query.toString()).isZero();
        var rows = query.outLines();
        assertThat(rows.getFirst()).isEqualTo("unit,cycles,last_cycle,setting1,s21");
        assertThat(rows).hasSize(4);
        int i = 1;
        for (var e : expected.entrySet()) {
            List<String> row = csv(rows.get(i++));
            Object[] u = e.getValue();
            assertThat(row.subList(0, 3)).containsExactly("" + e.getKey(), "" + u[0], "" + u[1]);
            assertThat(new BigDecimal(row.get(3))).isEqualByComparingTo((BigDecimal) u[2]);
            assertThat(new BigDecimal(row.get(4))).isEqualByComparingTo((BigDecimal) u[3]);
        }
    }

    @Test
    void refusesTextWithMoreFieldsThanGivenColumns() throws IOException {
        Cli max = Cli.in(dir);
        Path file = SampleData.cmapss(dir, 1, 5);

        var refused = max.run("ingest", file.toString(), "--dataset", "nasa/fd001", "--no-header", "--columns", "unit,cycle");

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.errLines().getFirst()).startsWith("error MAX-INGEST-010 train_FD001.txt:1:3: ");
        assertThat(refused.errLines().getLast()).startsWith("5 problems in all.");
    }
}
