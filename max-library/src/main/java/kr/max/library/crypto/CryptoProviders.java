package kr.max.library.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * Puts Amazon Corretto Crypto Provider (AWS-LC, native) first among the JCE providers, where it
 * loads. Tink takes AES-GCM and SHA-256 from the first provider that has them; the JDK's own AES-GCM
 * reaches only about 40 MB/s on CPUs whose GHASH the JIT does not accelerate (measured on this
 * project's reference machine), the provider over 1 GB/s. Where the native library does not load
 * (another OS or CPU), the JDK's providers stay, slower but correct.
 */
public final class CryptoProviders {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CryptoProviders.class);
    private static volatile Boolean fast;

    private CryptoProviders() {
    }

    /** Installs the provider once; returns whether the fast native provider is in use. */
    public static synchronized boolean install() {
        if (fast != null) return fast;
        boolean ok;
        try {
            AmazonCorrettoCryptoProvider.install();
            Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            ok = error == null;
            if (!ok) LOG.warn("native crypto provider unavailable, using the JDK's: {}", error.toString());
        } catch (LinkageError | RuntimeException e) {
            ok = false;
            LOG.warn("native crypto provider unavailable, using the JDK's: {}", e.toString());
        }
        fast = ok;
        return ok;
    }
}
