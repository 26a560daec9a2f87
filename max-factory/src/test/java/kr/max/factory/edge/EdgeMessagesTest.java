package kr.max.factory.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EdgeMessagesTest {

    @ParameterizedTest
    @EnumSource(EdgeError.class)
    void everyErrorHasAnEnglishAndAKoreanMessageUsingAllItsArguments(EdgeError error) {
        var e = new MaxException(error, Location.NOWHERE, "a-1", "b-2", "c-3");
        String en = e.message(Locale.ENGLISH);
        String ko = e.message(Locale.KOREAN);
        assertThat(en).startsWith(error.code()).contains("a-1").doesNotContain("{0").isNotEqualTo(ko);
        assertThat(ko).startsWith(error.code()).contains("a-1").doesNotContain("{0");
        assertThat(ko.codePoints().anyMatch(c -> c >= 0xAC00 && c <= 0xD7A3)).as("Korean text").isTrue();
    }
}
