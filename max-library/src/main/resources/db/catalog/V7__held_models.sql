-- Models of designated data leave the safe zone (데이터안심구역) like query results: an export request is held in
-- the output area until the training data's provider or a steward reviews it. A held model is a reference to its
-- model version, never a copy: it has no sealed result and no key of its own. A released model leaves once; the
-- output then moves to 'exported'.

ALTER TABLE safe_output ADD COLUMN kind VARCHAR(20) DEFAULT 'query' NOT NULL;
ALTER TABLE safe_output ADD COLUMN model_version_id BIGINT;
ALTER TABLE safe_output ADD COLUMN model_ref VARCHAR(120);
ALTER TABLE safe_output ADD COLUMN purpose VARCHAR(100);
ALTER TABLE safe_output ADD COLUMN destination VARCHAR(10);
ALTER TABLE safe_output ADD COLUMN exported_at BIGINT;
ALTER TABLE safe_output ADD CONSTRAINT safe_output_model_version_fk FOREIGN KEY (model_version_id) REFERENCES model_version (id);
ALTER TABLE safe_output ALTER COLUMN query_hash DROP NOT NULL;
ALTER TABLE safe_output ALTER COLUMN wrapped_key DROP NOT NULL;
ALTER TABLE safe_output ALTER COLUMN sealed_result DROP NOT NULL;
