package kr.max.library.catalog;

import kr.max.core.ErrorCode;

/** Errors of the catalog. */
public enum CatalogError implements ErrorCode {
    NO_SUCH_DATASET("MAX-CATALOG-001"),
    NO_SUCH_VERSION("MAX-CATALOG-002"),
    DATABASE("MAX-CATALOG-003"),
    /** The catalog URL names a database we do not support. */
    UNSUPPORTED_DATABASE("MAX-CATALOG-004"),
    /** The dataset was created, deleted or replaced by someone else during a deposit. */
    CONFLICT("MAX-CATALOG-005");

    private final String code;

    CatalogError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.catalog.messages";
    }
}
