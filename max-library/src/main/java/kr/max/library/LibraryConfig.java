package kr.max.library;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import kr.max.library.crypto.MasterKey;

/**
 * How to open a {@link Library}.
 *
 * @param home       the library's home directory (catalog, keys, objects)
 * @param masterKey  the secret that seals the key store
 * @param catalogUrl JDBC URL of the catalog; {@code null} for the embedded H2 file in the home
 * @param catalogUser user for the catalog database, may be null
 * @param catalogPassword password for the catalog database, may be null; never logged
 * @param scratch    memory-backed directory for decrypted chunks; {@code null} for {@code $MAX_SCRATCH} or {@code /dev/shm}
 * @param clock      time source (tests pin it)
 * @param valuesPerChunk how many values (rows × columns) the Java ingest path holds before writing; 0 for eight million
 * @param chunkBytes     target size of one plaintext Parquet chunk; 0 for 1 MiB. Small chunks let a query on one
 *                       asset and a short time range decrypt little; large ones compress better
 * @param jurisdiction   the library's jurisdiction (ISO 3166-1 alpha-2); {@code null} for {@code KR}. Residency
 *                       rules measure "domestic" against it, and no export may leave it
 * @param safeZoneMinContributors the safe zone's k: a result row over designated data that aggregates fewer stored
 *                       rows is held back; 0 for 5
 */
public record LibraryConfig(Path home, MasterKey masterKey, String catalogUrl, String catalogUser,
                            String catalogPassword, Path scratch, Clock clock, long valuesPerChunk,
                            long chunkBytes, String jurisdiction, int safeZoneMinContributors) {

    public static final long DEFAULT_VALUES_PER_CHUNK = 8_000_000L;
    public static final long DEFAULT_CHUNK_BYTES = 1L << 20;
    /** Korea's national library. */
    public static final String DEFAULT_JURISDICTION = "KR";
    /** The safe zone's k unless configured: the usual threshold of statistical disclosure control. */
    public static final int DEFAULT_SAFE_ZONE_MIN_CONTRIBUTORS = 5;

    private static final java.util.Set<String> COUNTRIES = java.util.Set.of(java.util.Locale.getISOCountries());

    public LibraryConfig {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(masterKey, "masterKey");
        clock = clock == null ? Clock.systemUTC() : clock;
        valuesPerChunk = valuesPerChunk <= 0 ? DEFAULT_VALUES_PER_CHUNK : valuesPerChunk;
        chunkBytes = chunkBytes <= 0 ? DEFAULT_CHUNK_BYTES : chunkBytes;
        jurisdiction = jurisdiction == null ? DEFAULT_JURISDICTION : jurisdiction;
        safeZoneMinContributors = safeZoneMinContributors <= 0 ? DEFAULT_SAFE_ZONE_MIN_CONTRIBUTORS : safeZoneMinContributors;
        if (!COUNTRIES.contains(jurisdiction)) {
            throw new kr.max.core.MaxException(kr.max.library.agreement.AgreementError.INVALID_JURISDICTION,
                    kr.max.core.Location.NOWHERE, jurisdiction);
        }
    }

    /** The configuration as it was before the library had a configured jurisdiction: {@code KR}. */
    public LibraryConfig(Path home, MasterKey masterKey, String catalogUrl, String catalogUser, String catalogPassword,
                         Path scratch, Clock clock, long valuesPerChunk, long chunkBytes) {
        this(home, masterKey, catalogUrl, catalogUser, catalogPassword, scratch, clock, valuesPerChunk, chunkBytes, null, 0);
    }

    public static LibraryConfig embedded(Path home, MasterKey masterKey) {
        return new LibraryConfig(home, masterKey, null, null, null, null, null, 0, 0);
    }

    public LibraryConfig withCatalog(String url, String user, String password) {
        return new LibraryConfig(home, masterKey, url, user, password, scratch, clock, valuesPerChunk, chunkBytes, jurisdiction, safeZoneMinContributors);
    }

    /** Smaller chunks prune finer; larger ones compress better. */
    public LibraryConfig withValuesPerChunk(long values) {
        return new LibraryConfig(home, masterKey, catalogUrl, catalogUser, catalogPassword, scratch, clock, values, chunkBytes,
                jurisdiction, safeZoneMinContributors);
    }

    public LibraryConfig withChunkBytes(long bytes) {
        return new LibraryConfig(home, masterKey, catalogUrl, catalogUser, catalogPassword, scratch, clock, valuesPerChunk, bytes,
                jurisdiction, safeZoneMinContributors);
    }

    /** The library's jurisdiction, an ISO 3166-1 alpha-2 code such as {@code KR}. */
    public LibraryConfig withJurisdiction(String code) {
        return new LibraryConfig(home, masterKey, catalogUrl, catalogUser, catalogPassword, scratch, clock, valuesPerChunk,
                chunkBytes, code, safeZoneMinContributors);
    }

    /** Another time source, for tests that move through an agreement's period. */
    public LibraryConfig withClock(Clock c) {
        return new LibraryConfig(home, masterKey, catalogUrl, catalogUser, catalogPassword, scratch, c, valuesPerChunk,
                chunkBytes, jurisdiction, safeZoneMinContributors);
    }

    /** The safe zone's k: result rows over designated data behind fewer stored rows are held back. */
    public LibraryConfig withSafeZoneMinContributors(int k) {
        return new LibraryConfig(home, masterKey, catalogUrl, catalogUser, catalogPassword, scratch, clock, valuesPerChunk,
                chunkBytes, jurisdiction, k);
    }

    @Override
    public String toString() {
        return "LibraryConfig[home=" + home + ", catalog=" + (catalogUrl == null ? "embedded" : catalogUrl)
                + ", jurisdiction=" + jurisdiction + "]";
    }
}
