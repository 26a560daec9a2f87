-- Stream datasets (decision 0015): samples from equipment land in time-partitioned chunks of one living version
-- whose chunk set grows. The chunks themselves are rows of chunk, like a deposit's, so listing, orphan cleanup
-- and crypto-shredding treat them alike. What only a stream has lives here:
--   stream_dataset  which dataset is a stream, its living version, and the next chunk number;
--   stream_source   per source (an edge forwarder, a connector) the highest sequence committed: the mark that
--                   makes replays harmless and lets a forwarder resume after a crash;
--   stream_chunk    per chunk its flush (the staging area and the chunk's associated data), its hour partition
--                   and its zone map, sealed under the version's data key (asset names and times are data).
-- The hour partition and the source name are plaintext metadata, like a dataset's name and a version's time.

CREATE TABLE stream_dataset (
    dataset_id      BIGINT        NOT NULL PRIMARY KEY REFERENCES dataset (id),
    version_id      BIGINT        NOT NULL REFERENCES dataset_version (id),
    next_seq        INTEGER       NOT NULL,
    created_at      BIGINT        NOT NULL,
    CONSTRAINT stream_dataset_version_uk UNIQUE (version_id)
);

CREATE TABLE stream_source (
    dataset_id      BIGINT        NOT NULL REFERENCES dataset (id),
    source          VARCHAR(200)  NOT NULL,
    high_water      BIGINT        NOT NULL,
    committed_at    BIGINT        NOT NULL,
    CONSTRAINT stream_source_pk PRIMARY KEY (dataset_id, source)
);

CREATE TABLE stream_chunk (
    version_id      BIGINT        NOT NULL,
    seq             INTEGER       NOT NULL,
    flush_id        VARCHAR(64)   NOT NULL,
    part            INTEGER       NOT NULL,
    partition_hour  BIGINT        NOT NULL,
    zone_map        ${bytes}      NOT NULL,
    CONSTRAINT stream_chunk_pk PRIMARY KEY (version_id, seq),
    CONSTRAINT stream_chunk_chunk_fk FOREIGN KEY (version_id, seq) REFERENCES chunk (version_id, seq),
    CONSTRAINT stream_chunk_flush_uk UNIQUE (flush_id, part)
);

CREATE INDEX stream_chunk_hour_ix ON stream_chunk (version_id, partition_hour);
