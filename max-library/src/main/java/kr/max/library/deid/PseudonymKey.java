package kr.max.library.deid;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.prf.HmacPrfParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * The secret of one release: a Tink keyset of one HMAC-SHA256 PRF. Pseudonyms and perturbation noise are derived
 * from it, so re-running a release with the same key gives the same output, and two releases with their own keys
 * cannot be linked through their pseudonyms. Whoever holds the key can test a guessed value against a pseudonym: it
 * must be kept as secretly as the data (the library encrypts {@link #toBytes()} with the release's data key).
 */
public final class PseudonymKey {

    static {
        try {
            PrfConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Length of a pseudonym's random part in bytes: 80 bits, 16 base32 characters. */
    private static final int PSEUDONYM_BYTES = 10;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final byte[] PSEUDONYM_DOMAIN = "max-deid/pseudonym/1\0".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOISE_DOMAIN = "max-deid/noise/1\0".getBytes(StandardCharsets.UTF_8);

    /** The text every pseudonym starts with. */
    public static final String PREFIX = "p_";

    private final KeysetHandle handle;
    private final PrfSet prf;

    private PseudonymKey(KeysetHandle handle) throws GeneralSecurityException {
        if (!(handle.getPrimary().getKey().getParameters() instanceof HmacPrfParameters p)
                || p.getHashType() != HmacPrfParameters.HashType.SHA256) {
            throw new GeneralSecurityException("not an HMAC-SHA256 PRF keyset");
        }
        this.handle = handle;
        this.prf = handle.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
    }

    /** A fresh random key, for a new release. */
    public static PseudonymKey generate() {
        try {
            return new PseudonymKey(KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink cannot generate an HMAC PRF key", e);
        }
    }

    /**
     * A key from {@link #toBytes()}.
     *
     * @throws MaxException {@code MAX-DEID-050} when the bytes are not an HMAC-SHA256 PRF keyset
     */
    public static PseudonymKey fromBytes(byte[] keyset) {
        try {
            return new PseudonymKey(TinkProtoKeysetFormat.parseKeyset(keyset, InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MaxException(DeidError.BAD_PSEUDONYM_KEY, Location.NOWHERE, e);
        }
    }

    /** The keyset in Tink's binary format, in plaintext: encrypt it before it touches disk. */
    public byte[] toBytes() {
        try {
            return TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The pseudonym of {@code value} under {@code profile}: {@value #PREFIX} and 16 base32 characters of
     * HMAC-SHA256(key, domain ‖ profile ‖ value). Equal values give equal pseudonyms in every column of a release,
     * so pseudonymized columns still join.
     */
    String pseudonym(String profile, String value) {
        byte[] out = compute(PSEUDONYM_DOMAIN, profile, null, value, PSEUDONYM_BYTES);
        var s = new StringBuilder(PREFIX.length() + 16).append(PREFIX);
        long buffer = 0;
        int bits = 0;
        for (byte b : out) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                s.append(BASE32[(int) (buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return s.toString();
    }

    /**
     * 64 uniform bits for the noise of {@code value} in {@code column}: the same value in the same column gets the
     * same noise within a release, so averaging many rows of a constant setpoint does not reveal it.
     */
    long noiseBits(String profile, long seed, String column, String value) {
        byte[] out = compute(NOISE_DOMAIN, profile, seed + "\0" + column, value, 8);
        long bits = 0;
        for (byte b : out) bits = (bits << 8) | (b & 0xFF);
        return bits;
    }

    private byte[] compute(byte[] domain, String profile, String context, String value, int length) {
        var in = new ByteArrayOutputStream(64);
        in.writeBytes(domain);
        in.writeBytes(profile.getBytes(StandardCharsets.UTF_8));
        in.write(0);
        if (context != null) {
            in.writeBytes(context.getBytes(StandardCharsets.UTF_8));
            in.write(0);
        }
        in.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        try {
            return prf.computePrimary(in.toByteArray(), length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "PseudonymKey[HMAC-SHA256 PRF, id " + handle.getPrimary().getId() + "]";
    }
}
