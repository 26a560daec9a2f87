package kr.max.models.vibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import kr.max.core.Messages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every vibration error has an English and a Korean text that format with the arguments the type gives. */
class VibrationMessagesTest {

    @ParameterizedTest
    @EnumSource(VibrationError.class)
    void hasEnglishAndKoreanText(VibrationError e) {
        Object[] args = {"vibration-gbm", 2048, 1500};
        String en = Messages.format(e, Locale.ENGLISH, args);
        String ko = Messages.format(e, Locale.KOREAN, args);
        assertThat(en).doesNotContain("{").doesNotContainPattern("[가-힣]").contains("vibration-gbm");
        assertThat(ko).doesNotContain("{").containsPattern("[가-힣]").contains("vibration-gbm");
        assertThat(e.code()).matches("MAX-MODEL-3\\d\\d");
    }
}
