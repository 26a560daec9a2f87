package kr.max.models.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import kr.max.core.Messages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every quality error has an English and a Korean text that format with the arguments the types give. */
class QualityMessagesTest {

    @ParameterizedTest
    @EnumSource(QualityError.class)
    void hasEnglishAndKoreanText(QualityError e) {
        Object[] args = switch (e) {
            case ONE_CLASS -> new Object[] {"quality-gbm", "the training part", 5600, "Y"};
            case AMBIGUOUS_NEGATIVE -> new Object[] {"rework", List.of("scrap", "good", "rework"), "scrap"};
        };
        String en = Messages.format(e, Locale.ENGLISH, args);
        String ko = Messages.format(e, Locale.KOREAN, args);
        assertThat(en).doesNotContain("{").doesNotContainPattern("[가-힣]");
        assertThat(ko).doesNotContain("{").containsPattern("[가-힣]");
        assertThat(e.code()).matches("MAX-MODEL-4\\d\\d");
    }
}
