package kr.max.library.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The catalog's contract, run against every database it supports (H2 and PostgreSQL). */
public abstract class CatalogContractTest {

    protected Catalog catalog;

    /** A catalog on an empty database. */
    protected abstract Catalog newCatalog() throws Exception;

    @BeforeEach
    void open() throws Exception {
        catalog = newCatalog();
    }

    @AfterEach
    void closeCatalog() {
        catalog.close();
    }

    static NewVersion version(String dataset, int chunks) {
        return version(null, dataset, chunks);
    }

    /** A version of a dataset the caller expects to exist with that id (null: to be created). */
    NewVersion next(String dataset, int chunks) {
        Dataset ds = catalog.require(dataset);
        var v = version(ds.id(), dataset, chunks);
        return new NewVersion(v.expectedDatasetId(), v.datasetName(), v.owner(), v.ownerOrganization(), v.classification(), ds.keyId(), v.ingestId(),
                v.createdBy(), v.rows(), v.bytes(), v.sourceName(), v.sourceSha256(), v.sourceFormat(), v.sourceEncoding(),
                v.dictionaryYaml(), v.rejectedRows(), v.rejectedDetail(), v.zoneMaps(), v.wrappedKey(), v.chunks());
    }

    static NewVersion version(Long expectedId, String dataset, int chunks) {
        var list = new ArrayList<Chunk>();
        for (int i = 0; i < chunks; i++) {
            list.add(new Chunk(i, sha(dataset + i + UUID.randomUUID()), 100 + i, 1000 + i));
        }
        return new NewVersion(expectedId, dataset, "local:alice", "hanbit-press", Classification.INTERNAL, "dataset:" + dataset,
                UUID.randomUUID().toString(), "local:alice", 250, 4096, "press.csv", sha("src"), "csv", "UTF-8",
                "columns: []\n", 0, null, new byte[]{1, 2, 3}, new byte[]{9, 8, 7}, list);
    }

    static String sha(String s) {
        return kr.max.library.audit.AuditChain.sha256(s);
    }

    @Test
    void firstCommitCreatesDatasetAndVersionOne() {
        DatasetVersion v = catalog.commit(version("kamp/press", 2));
        assertThat(v.number()).isEqualTo(1);
        Dataset ds = catalog.require("kamp/press");
        assertThat(ds.classification()).isEqualTo(Classification.INTERNAL);
        assertThat(ds.owner()).isEqualTo("local:alice");
        assertThat(catalog.chunks(v)).extracting(Chunk::seq).containsExactly(0, 1);
        assertThat(catalog.chunks(v).get(1).rows()).isEqualTo(101);
        assertThat(v.zoneMaps()).containsExactly(1, 2, 3);
        assertThat(v.wrappedKey()).containsExactly(9, 8, 7);
    }

    @Test
    void laterCommitsNumberVersionsUpwardAndKeepOldOnes() {
        catalog.commit(version("kamp/press", 1));
        catalog.commit(next("kamp/press", 3));
        Dataset ds = catalog.require("kamp/press");
        assertThat(catalog.versions(ds)).extracting(DatasetVersion::number).containsExactly(1, 2);
        assertThat(catalog.version(ds, null).number()).isEqualTo(2);
        assertThat(catalog.chunks(catalog.version(ds, 1))).hasSize(1);
    }

