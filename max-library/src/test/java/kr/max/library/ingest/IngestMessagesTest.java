package kr.max.library.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IngestMessagesTest {

    @ParameterizedTest
    @EnumSource(IngestError.class)
    void everyErrorHasAnEnglishAndAKoreanMessage(IngestError error) {
        Object[] args = error == IngestError.BAD_DICTIONARY ? new Object[] {1, "colour", "name, role"} : new Object[] {"v", 5};
        var e = new MaxException(error, Location.cell("f.csv", 3, 2, "temp"), args);
        String en = e.message(Locale.ENGLISH);
        String ko = e.message(Locale.KOREAN);
        assertThat(en).startsWith(error.code() + " f.csv:3:2 (temp): ").doesNotContain("{").isNotEqualTo(ko);
        assertThat(ko).startsWith(error.code() + " f.csv:3:2 (temp): ").doesNotContain("{");
        assertThat(ko.codePoints().anyMatch(c -> c >= 0xAC00 && c <= 0xD7A3)).as("Korean text").isTrue();
        assertThat(en.length()).isGreaterThan(error.code().length() + 40);
    }

    @ParameterizedTest
    @EnumSource(DictionaryYaml.Problem.class)
    void everyDictionaryProblemHasItsOwnWordingInBothLanguages(DictionaryYaml.Problem problem) {
        var e = new MaxException(IngestError.BAD_DICTIONARY, Location.line("d.yaml", 7), problem.ordinal(), "one", "two", "three");
        assertThat(e.message(Locale.ENGLISH)).doesNotContain("{").doesNotContain("|");
        assertThat(e.message(Locale.KOREAN)).doesNotContain("{").doesNotContain("|");
    }

    @Test
    void problemsBecomeLocatedExceptions() {
        var p = new IngestProblem(IngestError.MISSING_FIELD, 12, 3, "pressure", null);
        assertThat(p.toException("press.csv").getMessage()).startsWith("MAX-INGEST-011 press.csv:12:3 (pressure): ");
    }
}
