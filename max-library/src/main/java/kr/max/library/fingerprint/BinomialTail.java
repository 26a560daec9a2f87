package kr.max.library.fingerprint;

/**
 * The upper tail of the fair-coin binomial distribution, P(X ≥ m) for X ~ Binomial(n, 1/2), as a base-10
 * logarithm: tracing meets tails like 2^-1500 that no double holds. Exact up to rounding: the terms are
 * summed in their own scale from the first, and log-factorials come from a table or Stirling's series.
 */
final class BinomialTail {

    private static final double LN2 = Math.log(2);
    private static final double LN10 = Math.log(10);
    private static final double[] LN_FACTORIAL = new double[256];

    static {
        for (int i = 1; i < LN_FACTORIAL.length; i++) LN_FACTORIAL[i] = LN_FACTORIAL[i - 1] + Math.log(i);
    }

    private BinomialTail() {
    }

    /** log10 P(X ≥ m) for X ~ Binomial(n, 1/2); {@code 0} for {@code m <= 0}. */
    static double log10UpperTail(long n, long m) {
        if (n < 0 || m > n) throw new IllegalArgumentException("m=" + m + " of n=" + n);
        if (m <= 0) return 0;
        if (2 * m > n) return lnUpperTail(n, m) / LN10;
        // P(X >= m) = 1 - P(X <= m - 1) = 1 - P(X >= n - m + 1), whose tail lies beyond the middle
        double q = Math.exp(lnUpperTail(n, n - m + 1));
        return Math.log1p(-q) / LN10;
    }

    /** ln P(X ≥ m), for m > n / 2, where the terms fall from the first on. */
    private static double lnUpperTail(long n, long m) {
        double first = lnFactorial(n) - lnFactorial(m) - lnFactorial(n - m) - n * LN2;
        double sum = 1;
        double term = 1;
        for (long k = m; k < n; k++) {
            term *= (double) (n - k) / (k + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return first + Math.log(sum);
    }

    static double lnFactorial(long n) {
        if (n < LN_FACTORIAL.length) return LN_FACTORIAL[(int) n];
        double x = n;
        double inv = 1 / x;
        double inv2 = inv * inv;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x)
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
    }
}
