package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import kr.max.core.Messages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every server error has an English and a Korean text that format with the arguments it is given. */
class MessagesTest {

    /** Arguments as the server passes them: a number or text for {0}, then numbers. */
    static Object[] args(ServerError e) {
        return switch (e) {
            case UNSUPPORTED_FORMAT -> new Object[] {"xlsx", "parquet, csv"};
            case INVALID_PARAMETER -> new Object[] {"rows", 0, 0, 100};
            case INTERNAL -> new Object[] {"1a2b3c4d"};
            case CANNOT_LISTEN -> new Object[] {"127.0.0.1", 8080};
            case PAYLOAD_TOO_LARGE, HEADER_TOO_LARGE, MALFORMED_REQUEST, WEAK_TOKEN -> new Object[] {400};
            case UNAUTHENTICATED, MALFORMED_JSON, UNKNOWN_ROUTE -> new Object[0];
            case ROLE_REQUIRED -> new Object[] {"operator | admin", "minji"};
            case NOT_RUNNING -> new Object[] {"twin"};
        };
    }

    @ParameterizedTest
    @EnumSource(ServerError.class)
    void hasEnglishAndKoreanText(ServerError e) {
        String en = Messages.format(e, Locale.ENGLISH, args(e));
        String ko = Messages.format(e, Locale.KOREAN, args(e));
        assertThat(en).doesNotStartWith(e.code()).doesNotContain("{").doesNotContainPattern("[가-힣]");
        assertThat(ko).doesNotStartWith(e.code()).doesNotContain("{").containsPattern("[가-힣]");
        assertThat(e.code()).matches("MAX-SERVER-0\\d\\d");
    }

    @ParameterizedTest
    @EnumSource(value = ServerError.class, names = {"INVALID_PARAMETER"})
    void everyKindOfInvalidParameterHasItsWording(ServerError e) {
        for (int kind = 0; kind < Requests.Expected.values().length; kind++) {
            assertThat(Messages.format(e, Locale.ENGLISH, "p", kind, 1, 9)).doesNotContain("{");
            assertThat(Messages.format(e, Locale.KOREAN, "p", kind, 1, 9)).containsPattern("[가-힣]");
        }
        assertThat(Messages.format(e, Locale.ENGLISH, "rows", 0, 0, 100)).contains("an integer from 0 to 100");
        assertThat(Messages.format(e, Locale.ENGLISH, "timeZone", 2, 0, 0)).contains("time zone");
    }
}
