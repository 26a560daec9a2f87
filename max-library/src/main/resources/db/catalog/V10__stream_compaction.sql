-- Compaction of stream datasets (decision 0020): the small chunks of a sealed hour partition are merged into a few
-- large ones in one transaction that registers the new chunks and removes the old chunk rows. The old objects cannot
-- go at once — a query that listed the chunks a moment earlier may still be opening them — so each is kept here
-- until its grace period ends. While a row is here its object counts as referenced (recovery at start leaves it);
-- then the library deletes the object and the row. The flush id names the staging area the object came from, so a
-- staging area of a retired chunk is still published, not lost, when a crash left it behind.

CREATE TABLE stream_retired_chunk (
    version_id      BIGINT        NOT NULL REFERENCES dataset_version (id),
    object_hash     VARCHAR(64)   NOT NULL,
    flush_id        VARCHAR(64)   NOT NULL,
    retired_at      BIGINT        NOT NULL,
    delete_after    BIGINT        NOT NULL,
    CONSTRAINT stream_retired_chunk_pk PRIMARY KEY (version_id, object_hash)
);

CREATE INDEX stream_retired_chunk_due_ix ON stream_retired_chunk (delete_after);
CREATE INDEX stream_retired_chunk_flush_ix ON stream_retired_chunk (flush_id);
