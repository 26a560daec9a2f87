package kr.max.library.policy;

import java.util.Locale;
import java.util.Optional;

/** What a principal wants to do, with a dataset or with the library as a whole. */
public enum Action {
    /** Deposit a file as a new dataset or as the next version of one. */
    INGEST,
    /** Set titles, descriptions, tags and the classification below {@code designated}. */
    DESCRIBE,
    /** See a dataset's catalog entry and data dictionary, not its rows. */
    READ_METADATA,
    /** Run SQL over the rows inside the library. */
    QUERY,
    /** Take a copy of the rows out of the library. */
    EXPORT,
    /** Train a model inside the library; only the model leaves. */
    TRAIN,
    /** Crypto-shred a dataset. */
    DELETE,
    /** Read or verify the audit trail of the whole library. */
    AUDIT,
    /** Set or lift {@code designated} (보안과제 지정). */
    DESIGNATE,
    /** Release or reject output held for review (데이터안심구역 반출 심사). */
    REVIEW,
    /** File an access request for a dataset. */
    REQUEST_ACCESS,
    /** Approve, narrow or refuse an access request. */
    DECIDE_REQUEST,
    /** End an agreement in force before its time. */
    REVOKE,
    /** See who used a dataset, when and for which purpose. */
    USAGE,
    /** Manage organizations, users and tokens of the library. */
    MANAGE_IDENTITIES;

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The action named by {@code word} ({@code read-metadata}, {@code query}, …). */
    public static Optional<Action> fromWord(String word) {
        for (var a : values()) {
            if (a.word().equals(word)) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** Whether the action reads rows: the actions a usage policy governs. */
    public boolean usesData() {
        return this == QUERY || this == EXPORT || this == TRAIN;
    }

    /** Whether the action concerns one dataset; the others concern the library as a whole. */
    public boolean onDataset() {
        return this != AUDIT && this != MANAGE_IDENTITIES;
    }
}
