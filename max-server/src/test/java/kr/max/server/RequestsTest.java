package kr.max.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Set;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How requests are read: language, bearer token, upload file names; and the single-token authenticator. */
class RequestsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "ko-KR,ko;q=0.9,en;q=0.8|ko", "ko|ko", "en-US,en;q=0.9,ko;q=0.8|en", "ko;q=0.1, en;q=0.9|en",
            "fr-FR,fr;q=0.9|en", "fr, ko;q=0.5|ko", "*|en", "''|en", "NULL|en", "!!!not a range|en"})
    void theMessageLanguageFollowsAcceptLanguageAndDefaultsToEnglish(String header, String expected) {
        assertThat(Errors.locale(header)).isEqualTo(Locale.forLanguageTag(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "Bearer abc.DEF-123_~+/=|abc.DEF-123_~+/=", "bearer abc|abc", "BEARER abc|abc", "Bearer  abc |abc",
            "Bearer|NULL", "Bearer |NULL", "Basic abc|NULL", "Bearer a b|NULL", "Bearer \"abc\"|NULL", "NULL|NULL",
            "Bearerabc|NULL", "Bearer =abc|NULL"})
    void onlyAWellFormedBearerHeaderYieldsAToken(String header, String token) {
        assertThat(Requests.bearerToken(header)).isEqualTo(token);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "press.csv|press.csv", "../../etc/passwd|passwd", "C:\\\\data\\\\press.csv|press.csv", ".bashrc|upload.bashrc",
            "용해탱크 로그(3월).csv|용해탱크 로그(3월).csv", "a;b&c$(rm).csv|a_b_c_(rm).csv", "NULL|upload", "'  '|upload",
            "dir/|upload", "..|upload.."})
    void anUploadsNameIsReducedToASafeFileName(String given, String expected) {
        assertThat(Requests.fileName(given)).isEqualTo(expected);
    }

    @Test
    void aLongUploadNameKeepsItsEnd() {
        assertThat(Requests.fileName("x".repeat(300) + ".csv")).hasSize(100).endsWith(".csv");
    }

    @Test
    void theSingleTokenAuthenticatorKnowsOnlyItsToken() {
        var principal = new Principal("operator", "plant", "KR", Set.of(Role.STEWARD));
        String token = SingleTokenAuthenticator.generateToken();
        var auth = new SingleTokenAuthenticator(token, principal);
        assertThat(auth.authenticate(token)).hasValue(principal);
        assertThat(auth.authenticate(token.substring(1))).isEmpty();
        assertThat(auth.authenticate(token + "x")).isEmpty();
        assertThat(auth.authenticate(SingleTokenAuthenticator.generateToken())).isEmpty();
        assertThat(auth.authenticate(null)).isEmpty();
        assertThat(auth.toString()).doesNotContain(token);
    }

    @Test
    void generatedTokensAreLongAndDistinct() {
        String a = SingleTokenAuthenticator.generateToken();
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(SingleTokenAuthenticator.generateToken()).isNotEqualTo(a);
    }

    @Test
    void aShortTokenIsRefusedAtStartUp() {
        var principal = Principal.localOperator();
        assertThatThrownBy(() -> new SingleTokenAuthenticator("password1234", principal))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ServerError.WEAK_TOKEN));
    }
}
