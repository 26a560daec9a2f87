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

    /** Chunks of one hour, each of its own flush, as a compaction finds them. */
    java.util.List<StreamCatalog.ChunkRow> flushesIntoOneHour(int n, long hour) {
        for (int i = 0; i < n; i++) {
            var chunk = new StreamCatalog.NewChunk(AuditChain.sha256("h" + hour + "-" + i), 10 + i, 100 + i, 0, hour, new byte[] {(byte) i});
            streams.commit(new StreamCatalog.Flush(living.datasetId(), living.id(), "h" + hour + "-" + i, List.of(chunk), Map.of(),
                    Map.of()), 1);
        }
        return streams.chunks(living.id()).stream().filter(c -> c.hour() == hour).toList();
    }

    @Test
    void aCompactionReplacesAPartitionsChunksInOneTransactionAndRetiresTheirObjects() {
        var old = flushesIntoOneHour(4, 700);
        flushesIntoOneHour(2, 701);
        long oldRows = old.stream().mapToLong(StreamCatalog.ChunkRow::rows).sum();
        var merged = new StreamCatalog.NewChunk(AuditChain.sha256("merged"), oldRows, 150, 0, 700, new byte[] {42});
        assertThat(streams.compact(new StreamCatalog.Compaction(living.datasetId(), living.id(), 700, "c1", old, List.of(merged),
                5_000), 1_000)).isTrue();
        var after = streams.chunks(living.id());
        assertThat(after).hasSize(3);
        assertThat(after).filteredOn(c -> c.hour() == 700).singleElement().satisfies(c -> {
            assertThat(c.seq()).isEqualTo(6); // numbered onward, never reusing a replaced chunk's number
            assertThat(c.flushId()).isEqualTo("c1");
            assertThat(c.rows()).isEqualTo(oldRows);
        });
        assertThat(streams.zoneMapsOfHour(living.id(), 700)).containsOnlyKeys(6);
        // the same rows, fewer bytes; the marks are untouched
        Dataset ds = catalog.require("gangnam/molding-stream");
        DatasetVersion v = catalog.version(ds, null);
        assertThat(v.rows()).isEqualTo(oldRows + 10 + 11);
        assertThat(v.bytes()).isEqualTo(150 + 100 + 101);
        // the old objects are no chunk's any more, but retained until their grace period ends
        assertThat(catalog.referencedObjects()).doesNotContain(old.get(0).objectHash()).contains(AuditChain.sha256("merged"));
        assertThat(streams.retainedObjects(4_999)).containsExactlyInAnyOrderElementsOf(old.stream().map(StreamCatalog.ChunkRow::objectHash).toList());
        assertThat(streams.dueRetired(4_999)).isEmpty();
        assertThat(streams.retainedObjects(5_000)).isEmpty();
        assertThat(streams.dueRetired(5_000)).hasSize(4);
        // a staging area of a replaced flush still counts as committed: its object is published, not lost
        assertThat(streams.isCommitted(old.get(0).flushId())).isTrue();
        assertThat(streams.isCommitted("c1")).isTrue();
        assertThat(streams.isRegistered(living.id(), old.get(0).seq())).isFalse();
        assertThat(streams.isRegistered(living.id(), 6)).isTrue();
        for (var r : streams.dueRetired(5_000)) streams.forgetRetired(r);
        assertThat(streams.retiredOf(living.datasetId())).isEmpty();
        assertThat(streams.isCommitted(old.get(0).flushId())).isFalse();
    }

    @Test
    void aCompactionOfChunksAnotherCompactionReplacedCommitsNothing() {
        var old = flushesIntoOneHour(3, 700);
        assertThat(streams.compact(new StreamCatalog.Compaction(living.datasetId(), living.id(), 700, "c1", old.subList(0, 2),
                List.of(new StreamCatalog.NewChunk(AuditChain.sha256("first"), 21, 150, 0, 700, new byte[] {1})), 9), 1)).isTrue();
        assertThat(streams.compact(new StreamCatalog.Compaction(living.datasetId(), living.id(), 700, "c2", old,
                List.of(new StreamCatalog.NewChunk(AuditChain.sha256("second"), 33, 150, 0, 700, new byte[] {2})), 9), 1)).isFalse();
        assertThat(streams.chunks(living.id())).extracting(StreamCatalog.ChunkRow::flushId).containsExactly(old.get(2).flushId(), "c1");
        assertThat(streams.isCommitted("c2")).isFalse();
        // rows must be kept: a compaction that would lose one is a broken invariant, and commits nothing
        var rest = streams.chunks(living.id());
        assertThatThrownBy(() -> streams.compact(new StreamCatalog.Compaction(living.datasetId(), living.id(), 700, "c3", rest,
                List.of(new StreamCatalog.NewChunk(AuditChain.sha256("short"), 1, 1, 0, 700, new byte[] {1})), 9), 1))
                .isInstanceOf(IllegalStateException.class);
        assertThat(streams.chunks(living.id())).hasSize(2);
    }

    @Test
    void aDeletedDatasetRefusesCompactionsAndItsRetiredObjectsAreDue() {
        var old = flushesIntoOneHour(2, 700);
        streams.compact(new StreamCatalog.Compaction(living.datasetId(), living.id(), 700, "c1", old,
                List.of(new StreamCatalog.NewChunk(AuditChain.sha256("m"), 21, 150, 0, 700, new byte[] {1})), 1_000_000), 1);
        catalog.markDeleted(catalog.require("gangnam/molding-stream"));
        assertThat(streams.retainedObjects(2)).isEmpty();
        assertThat(streams.dueRetired(2)).hasSize(2);
        assertThat(streams.retiredOf(living.datasetId())).hasSize(2);
        var current = streams.chunks(living.id());
        assertThatThrownBy(() -> streams.compact(new StreamCatalog.Compaction(living.datasetId(), living.id(), 700, "c2", current,
                List.of(new StreamCatalog.NewChunk(AuditChain.sha256("n"), 21, 1, 0, 700, new byte[] {1})), 9), 3))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(StreamError.DATASET_GONE));
    }
}
