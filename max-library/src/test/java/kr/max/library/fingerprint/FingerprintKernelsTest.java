package kr.max.library.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** The two kernels under the engine: the pseudo-random function and the binomial tail. */
class FingerprintKernelsTest {

    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    @Test
    void sipHashMatchesTheReferenceVectors() {
        // key 00..0f, message 00 01 02 ... of 0, 8, 16 and 24 bytes (SipHash paper, vectors.h)
        long[] message = {0x0706050403020100L, 0x0f0e0d0c0b0a0908L, 0x1716151413121110L};
        assertThat(SipHash.hash(K0, K1, message, 0, 0)).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(SipHash.hash(K0, K1, message, 0, 1)).isEqualTo(0x93f5f5799a932462L);
        assertThat(SipHash.hash(K0, K1, message, 0, 2)).isEqualTo(0x3f2acc7f57c29bdbL);
        assertThat(SipHash.hash(K0, K1, message, 0, 3)).isEqualTo(0xb8ad50c6f649af94L);
        assertThat(SipHash.hash(K0, K1, message[0])).isEqualTo(0x93f5f5799a932462L);
    }

    @Test
    void binomialTailIsExactAgainstBigIntegerArithmetic() {
        for (int n = 0; n <= 300; n += n < 40 ? 1 : 13) {
            BigInteger total = BigInteger.ONE.shiftLeft(n);
            BigInteger tail = BigInteger.ZERO;
            BigInteger[] choose = new BigInteger[n + 1];
            choose[0] = BigInteger.ONE;
            for (int k = 1; k <= n; k++) choose[k] = choose[k - 1].multiply(BigInteger.valueOf(n - k + 1)).divide(BigInteger.valueOf(k));
            for (int m = n; m >= 0; m--) {
                tail = tail.add(choose[m]);
                double exact = Math.log10(new BigDecimal(tail).divide(new BigDecimal(total), MathContext.DECIMAL128).doubleValue());
                assertThat(BinomialTail.log10UpperTail(n, m)).as("n=%d m=%d", n, m).isCloseTo(exact, within(1e-9 + 1e-12 * Math.abs(exact)));
            }
        }
    }

    @Test
    void binomialTailHoldsFiguresNoDoubleCanHold() {
        // all of a million bits matching: 2^-1,000,000
        assertThat(BinomialTail.log10UpperTail(1_000_000, 1_000_000)).isCloseTo(-1_000_000 * Math.log10(2), within(1e-6));
        // 60 % of 100,000: far below 1e-300, and between the Chernoff bound and a tenth of it
        double log10 = BinomialTail.log10UpperTail(100_000, 60_000);
        double chernoff = -100_000 * (0.6 * Math.log(0.6 / 0.5) + 0.4 * Math.log(0.4 / 0.5)) / Math.log(10);
        assertThat(log10).isLessThan(chernoff).isGreaterThan(chernoff - 4);
        // at the middle the tail is a little over one half
        assertThat(BinomialTail.log10UpperTail(1_000_001, 500_001)).isCloseTo(Math.log10(0.5), within(1e-9));
        assertThat(BinomialTail.log10UpperTail(10, 0)).isZero();
    }

    @Test
    void lnFactorialJoinsTheTableSmoothly() {
        double sum = 0;
        for (int i = 1; i <= 2000; i++) {
            sum += Math.log(i);
            assertThat(BinomialTail.lnFactorial(i)).as("%d!", i).isCloseTo(sum, within(1e-9 * sum));
        }
    }
}