    @Test
    void unknownDatasetAndVersionGiveStableCodes() {
        assertThatThrownBy(() -> catalog.require("nope/none"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CatalogError.NO_SUCH_DATASET));
        catalog.commit(version("kamp/press", 1));
        Dataset ds = catalog.require("kamp/press");
        assertThatThrownBy(() -> catalog.version(ds, 7))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CatalogError.NO_SUCH_VERSION));
    }

    @Test
    void commitIsAllOrNothingWhenAChunkRowFails() {
        var bad = version("kamp/press", 2);
        var dup = new ArrayList<>(bad.chunks());
        dup.add(dup.getFirst()); // same (version, seq): violates the primary key inside the transaction
        var broken = new NewVersion(bad.expectedDatasetId(), bad.datasetName(), bad.owner(), bad.ownerOrganization(), bad.classification(), bad.keyId(), bad.ingestId(),
                bad.createdBy(), bad.rows(), bad.bytes(), bad.sourceName(), bad.sourceSha256(), bad.sourceFormat(),
                bad.sourceEncoding(), bad.dictionaryYaml(), bad.rejectedRows(), bad.rejectedDetail(), bad.zoneMaps(),
                bad.wrappedKey(), dup);
        assertThatThrownBy(() -> catalog.commit(broken)).isInstanceOf(RuntimeException.class);
        assertThat(catalog.dataset("kamp/press")).isEmpty();
        assertThat(catalog.isCommitted(bad.ingestId())).isFalse();
        assertThat(catalog.referencedObjects()).isEmpty();
    }

    @Test
    void concurrentCommitsToOneDatasetGetDistinctNumbers() throws Exception {
        catalog.commit(version("line/a", 1));
        try (var pool = Executors.newFixedThreadPool(4)) {
            List<Future<DatasetVersion>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                NewVersion v = next("line/a", 1);
                Callable<DatasetVersion> c = () -> catalog.commit(v);
                futures.add(pool.submit(c));
            }
            var numbers = new ArrayList<Integer>();
            for (var f : futures) numbers.add(f.get().number());
            assertThat(numbers).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void commitIsRefusedWhenTheDatasetChangedSinceTheDepositBegan() {
        // two first deposits of one name: the second finds the dataset made by the first
        var first = version("race/x", 1);
        var second = version("race/x", 1);
        catalog.commit(first);
        assertThatThrownBy(() -> catalog.commit(second))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CatalogError.CONFLICT));
        // a deposit into a dataset deleted (and re-created) meanwhile
        var late = next("race/x", 1);
        catalog.markDeleted(catalog.require("race/x"));
        assertThatThrownBy(() -> catalog.commit(late))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CatalogError.CONFLICT));
        catalog.commit(version("race/x", 1));
        assertThatThrownBy(() -> catalog.commit(late))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(CatalogError.CONFLICT));
        assertThat(catalog.versions(catalog.require("race/x"))).hasSize(1);
    }

    @Test
    void ingestIdsTellCommittedFromOrphaned() {
        var v = version("kamp/press", 1);
        assertThat(catalog.isCommitted(v.ingestId())).isFalse();
        catalog.commit(v);
        assertThat(catalog.isCommitted(v.ingestId())).isTrue();
        assertThat(catalog.referencedObjects()).containsExactly(v.chunks().getFirst().objectHash());
    }

    @Test
    void deletionFreesTheNameWipesKeysAndIsResumable() {
        var v = version("kamp/press", 2);
        catalog.commit(v);
        Dataset ds = catalog.require("kamp/press");
        catalog.markDeleted(ds);
        assertThat(catalog.dataset("kamp/press")).isEmpty();
        assertThat(catalog.datasets()).isEmpty();
        assertThat(catalog.pendingShred()).extracting(Dataset::id).containsExactly(ds.id());
        assertThat(catalog.objectsOf(ds)).hasSize(2);
        catalog.markShredded(ds);
        assertThat(catalog.pendingShred()).isEmpty();
        assertThat(catalog.referencedObjects()).isEmpty();
        // the name can be used again, as a new dataset with version 1
        assertThat(catalog.commit(version("kamp/press", 1)).number()).isEqualTo(1);
    }

    @Test
    void describeUpdatesOnlyGivenFields() {
        catalog.commit(version("kamp/press", 1));
        Dataset ds = catalog.require("kamp/press");
        assertThat(ds.ownerOrganization()).isEqualTo("hanbit-press");
        assertThat(ds.domesticOnly()).isFalse();
        catalog.describe(ds, "프레스 공정", "Press line", null, null, Classification.DESIGNATED, List.of("press", "kamp"), true);
        Dataset after = catalog.require("kamp/press");
        assertThat(after.domesticOnly()).isTrue();
        catalog.describe(after, null, null, null, null, null, null, null);
        assertThat(catalog.require("kamp/press").domesticOnly()).isTrue();
        assertThat(after.titleKo()).isEqualTo("프레스 공정");
        assertThat(after.titleEn()).isEqualTo("Press line");
        assertThat(after.classification()).isEqualTo(Classification.DESIGNATED);
        assertThat(after.tags()).containsExactly("press", "kamp");
    }

    // ---- identities: organizations, users and tokens live in the same database ----

    /** A clock the test moves. */
    static final class TestClock extends java.time.Clock {
        java.time.Instant now = java.time.Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void aTokenStandsForItsUserWithTheRolesItCarriesUntilRevokedOrExpired() {
        var clock = new TestClock();
        var ids = new kr.max.library.identity.Identities(catalog.jdbi(), clock);
        ids.createOrganization("hanbit-press", "220-81-62517", "kr");
        ids.createOrganization("bavaria-ai", null, "DE");
        var alice = ids.createUser("alice", "hanbit-press", java.util.Set.of(kr.max.core.Role.PROVIDER, kr.max.core.Role.CONSUMER));
        ids.createUser("hans", "bavaria-ai", java.util.Set.of(kr.max.core.Role.CONSUMER));
        assertThat(alice.jurisdiction()).isEqualTo("KR");
        assertThat(ids.users("bavaria-ai")).extracting(u -> u.name()).containsExactly("hans");
        assertThat(ids.users(null)).extracting(u -> u.name()).containsExactly("alice", "hans");

        var full = ids.issueToken("alice", java.util.Set.of(), java.time.Duration.ofDays(1), "laptop");
        var narrow = ids.issueToken("alice", java.util.Set.of(kr.max.core.Role.CONSUMER), java.time.Duration.ofHours(1), null);
        var hans = ids.issueToken("hans", null, null, null);
        assertThat(full.token()).startsWith("max_").doesNotContain(" ");
        assertThat(ids.authenticate(full.token())).hasValueSatisfying(p -> {
            assertThat(p.name()).isEqualTo("alice");
            assertThat(p.organization()).isEqualTo("hanbit-press");
            assertThat(p.jurisdiction()).isEqualTo("KR");
            assertThat(p.roles()).containsExactlyInAnyOrder(kr.max.core.Role.PROVIDER, kr.max.core.Role.CONSUMER);
        });
        assertThat(ids.authenticate(narrow.token())).hasValueSatisfying(p -> assertThat(p.roles()).containsExactly(kr.max.core.Role.CONSUMER));
        assertThat(ids.authenticate(hans.token())).hasValueSatisfying(p -> assertThat(p.jurisdiction()).isEqualTo("DE"));

        // a forged secret with a real id, a malformed token, an unknown id: nothing
        String forged = full.token().substring(0, full.token().length() - 4) + "AAAA";
        assertThat(ids.authenticate(forged)).isEmpty();
        assertThat(ids.authenticate("Bearer " + full.token())).isEmpty();
        assertThat(ids.authenticate("max_0000000000000000_" + "A".repeat(43))).isEmpty();
        assertThat(ids.authenticate(null)).isEmpty();

        // expiry and revocation take effect on the next call
        clock.now = clock.now.plus(java.time.Duration.ofHours(2));
        assertThat(ids.authenticate(narrow.token())).isEmpty();
        assertThat(ids.authenticate(full.token())).isPresent();
        var revoked = ids.revokeToken(full.info().id());
        assertThat(revoked.revokedAt()).isEqualTo(clock.now);
        assertThat(ids.authenticate(full.token())).isEmpty();
        assertThat(ids.tokens("alice")).hasSize(2).noneMatch(t -> t.activeAt(clock.now));
        assertThat(ids.tokens(null)).hasSize(3);
    }

    @Test
    void tokenSecretsAreNeverStored() throws Exception {
        var ids = new kr.max.library.identity.Identities(catalog.jdbi(), java.time.Clock.systemUTC());
        ids.createOrganization("hanbit-press", null, "KR");
        ids.createUser("alice", "hanbit-press", java.util.Set.of(kr.max.core.Role.CONSUMER));
        var issued = ids.issueToken("alice", null, null, null);
        String secret = issued.token().substring(issued.token().lastIndexOf('_') + 1);
        var stored = catalog.jdbi().withHandle(h -> h.createQuery("SELECT * FROM api_token").mapToMap().list());
        assertThat(stored).hasSize(1);
        assertThat(stored.toString()).doesNotContain(secret).contains(issued.info().id());
        assertThat(issued.toString()).doesNotContain(secret);
    }

    @Test
    void badIdentitiesAreRefusedWithTheirCodes() {
        var ids = new kr.max.library.identity.Identities(catalog.jdbi(), java.time.Clock.systemUTC());
        ids.createOrganization("hanbit-press", "220-81-62517", "KR");
        assertThatThrownBy(() -> ids.createOrganization("hanbit-press", null, "KR"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(kr.max.library.identity.IdentityError.ALREADY_EXISTS));
        assertThatThrownBy(() -> ids.createOrganization("x-corp", null, "XX"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(kr.max.library.identity.IdentityError.BAD_JURISDICTION));
        assertThatThrownBy(() -> ids.createOrganization("y-corp", "220-81-62518", "KR"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(kr.max.library.identity.IdentityError.BAD_BUSINESS_NUMBER));
        assertThatThrownBy(() -> ids.createOrganization("../etc", null, "KR"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(kr.max.library.identity.IdentityError.BAD_NAME));
        assertThatThrownBy(() -> ids.createUser("bob", "no-such-org", java.util.Set.of()))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(kr.max.library.identity.IdentityError.NO_SUCH_ORGANIZATION));
        ids.createUser("bob", "hanbit-press", java.util.Set.of(kr.max.core.Role.CONSUMER));
        assertThatThrownBy(() -> ids.issueToken("bob", java.util.Set.of(kr.max.core.Role.ADMIN), null, null))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(kr.max.library.identity.IdentityError.SCOPE_BEYOND_ROLES));
        assertThatThrownBy(() -> ids.issueToken("bob", null, java.time.Duration.ofDays(400), null))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(kr.max.library.identity.IdentityError.BAD_LIFETIME));
        assertThat(kr.max.library.identity.Identities.isKoreanBusinessNumber("1048100214")).isFalse();
    }
}
