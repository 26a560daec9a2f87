package kr.max.library.share;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kr.max.library.catalog.Catalog;
import kr.max.library.policy.Action;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What keeps a provider's asset value, as the catalog holds it: the provider's controls per dataset, the
 * de-identification profiles by name and version, the lineage of each de-identified release, and every
 * export with its fingerprint's sealed secret.
 */
public final class Protections {

    /**
     * A provider's controls over one dataset.
     *
     * @param releaseOf       for a de-identified release, the id of the dataset it was made from; else null
     * @param deidRequiredFor uses other organizations may make only of a de-identified release
     * @param neverLeave      columns no one outside the owner organization ever receives, in any use
     */
    public record Controls(Long releaseOf, Set<Action> deidRequiredFor, Set<String> neverLeave) {

        public static final Controls NONE = new Controls(null, Set.of(), Set.of());

        public Controls {
            deidRequiredFor = deidRequiredFor.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(deidRequiredFor));
            neverLeave = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(neverLeave));
        }
    }

    /** One stored version of a de-identification profile. */
    public record Profile(long id, String name, int version, String yaml, String sha256, Instant createdAt, String createdBy) {
    }

    /** Where a de-identified release version came from. */
    public record Lineage(long versionId, long sourceVersionId, long profileId, String riskReportJson) {
    }

    /**
     * One export as it left the library.
     *
     * @param scheme        the fingerprint's scheme as JSON; null for an unmarked export (the owner's own)
     * @param wrappedSecret the fingerprint's secret sealed under the library's key; null for an unmarked export
     */
    public record ExportRecord(String id, long datasetId, String dataset, int version, String recipient, String organization,
                               String purpose, String format, long rows, Instant at, String scheme, byte[] wrappedSecret) {
    }

    private final Jdbi jdbi;

    public Protections(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    // ---- controls ----

    public Controls controls(long datasetId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dataset_protection WHERE dataset_id = :d").bind("d", datasetId)
                .map((rs, ctx) -> new Controls((Long) rs.getObject("release_of", Long.class), actions(rs.getString("deid_required_for")),
                        lines(rs.getString("never_leave"))))
                .findOne().orElse(Controls.NONE));
    }

    /** Sets what needs a de-identified release and which columns never leave; a release stays a release. */
    public void setControls(long datasetId, Set<Action> deidRequiredFor, Set<String> neverLeave) {
        jdbi.useTransaction(h -> {
            int n = h.createUpdate("UPDATE dataset_protection SET deid_required_for = :a, never_leave = :c WHERE dataset_id = :d")
                    .bind("a", words(deidRequiredFor)).bind("c", String.join("\n", neverLeave)).bind("d", datasetId).execute();
            if (n == 0) {
                h.createUpdate("INSERT INTO dataset_protection (dataset_id, deid_required_for, never_leave) VALUES (:d, :a, :c)")
                        .bind("a", words(deidRequiredFor)).bind("c", String.join("\n", neverLeave)).bind("d", datasetId).execute();
            }
        });
    }

    /** Marks {@code datasetId} a de-identified release of {@code sourceId}, inside the caller's transaction. */
    public static void markRelease(Handle h, long datasetId, long sourceId) {
        int n = h.createUpdate("UPDATE dataset_protection SET release_of = :s WHERE dataset_id = :d")
                .bind("s", sourceId).bind("d", datasetId).execute();
        if (n == 0) {
            h.createUpdate("INSERT INTO dataset_protection (dataset_id, release_of) VALUES (:d, :s)")
                    .bind("s", sourceId).bind("d", datasetId).execute();
        }
    }

    // ---- profiles ----

    /**
     * The stored version of this profile text: the latest version of {@code name} when its text is the
     * same, else a new version.
     */
    public Profile storeProfile(String name, String yaml, String by, Instant at) {
        String sha = sha256(yaml);
        return jdbi.inTransaction(h -> {
            Optional<Profile> latest = profile(h, name, null);
            if (latest.isPresent() && latest.get().sha256().equals(sha)) return latest.get();
            int version = latest.map(p -> p.version() + 1).orElse(1);
            h.createUpdate("""
                    INSERT INTO deid_profile (name, version, yaml, sha256, created_at, created_by)
                    VALUES (:n, :v, :y, :s, :at, :by)""")
                    .bind("n", name).bind("v", version).bind("y", yaml).bind("s", sha).bind("at", Catalog.micros(at))
                    .bind("by", by).execute();
            return profile(h, name, version).orElseThrow();
        });
    }

    private static Optional<Profile> profile(Handle h, String name, Integer version) {
        var q = version == null
                ? h.createQuery("SELECT * FROM deid_profile WHERE name = :n ORDER BY version DESC LIMIT 1")
                : h.createQuery("SELECT * FROM deid_profile WHERE name = :n AND version = :v").bind("v", version);
        return q.bind("n", name).map((rs, ctx) -> profile(rs)).findOne();
    }

    private static Profile profile(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Profile(rs.getLong("id"), rs.getString("name"), rs.getInt("version"), rs.getString("yaml"),
                rs.getString("sha256"), Catalog.instant(rs.getLong("created_at")), rs.getString("created_by"));
    }

    // ---- lineage ----

    public static void recordLineage(Handle h, Lineage l) {
        h.createUpdate("""
                INSERT INTO release_lineage (version_id, source_version_id, profile_id, risk_report)
                VALUES (:v, :s, :p, :r)""")
                .bind("v", l.versionId()).bind("s", l.sourceVersionId()).bind("p", l.profileId()).bind("r", l.riskReportJson())
                .execute();
    }

    public Optional<Lineage> lineage(long versionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM release_lineage WHERE version_id = :v").bind("v", versionId)
                .map((rs, ctx) -> new Lineage(rs.getLong("version_id"), rs.getLong("source_version_id"), rs.getLong("profile_id"),
                        rs.getString("risk_report")))
                .findOne());
    }

    /** One de-identified release made of a dataset: which version, from which source version, by which profile. */
    public record ReleaseRecord(String release, int version, int sourceVersion, String profile, int profileVersion, long rows,
                                Instant at, String createdBy) {
    }

    /** The releases made of a dataset, oldest first. */
    public List<ReleaseRecord> releasesOf(long sourceDatasetId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT d.name AS release_name, v.number, sv.number AS source_number, p.name AS profile_name,
                          p.version AS profile_version, v.row_count, v.created_at, v.created_by
                        FROM release_lineage l
                        JOIN dataset_version v ON v.id = l.version_id
                        JOIN dataset d ON d.id = v.dataset_id
                        JOIN dataset_version sv ON sv.id = l.source_version_id
                        JOIN deid_profile p ON p.id = l.profile_id
                        WHERE sv.dataset_id = :d
                        ORDER BY v.created_at, d.name, v.number""")
                .bind("d", sourceDatasetId)
                .map((rs, ctx) -> new ReleaseRecord(rs.getString("release_name"), rs.getInt("number"), rs.getInt("source_number"),
                        rs.getString("profile_name"), rs.getInt("profile_version"), rs.getLong("row_count"),
                        Catalog.instant(rs.getLong("created_at")), rs.getString("created_by")))
                .list());
    }

    // ---- exports ----

    public void recordExport(ExportRecord e) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO export_record (id, dataset_id, version_number, recipient, organization, purpose, format, row_count,
                  created_at, scheme, wrapped_secret)
                VALUES (:id, :d, :v, :r, :o, :p, :f, :n, :at, :s, :w)""")
                .bind("id", e.id()).bind("d", e.datasetId()).bind("v", e.version()).bind("r", e.recipient())
                .bind("o", e.organization()).bind("p", e.purpose()).bind("f", e.format()).bind("n", e.rows())
                .bind("at", Catalog.micros(e.at())).bind("s", e.scheme()).bind("w", e.wrappedSecret()).execute());
    }

    /** Exports of one dataset, oldest first; {@code marked} keeps only fingerprinted ones. */
    public List<ExportRecord> exports(Long datasetId, boolean marked) {
        String sql = "SELECT e.*, d.name AS dataset_name FROM export_record e JOIN dataset d ON d.id = e.dataset_id WHERE 1 = 1"
                + (datasetId == null ? "" : " AND e.dataset_id = :d") + (marked ? " AND e.wrapped_secret IS NOT NULL" : "")
                + " ORDER BY e.created_at, e.id";
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql);
            if (datasetId != null) q.bind("d", datasetId);
            return q.map((rs, ctx) -> new ExportRecord(rs.getString("id"), rs.getLong("dataset_id"), rs.getString("dataset_name"),
                    rs.getInt("version_number"), rs.getString("recipient"), rs.getString("organization"), rs.getString("purpose"),
                    rs.getString("format"), rs.getLong("row_count"), Catalog.instant(rs.getLong("created_at")),
                    rs.getString("scheme"), rs.getBytes("wrapped_secret"))).list();
        });
    }

    /**
     * Uses of data named by their words ({@code query}, {@code export}, {@code train}), as providers write them
     * on the command line or in a request.
     *
     * @throws kr.max.core.MaxException {@code MAX-SHARE-002} for a word that is not a use of data
     */
    public static Set<Action> uses(java.util.Collection<String> words) {
        var out = EnumSet.noneOf(Action.class);
        if (words == null) return out;
        for (String w : words) {
            Action a = Action.fromWord(w.strip()).filter(Action::usesData).orElseThrow(() ->
                    new kr.max.core.MaxException(ShareError.NOT_A_USE, kr.max.core.Location.NOWHERE, w));
            out.add(a);
        }
        return out;
    }

    // ---- helpers ----

    private static String words(Set<Action> actions) {
        return String.join(",", actions.stream().sorted().map(Action::word).toList());
    }

    private static Set<Action> actions(String words) {
        var out = EnumSet.noneOf(Action.class);
        if (words == null || words.isBlank()) return out;
        for (String w : words.split(",")) Action.fromWord(w.strip()).ifPresent(out::add);
        return out;
    }

    private static Set<String> lines(String text) {
        var out = new LinkedHashSet<String>();
        if (text == null || text.isEmpty()) return out;
        for (String l : text.split("\n")) {
            if (!l.isEmpty()) out.add(l);
        }
        return out;
    }

    static String sha256(String text) {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
