package kr.max.library.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.library.catalog.Catalog;
import kr.max.library.catalog.DatasetVersion;
import kr.max.library.catalog.NewVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's part of the catalog, run against every catalog database (H2 and PostgreSQL). */
public abstract class ModelCatalogContractTest {

    static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");

    protected Catalog catalog;
    ModelCatalog models;
    DatasetVersion press;

    /** A catalog on an empty database. */
    protected abstract Catalog newCatalog() throws Exception;

    @BeforeEach
    void open() throws Exception {
        catalog = newCatalog();
        models = new ModelCatalog(catalog.jdbi());
        press = catalog.commit(new NewVersion(null, "hanbit/press", "alice", "hanbit-press", Classification.RESTRICTED,
                "dataset:hanbit/press", UUID.randomUUID().toString(), "alice", 10, 100, "press.csv", "ab".repeat(32), "csv",
                "UTF-8", "columns: []\n", 0, null, null, new byte[]{1}, List.of()));
    }

    @AfterEach
    void closeCatalog() {
        catalog.close();
    }

    static NewModelVersion version(Long expected, String name, String keyId, Classification c, List<Long> data) {
        String lineage = new ModelLineage(List.of(), Map.of("depth", 4), 7L, "test", null).toJson();
        return new NewModelVersion(expected, name, "carol", "seoul-analytics", keyId, null, UUID.randomUUID().toString(),
                "test-ols", c, false, T0, "carol", lineage, "{\"on\":\"held-out\",\"values\":{\"rmse\":1.5}}",
                "{\"purposeEn\":\"test\"}", kr.max.library.audit.AuditChain.sha256(UUID.randomUUID().toString()), 1234,
                new byte[]{9, 9}, data);
    }

    @Test
    void firstCommitCreatesTheModelAndVersionOneWithItsTrainingData() {
        ModelVersion v = models.commit(version(null, "press-rul", "model:k1", Classification.RESTRICTED, List.of(press.id())),
                ModelCatalog.CommitHook.NONE);
        assertThat(v.number()).isEqualTo(1);
        Model m = models.require("press-rul");
        assertThat(m.ownerOrganization()).isEqualTo("seoul-analytics");
        assertThat(m.classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(models.trainingData(v)).containsExactly(press.id());
        assertThat(ModelLineage.fromJson(v.lineageJson()).parameters()).containsEntry("depth", 4);
        assertThat(v.wrappedKey()).containsExactly(9, 9);
        assertThat(v.createdAt()).isEqualTo(T0);
        assertThat(models.isCommitted(v.stagingId())).isTrue();
        assertThat(models.referencedObjects()).containsExactly(v.objectHash());
    }

    @Test
    void laterVersionsNumberUpwardAndRaiseTheModelsClassificationNeverLowerIt() {
        models.commit(version(null, "press-rul", "model:k1", Classification.INTERNAL, List.of()), ModelCatalog.CommitHook.NONE);
        Model m = models.require("press-rul");
        models.commit(version(m.id(), "press-rul", "model:k1", Classification.RESTRICTED, List.of()), ModelCatalog.CommitHook.NONE);
        ModelVersion third = models.commit(version(m.id(), "press-rul", "model:k1", Classification.PUBLIC, List.of()),
                ModelCatalog.CommitHook.NONE);
        assertThat(third.number()).isEqualTo(3);
        assertThat(third.classification()).isEqualTo(Classification.PUBLIC);
        assertThat(models.require("press-rul").classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(models.versions(m)).extracting(ModelVersion::number).containsExactly(1, 2, 3);
        assertThat(models.version(m, null).number()).isEqualTo(3);
        assertThat(models.version(m, 2).classification()).isEqualTo(Classification.RESTRICTED);
        assertThat(models.latest().get(m.id()).versions()).isEqualTo(3);
    }

    @Test
    void aCommitForAModelThatChangedMeanwhileIsRefusedAndLeavesNothing() {
        var stale = version(null, "press-rul", "model:k1", Classification.INTERNAL, List.of());
        models.commit(version(null, "press-rul", "model:k2", Classification.INTERNAL, List.of()), ModelCatalog.CommitHook.NONE);
        assertThatThrownBy(() -> models.commit(stale, ModelCatalog.CommitHook.NONE))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelAssetError.CONFLICT));
        assertThat(models.isCommitted(stale.stagingId())).isFalse();
        assertThat(models.versions(models.require("press-rul"))).hasSize(1);
    }

    @Test
    void aFailingHookRollsTheWholeVersionBack() {
        var v = version(null, "press-rul", "model:k1", Classification.INTERNAL, List.of(press.id()));
        assertThatThrownBy(() -> models.commit(v, (h, committed) -> {
            throw new IllegalStateException("crash in the commit");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(models.model("press-rul")).isEmpty();
        assertThat(models.isCommitted(v.stagingId())).isFalse();
        assertThat(models.referencedObjects()).isEmpty();
    }

    @Test
    void unknownModelsAndVersionsAreNamedInTheError() {
        assertThatThrownBy(() -> models.require("nothing"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelAssetError.NO_SUCH_MODEL));
        models.commit(version(null, "press-rul", "model:k1", Classification.INTERNAL, List.of()), ModelCatalog.CommitHook.NONE);
        assertThatThrownBy(() -> models.version(models.require("press-rul"), 7))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelAssetError.NO_SUCH_VERSION));
    }

    @Test
    void concurrentRegistrationsOfOneModelGetDenseUniqueNumbers() throws Exception {
        models.commit(version(null, "press-rul", "model:k1", Classification.INTERNAL, List.of()), ModelCatalog.CommitHook.NONE);
        long id = models.require("press-rul").id();
        try (var pool = Executors.newFixedThreadPool(6)) {
            var tasks = new ArrayList<Callable<Integer>>();
            for (int i = 0; i < 12; i++) {
                tasks.add(() -> models.commit(version(id, "press-rul", "model:k1", Classification.INTERNAL, List.of()),
                        ModelCatalog.CommitHook.NONE).number());
            }
            var numbers = new ArrayList<Integer>();
            for (Future<Integer> f : pool.invokeAll(tasks)) numbers.add(f.get());
            assertThat(numbers).containsExactlyInAnyOrder(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
        }
    }
}
