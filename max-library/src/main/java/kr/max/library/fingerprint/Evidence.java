package kr.max.library.fingerprint;

import java.time.Instant;

/**
 * What a suspect copy says about one candidate export. Each bit read is one distinct selected unit of the
 * candidate's scheme found in the copy: a cell of a row identity (keyed mark) or a pair of grid points of a
 * column (virtual mark). On a copy not made from this export each bit matches with probability one half,
 * independently of the others (the secret's pseudo-random decisions are independent of the data), so the
 * number of matches is Binomial(bits, 1/2) and {@link #pValue()} is the chance of at least as many.
 *
 * @param exportId             the candidate export
 * @param recipient            its recipient
 * @param exportedAt           its time
 * @param columnsRead          how many of its marked columns the copy has
 * @param keysRead             whether the copy has all its key columns (else only the virtual mark is read)
 * @param keyedBits            keyed-mark bits read
 * @param keyedMatches         of which matched
 * @param virtualBits          virtual-mark bits read
 * @param virtualMatches       of which matched
 * @param log10PValue          log10 of the one-sided binomial p-value
 * @param log10CorrectedPValue the same multiplied by the number of candidates traced (Bonferroni), at most 0
 */
public record Evidence(String exportId, String recipient, Instant exportedAt, int columnsRead, boolean keysRead,
                       long keyedBits, long keyedMatches, long virtualBits, long virtualMatches,
                       double log10PValue, double log10CorrectedPValue) {

    public long bits() {
        return keyedBits + virtualBits;
    }

    public long matches() {
        return keyedMatches + virtualMatches;
    }

    /** Share of bits that matched; one half is what chance gives. */
    public double matchRate() {
        return bits() == 0 ? 0 : (double) matches() / bits();
    }

    /** The p-value; {@code 0.0} when below the smallest double, see {@link #log10PValue()}. */
    public double pValue() {
        return Math.pow(10, log10PValue);
    }

    public double correctedPValue() {
        return Math.pow(10, log10CorrectedPValue);
    }

    /** One minus the corrected p-value. */
    public double confidence() {
        return -Math.expm1(log10CorrectedPValue * Math.log(10));
    }
}
