-- Access requests and the agreements they become: one row from filing to the end, its state moved only
-- along the transitions of AccessState. The requested terms are kept as filed (so that a narrowing can be
-- checked against them); the policy in force is the ODRL JSON of the usage policy. Use counts live in
-- their own rows, one per action, so that counting one use locks and changes one small row.

CREATE TABLE access_agreement (
    id                 VARCHAR(40)   NOT NULL PRIMARY KEY,
    dataset_id         BIGINT        NOT NULL REFERENCES dataset (id),
    dataset            VARCHAR(400)  NOT NULL,
    provider           VARCHAR(200)  NOT NULL,
    consumer           VARCHAR(200)  NOT NULL,
    requested_by       VARCHAR(200)  NOT NULL,
    requested_at       BIGINT        NOT NULL,
    requested_actions  VARCHAR(100)  NOT NULL,
    requested_purposes VARCHAR(2000) NOT NULL,
    requested_from     BIGINT        NOT NULL,
    requested_until    BIGINT        NOT NULL,
    requested_analysts VARCHAR(4000) NOT NULL,
    requested_max_uses BIGINT,
    policy             ${text}       NOT NULL,
    analysts           VARCHAR(4000) NOT NULL,
    valid_until        BIGINT        NOT NULL,
    state              VARCHAR(20)   NOT NULL,
    decided_by         VARCHAR(200),
    decided_at         BIGINT,
    reason             VARCHAR(1000),
    ended_by           VARCHAR(200),
    ended_at           BIGINT
);

CREATE INDEX access_agreement_consumer_ix ON access_agreement (dataset_id, consumer, state);
CREATE INDEX access_agreement_provider_ix ON access_agreement (provider, state);
CREATE INDEX access_agreement_state_ix ON access_agreement (state, valid_until);

CREATE TABLE agreement_use (
    agreement_id       VARCHAR(40)   NOT NULL REFERENCES access_agreement (id),
    action             VARCHAR(20)   NOT NULL,
    uses               BIGINT        NOT NULL,
    last_used_at       BIGINT,
    CONSTRAINT agreement_use_pk PRIMARY KEY (agreement_id, action)
);
