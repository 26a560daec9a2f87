package kr.max.library.fingerprint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SipHash keys of one export, derived from its 256-bit secret with HMAC-SHA256 under a label per use,
 * and the rule that turns a pseudo-random word into decisions.
 *
 * <p>Keyed mark: a row's identity hash {@code r = SipHash(rowKey, key words)} is one 64-bit word; the
 * decisions of marked columns 0..5 are its six 10-bit lanes, those of columns 6..11 the lanes of
 * {@code SipHash(blockKey1, r)}, and so on. Disjoint bits of one pseudo-random output are independent, so
 * each cell still gets its own fair, independent decision, at a sixth of the cost of a hash per cell.
 * A column's place in the scheme, not its name, picks its lane: the scheme is stored as given.
 *
 * <p>Virtual mark: a pair of grid points {@code c} of column {@code i} gets the lowest lane of
 * {@code SipHash(virtualKey(name of i), c)}.
 *
 * <p>A lane's bit 0 is the mark; its 9 other bits {@code u} select: {@code u < floor(512 / gamma)}, a rate
 * of {@code floor(512 / gamma) / 512}: exactly 1/gamma for a power of two (the default 8), 1/10.04 for 10,
 * 1/102 for 100. The rate only sets how many cells carry marks; the tracer's test does not depend on it.
 */
record MarkKeys(long row0, long row1, long[] blocks, long[] virtual, int threshold) {

    static final int LANES = 6;
    static final int LANE_BITS = 10;
    private static final int LANE_MASK = (1 << LANE_BITS) - 1;
    /** Selection values a lane holds: 2^9. */
    static final int SELECTION_VALUES = 1 << (LANE_BITS - 1);
    private static final String LABEL = "max-fp/1/";

    static MarkKeys derive(FingerprintSecret secret, FingerprintScheme scheme) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.unsafeBytes(), "HmacSHA256"));
            long[] row = key(mac, LABEL + "row");
            int n = scheme.marked().size();
            var blocks = new long[2 * ((n + LANES - 1) / LANES)];
            for (int b = 1; b < blocks.length / 2; b++) {
                long[] k = key(mac, LABEL + "block/" + b);
                blocks[2 * b] = k[0];
                blocks[2 * b + 1] = k[1];
            }
            var virtual = new long[2 * n];
            for (int i = 0; i < n; i++) {
                long[] v = key(mac, LABEL + "virtual/" + scheme.marked().get(i).name());
                virtual[2 * i] = v[0];
                virtual[2 * i + 1] = v[1];
            }
            return new MarkKeys(row[0], row[1], blocks, virtual, SELECTION_VALUES / scheme.gamma());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static long[] key(Mac mac, String label) {
        var b = ByteBuffer.wrap(mac.doFinal(label.getBytes(StandardCharsets.UTF_8))).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {b.getLong(), b.getLong()};
    }

    long rowHash(long[] words, int from, int count) {
        return SipHash.hash(row0, row1, words, from, count);
    }

    /** The word holding the decisions of columns {@code LANES*b .. LANES*b+5} of a row. */
    long block(long rowHash, int b) {
        return b == 0 ? rowHash : SipHash.hash(blocks[2 * b], blocks[2 * b + 1], rowHash);
    }

    /** The decision lane of marked column {@code i} in its block word. */
    static int lane(long blockWord, int i) {
        return (int) (blockWord >>> (LANE_BITS * (i % LANES))) & LANE_MASK;
    }

    /** The decision lane of pair {@code pair} of marked column {@code column}. */
    int virtualLane(int column, long pair) {
        return (int) SipHash.hash(virtual[2 * column], virtual[2 * column + 1], pair) & LANE_MASK;
    }

    boolean selected(int lane) {
        return lane >>> 1 < threshold;
    }

    static int bit(int lane) {
        return lane & 1;
    }
}
