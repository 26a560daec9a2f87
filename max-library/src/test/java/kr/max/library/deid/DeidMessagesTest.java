package kr.max.library.deid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import kr.max.core.Location;
import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeidMessagesTest {

    @ParameterizedTest
    @EnumSource(DeidError.class)
    void everyErrorHasAnEnglishAndAKoreanMessage(DeidError error) {
        var e = new MaxException(error, Location.cell("p.yaml", 3, 2, "temp"), 7, 2, 3, 4);
        String en = e.message(Locale.ENGLISH);
        String ko = e.message(Locale.KOREAN);
        assertThat(en).startsWith(error.code() + " p.yaml:3:2 (temp): ").doesNotContain("{0").isNotEqualTo(ko);
        assertThat(ko).startsWith(error.code() + " p.yaml:3:2 (temp): ").doesNotContain("{0");
        assertThat(ko.codePoints().anyMatch(c -> c >= 0xAC00 && c <= 0xD7A3)).as("Korean text").isTrue();
    }

    @Test
    void koreanAndEnglishHaveTheSameKeysAndEveryMessageFormatsCompletely() throws Exception {
        Properties en = load("messages.properties");
        Properties ko = load("messages_ko.properties");
        assertThat(ko.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(en.stringPropertyNames());
        for (Properties p : new Properties[] {en, ko}) {
            for (String key : p.stringPropertyNames()) {
                String text = new MessageFormat(p.getProperty(key), Locale.ROOT).format(new Object[] {1, 2, 3, 4, 5, 6});
                assertThat(text).as(key).doesNotContainPattern("\\{[0-9]}");
            }
        }
    }

    private static Properties load(String name) throws Exception {
        var p = new Properties();
        try (var in = DeidMessagesTest.class.getResourceAsStream(name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
