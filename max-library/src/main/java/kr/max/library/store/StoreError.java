package kr.max.library.store;

import kr.max.core.ErrorCode;

/** Errors of the object store and scratch space. */
public enum StoreError implements ErrorCode {
    /** Reading or writing an object failed. */
    IO("MAX-STORE-001"),
    /** An object named by the catalog is missing. */
    MISSING_OBJECT("MAX-STORE-002"),
    /** No memory-backed scratch space for decrypted data. */
    NO_MEMORY_SCRATCH("MAX-STORE-003");

    private final String code;

    StoreError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.store.messages";
    }
}
