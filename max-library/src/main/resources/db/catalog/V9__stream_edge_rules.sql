-- Edge rules of a stream dataset (decision 0019): what of its samples may leave the plant, as the hub says it to every
-- edge that forwards into it. One row per version, never changed: the version in force is the highest; every change
-- is also on the audit chain. rules holds the canonical JSON ({"max_class":…,"tags":{tag:{"drop"|"round"|"class"}}});
-- tag ids are metadata, like a dictionary's column names, never measured values.

CREATE TABLE stream_edge_rules (
    dataset_id      BIGINT        NOT NULL REFERENCES dataset (id),
    version         BIGINT        NOT NULL,
    rules           ${text}       NOT NULL,
    changed_at      BIGINT        NOT NULL,
    changed_by      VARCHAR(200)  NOT NULL,
    CONSTRAINT stream_edge_rules_pk PRIMARY KEY (dataset_id, version)
);
