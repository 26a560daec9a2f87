package kr.max.library.policy;

import java.util.Locale;

/** What a principal wants to do with a dataset. */
public enum Action {
    INGEST, DESCRIBE, READ_METADATA, QUERY, EXPORT, TRAIN, DELETE, AUDIT, MANAGE_IDENTITIES;

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
