package kr.max.library.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;

class DeidPseudonymKeyTest {

    @Test
    void aPseudonymIsAPrefixAnd16Base32CharactersTheSameForTheSameValueKeyAndProfile() {
        PseudonymKey key = PseudonymKey.generate();
        String p = key.pseudonym("share", "김민수");
        assertThat(p).matches("p_[a-z2-7]{16}");
        assertThat(key.pseudonym("share", "김민수")).isEqualTo(p);
        assertThat(key.pseudonym("share", "이서연")).isNotEqualTo(p);
        assertThat(key.pseudonym("other-profile", "김민수")).isNotEqualTo(p);
    }

    @Test
    void anotherKeyGivesUnlinkablePseudonymsAndTheSavedKeyGivesTheSameOnes() {
        PseudonymKey key = PseudonymKey.generate();
        PseudonymKey other = PseudonymKey.generate();
        PseudonymKey restored = PseudonymKey.fromBytes(key.toBytes());
        var seen = new HashSet<String>();
        for (int i = 0; i < 2000; i++) {
            String v = "operator-" + i;
            String p = key.pseudonym("share", v);
            assertThat(restored.pseudonym("share", v)).isEqualTo(p);
            assertThat(other.pseudonym("share", v)).isNotEqualTo(p);
            assertThat(seen.add(p)).as("no collision").isTrue();
        }
        assertThat(key.toString()).doesNotContain(new String(key.toBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void bytesThatAreNoPrfKeysetAreRefused() {
        assertThatThrownBy(() -> PseudonymKey.fromBytes(new byte[] {1, 2, 3}))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(DeidError.BAD_PSEUDONYM_KEY));
    }

    @Test
    void noiseBitsDependOnKeySeedColumnAndValue() {
        PseudonymKey key = PseudonymKey.generate();
        long a = key.noiseBits("p", 1, "speed", "45");
        assertThat(key.noiseBits("p", 1, "speed", "45")).isEqualTo(a);
        assertThat(key.noiseBits("p", 2, "speed", "45")).isNotEqualTo(a);
        assertThat(key.noiseBits("p", 1, "speed2", "45")).isNotEqualTo(a);
        assertThat(key.noiseBits("p", 1, "speed", "45.5")).isNotEqualTo(a);
        assertThat(PseudonymKey.generate().noiseBits("p", 1, "speed", "45")).isNotEqualTo(a);
    }
}
