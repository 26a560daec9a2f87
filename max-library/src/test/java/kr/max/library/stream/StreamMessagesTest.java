package kr.max.library.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StreamMessagesTest {

    @ParameterizedTest
    @EnumSource(StreamError.class)
    void everyErrorHasAnEnglishAndAKoreanMessage(StreamError error) {
        var e = new MaxException(error, Location.dataset("gangnam/stream", null), "edge-1", 3, 7, 9);
        String en = e.message(Locale.ENGLISH);
        String ko = e.message(Locale.KOREAN);
        assertThat(en).startsWith(error.code()).doesNotContain("{").isNotEqualTo(ko);
        assertThat(ko).startsWith(error.code()).doesNotContain("{");
        assertThat(ko.codePoints().anyMatch(c -> c >= 0xAC00 && c <= 0xD7A3)).as("Korean text").isTrue();
        assertThat(en.length()).isGreaterThan(error.code().length() + 40);
    }
}
