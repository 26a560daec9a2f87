-- The safe zone's output area (데이터안심구역 반출 심사): results of queries over designated data wait here,
-- sealed under a data key of their own, until the provider or a steward releases or rejects them.

CREATE TABLE safe_output (
    id              VARCHAR(32)   NOT NULL PRIMARY KEY,
    analyst         VARCHAR(200)  NOT NULL,
    organization    VARCHAR(200),
    datasets        VARCHAR(2000) NOT NULL,
    query_hash      VARCHAR(64)   NOT NULL,
    state           VARCHAR(20)   NOT NULL,
    row_count       BIGINT        NOT NULL,
    held_back       BIGINT        NOT NULL,
    created_at      BIGINT        NOT NULL,
    reviewed_by     VARCHAR(200),
    reviewed_at     BIGINT,
    review_note     VARCHAR(2000),
    wrapped_key     ${bytes}      NOT NULL,
    sealed_result   ${bytes}      NOT NULL
);
