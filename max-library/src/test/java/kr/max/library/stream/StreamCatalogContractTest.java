package kr.max.library.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.library.audit.AuditChain;
import kr.max.library.catalog.Catalog;
import kr.max.library.catalog.Dataset;
import kr.max.library.catalog.DatasetVersion;
import kr.max.library.catalog.NewVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream tables of the catalog (V8), run against every catalog database (H2 and PostgreSQL). */
public abstract class StreamCatalogContractTest {

    protected Catalog catalog;
    StreamCatalog streams;
    DatasetVersion living;

    /** A catalog on an empty database. */
    protected abstract Catalog newCatalog() throws Exception;

    @BeforeEach
    void open() throws Exception {
        catalog = newCatalog();
        streams = new StreamCatalog(catalog.jdbi());
        living = catalog.commit(new NewVersion(null, "gangnam/molding-stream", "alice", "hanbit-press", Classification.INTERNAL,
                "dataset:stream", UUID.randomUUID().toString(), "alice", 0, 0, "stream", null, "stream", null, "columns: []\n",
                0, null, null, new byte[] {9}, List.of()), (h, v) -> StreamCatalog.register(h, v.datasetId(), v.id(), 1L));
    }

    @AfterEach
    void closeCatalog() {
        catalog.close();
    }

    StreamCatalog.Flush flush(String flushId, Map<String, Long> expected, Map<String, Long> marks, int chunks, long hour) {
        var list = new java.util.ArrayList<StreamCatalog.NewChunk>();
        for (int i = 0; i < chunks; i++) {
            list.add(new StreamCatalog.NewChunk(AuditChain.sha256(flushId + i), 100 + i, 1000 + i, i, hour + i, new byte[] {(byte) i}));
        }
        return new StreamCatalog.Flush(living.datasetId(), living.id(), flushId, list, expected, marks);
    }

    @Test
    void aStreamIsKnownByItsDatasetAndItsLivingVersion() {
        assertThat(streams.stream(living.datasetId())).contains(new StreamCatalog.Stream(living.datasetId(), living.id()));
        assertThat(streams.isStreamVersion(living.id())).isTrue();
        assertThat(streams.isStreamVersion(living.id() + 1000)).isFalse();
        assertThat(streams.mark(living.datasetId(), "edge-1")).isEqualTo(-1);
    }

    @Test
    void edgeRulesAreStoredAsNumberedVersionsAndAStaleChangeIsRefused() {
        long d = living.datasetId();
        assertThat(streams.edgeRules(d)).isEmpty();
        assertThat(streams.edgeRulesVersion(d)).isZero();
        assertThat(streams.storeEdgeRules(d, 0, "{\"max_class\":\"restricted\",\"tags\":{}}", 10L, "alice")).isTrue();
        assertThat(streams.storeEdgeRules(d, 1, "{\"max_class\":\"internal\",\"tags\":{}}", 20L, "bob")).isTrue();
        // someone who read version 1 and sets rules after bob did changes nothing
        assertThat(streams.storeEdgeRules(d, 1, "{\"max_class\":\"public\",\"tags\":{}}", 30L, "carol")).isFalse();
        assertThat(streams.edgeRulesVersion(d)).isEqualTo(2);
        assertThat(streams.edgeRules(d)).contains(new StreamCatalog.StoredRules(2, "{\"max_class\":\"internal\",\"tags\":{}}", 20L, "bob"));
    }

    @Test
    void aFlushRegistersItsChunksNumberedOnwardAndAdvancesMarksAndFigures() {
        assertThat(streams.commit(flush("f1", Map.of(), Map.of("edge-1", 10L, "edge-2", 4L), 2, 500), 1).committed()).isTrue();
        assertThat(streams.commit(flush("f2", Map.of("edge-1", 10L), Map.of("edge-1", 20L), 1, 500), 2).committed()).isTrue();
        assertThat(streams.mark(living.datasetId(), "edge-1")).isEqualTo(20);
        assertThat(streams.mark(living.datasetId(), "edge-2")).isEqualTo(4);
        assertThat(streams.chunks(living.id())).extracting(StreamCatalog.ChunkRow::seq, StreamCatalog.ChunkRow::flushId,
                StreamCatalog.ChunkRow::part, StreamCatalog.ChunkRow::hour).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, "f1", 0, 500L), org.assertj.core.groups.Tuple.tuple(1, "f1", 1, 501L),
                org.assertj.core.groups.Tuple.tuple(2, "f2", 0, 500L));
        assertThat(streams.zoneMaps(living.id(), 0)).containsOnlyKeys(1, 2);
        assertThat(streams.isCommitted("f2")).isTrue();
        assertThat(streams.isCommitted("f3")).isFalse();
        Dataset ds = catalog.require("gangnam/molding-stream");
        DatasetVersion v = catalog.version(ds, null);
        assertThat(v.rows()).isEqualTo(100 + 101 + 100);
        assertThat(v.bytes()).isEqualTo(1000 + 1001 + 1000);
        // the chunks are the catalog's own: referenced, and named among the dataset's objects for shredding
        assertThat(catalog.chunks(v)).hasSize(3);
        assertThat(catalog.referencedObjects()).contains(AuditChain.sha256("f20"));
        assertThat(catalog.objectsOf(ds)).hasSize(3);
    }

    @Test
    void aMarkMovedByAnotherWriterCommitsNothingAndNamesTheCurrentMark() {
        streams.commit(flush("f1", Map.of(), Map.of("edge-1", 10L), 1, 500), 1);
        var outcome = streams.commit(flush("f2", Map.of("edge-1", 5L, "edge-2", -1L), Map.of("edge-1", 12L, "edge-2", 3L), 1, 500), 2);
        assertThat(outcome.committed()).isFalse();
        assertThat(outcome.currentMarks()).isEqualTo(Map.of("edge-1", 10L));
        assertThat(streams.mark(living.datasetId(), "edge-2")).isEqualTo(-1);
        assertThat(streams.chunks(living.id())).hasSize(1);
        assertThat(streams.isCommitted("f2")).isFalse();
        // a source another writer created meanwhile is a conflict too
        var again = streams.commit(flush("f3", Map.of("edge-1", 10L), Map.of("edge-1", 11L), 1, 500), 3);
        assertThat(again.committed()).isTrue();
        streams.commit(flush("f4", Map.of(), Map.of("edge-3", 7L), 1, 500), 4);
        assertThat(streams.commit(flush("f5", Map.of(), Map.of("edge-3", 9L), 1, 500), 5).currentMarks()).isEqualTo(Map.of("edge-3", 7L));
    }

    @Test
    void aDeletedDatasetRefusesFlushes() {
        catalog.markDeleted(catalog.require("gangnam/molding-stream"));
        assertThatThrownBy(() -> streams.commit(flush("f1", Map.of(), Map.of("edge-1", 1L), 1, 500), 1))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(StreamError.DATASET_GONE));
        assertThat(streams.chunks(living.id())).isEmpty();
    }
}
