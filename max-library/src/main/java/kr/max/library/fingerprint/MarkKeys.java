package kr.max.library.fingerprint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SipHash keys of one export, derived from its 256-bit secret with HMAC-SHA256 under a label per use:
 * one key for the row identity, and per marked column one key for the keyed mark and one for the virtual
 * mark. The column's name is thereby part of every cell's pseudo-random function, and knowing one
 * column's decisions says nothing about another's.
 *
 * <p>A cell's decision is a 64-bit SipHash output {@code h}: the cell (or coarse value) is selected when
 * {@code (h >>> 1) mod gamma == 0}, and its mark is the parity {@code h & 1}.
 */
record MarkKeys(long row0, long row1, long[] keyed, long[] virtual) {

    private static final String LABEL = "max-fp/1/";

    static MarkKeys derive(FingerprintSecret secret, FingerprintScheme scheme) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.unsafeBytes(), "HmacSHA256"));
            long[] row = key(mac, LABEL + "row");
            int n = scheme.marked().size();
            var keyed = new long[2 * n];
            var virtual = new long[2 * n];
            for (int i = 0; i < n; i++) {
                String name = scheme.marked().get(i).name();
                long[] k = key(mac, LABEL + "keyed/" + name);
                keyed[2 * i] = k[0];
                keyed[2 * i + 1] = k[1];
                long[] v = key(mac, LABEL + "virtual/" + name);
                virtual[2 * i] = v[0];
                virtual[2 * i + 1] = v[1];
            }
            return new MarkKeys(row[0], row[1], keyed, virtual);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static long[] key(Mac mac, String label) {
        var b = ByteBuffer.wrap(mac.doFinal(label.getBytes(StandardCharsets.UTF_8))).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {b.getLong(), b.getLong()};
    }

    static boolean selected(long h, int gamma) {
        return (h >>> 1) % gamma == 0;
    }

    static int bit(long h) {
        return (int) (h & 1);
    }
}
