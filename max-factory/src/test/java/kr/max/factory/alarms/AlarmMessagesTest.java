package kr.max.factory.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import kr.max.core.Messages;
import kr.max.factory.assets.Name;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every alarm error and every kind of alarm has an English and a Korean text that take their arguments. */
class AlarmMessagesTest {

    @ParameterizedTest
    @EnumSource(AlarmError.class)
    void errorHasEnglishAndKoreanText(AlarmError e) {
        Object[] args = {"plant/x:hi", "kim", "PT8H", "PT1H"};
        String en = Messages.format(e, Locale.ENGLISH, args);
        String ko = Messages.format(e, Locale.KOREAN, args);
        assertThat(en).doesNotContain("{").doesNotContain(e.code()).doesNotContainPattern("[가-힣]");
        assertThat(ko).doesNotContain("{").doesNotContain(e.code()).containsPattern("[가-힣]");
        assertThat(en + ko).contains("plant/x:hi");
        assertThat(e.code()).matches("MAX-ALARM-0\\d\\d");
    }

    @ParameterizedTest
    @EnumSource(AlarmKind.class)
    void alarmOfEveryKindSaysWhatAndHowFar(AlarmKind kind) {
        var alarm = new Alarm("plant/x:" + kind.word(), "plant/x", null, kind, kind.defaultPriority(), AlarmState.UNACKNOWLEDGED,
                true, new Name("배럴 1존 온도", "Barrel zone 1 temperature"), "°C", 250, kind == AlarmKind.MODEL ? "pca@3" : null,
                Instant.EPOCH, 251.25, null, null, null, null, null, null, null, null, 1);
        String en = alarm.message(Locale.ENGLISH);
        String ko = alarm.message(Locale.KOREAN);
        assertThat(en).startsWith("Barrel zone 1 temperature").contains("251.25").contains("250").doesNotContain("{");
        assertThat(ko).startsWith("배럴 1존 온도").contains("251.25").contains("250").doesNotContain("{");
        if (kind == AlarmKind.MODEL) assertThat(en + ko).contains("pca@3").doesNotContain("°C");
        else assertThat(en).contains("251.25 °C");
    }
}
