package kr.max.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Korean and English: the same stable code, each user's own words. */
class LanguageTest {

    static final Pattern CODE = Pattern.compile("MAX-[A-Z]+-\\d{3}");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            show kamp/nothing                          | MAX-CATALOG-001 | No dataset named "kamp/nothing"       | "kamp/nothing" 데이터셋이 없습니다
            export kamp/nothing --to x.csv             | MAX-CATALOG-001 | No dataset named "kamp/nothing"       | "kamp/nothing" 데이터셋이 없습니다
            query SELECT * FROM "kamp/nothing"         | MAX-QUERY-003   | which is not a dataset of the library | 라이브러리의 데이터셋이 아닙니다
            ingest no-such-file.csv --dataset kamp/x   | MAX-INGEST-001  | does not exist or cannot be read      | 없거나 읽을 수 없습니다
            """)
    void sameErrorHasTheSameCodeInKoreanAndEnglish(String command, String code, String english, String korean) throws IOException {
        Cli max = Cli.in(dir);
        String[] args = command.startsWith("query ")
                ? new String[] {"query", command.substring("query ".length())}
                : command.split(" ");

        var en = max.run(prepend("--lang", "en", args));
        var ko = max.run(prepend("--lang", "ko", args));

        assertThat(en.exit()).as(en.toString()).isEqualTo(1);
        assertThat(ko.exit()).as(ko.toString()).isEqualTo(1);
        assertThat(en.out()).isEmpty();
        assertThat(ko.out()).isEmpty();
        assertThat(en.errLines()).singleElement().asString().startsWith("error " + code).contains(english);
        assertThat(ko.errLines()).singleElement().asString().startsWith("오류 " + code).contains(korean).doesNotContain(english);
        assertThat(codes(en.err())).isEqualTo(codes(ko.err())).isEqualTo(code);
    }

    @Test
    void usageHelpIsInEnglishOrKorean() throws IOException {
        Cli max = Cli.in(dir);

        var en = max.run("--lang", "en", "--help");
        var ko = max.run("--lang", "ko", "--help");

        assertThat(en.exit()).isZero();
        assertThat(ko.exit()).isZero();
        assertThat(en.out()).contains("M.AX Platform - national manufacturing data library", "Usage: max ",
                "Deposit, query, export and audit manufacturing data.", "Show this help message and exit.",
                "--key-file=FILE      File holding the master secret");
        assertThat(en.out()).containsPattern("(?m)^  ingest +Deposit a file")
                .containsPattern("(?m)^  audit +List audit records")
                .containsPattern("(?m)^  demo +Run the demo");
        assertThat(ko.out()).contains("M.AX 플랫폼 - 제조AX 데이터 라이브러리", "사용법: max ", "제조 데이터를 등록, 질의, 내보내기, 감사합니다.",
                "이 도움말을 보여 주고 끝냅니다.", "--key-file=FILE      마스터 비밀이 든 파일");
        assertThat(ko.out()).containsPattern("(?m)^  ingest +파일 \\(CSV")
                .containsPattern("(?m)^  audit +감사 기록")
                .doesNotContain("Usage:", "Show this help message", "Deposit");
        assertThat(en.err()).isEmpty();
        assertThat(ko.err()).isEmpty();
    }

    @Test
    void subcommandHelpDescribesThatCommandsOwnOptions() throws IOException {
        Cli max = Cli.in(dir);

        var ingestEn = max.run("--lang", "en", "ingest", "--help");
        var ingestKo = max.run("--lang", "ko", "ingest", "--help");
        var queryEn = max.run("--lang", "en", "query", "--help");

        assertThat(ingestEn.exit()).as(ingestEn.toString()).isZero();
        assertThat(ingestEn.out()).contains("Usage: max ingest ", "Deposit a file (CSV")
                .containsPattern("--format=auto\\|csv\\|text\\|jsonl\\|parquet\\s+Input format")
                .containsPattern("--skip-bad-rows\\s+Deposit the good rows")
                .doesNotContain("Output format");
        assertThat(ingestKo.exit()).isZero();
        assertThat(ingestKo.out()).contains("사용법: max ingest ").containsPattern("--format=auto\\|csv\\|text\\|jsonl\\|parquet\\s+입력 형식")
                .doesNotContain("출력 형식");
        assertThat(queryEn.out()).containsPattern("--format=table\\|csv\\|json\\s+Output format: table, csv or json.");
    }

    static String[] prepend(String a, String b, String[] rest) {
        var all = new String[rest.length + 2];
        all[0] = a;
        all[1] = b;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }

    static String codes(String text) {
        var m = CODE.matcher(text);
        var sb = new StringBuilder();
        while (m.find()) sb.append(sb.isEmpty() ? "" : " ").append(m.group());
        return sb.toString();
    }
}
