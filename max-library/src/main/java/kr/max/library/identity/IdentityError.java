package kr.max.library.identity;

import kr.max.core.ErrorCode;

/** Errors of organizations, users and tokens. */
public enum IdentityError implements ErrorCode {
    NO_SUCH_ORGANIZATION("MAX-ID-001"),
    NO_SUCH_USER("MAX-ID-002"),
    ALREADY_EXISTS("MAX-ID-003"),
    BAD_JURISDICTION("MAX-ID-004"),
    BAD_BUSINESS_NUMBER("MAX-ID-005"),
    NO_SUCH_TOKEN("MAX-ID-006"),
    BAD_NAME("MAX-ID-007"),
    /** A token may carry only roles its user holds. */
    SCOPE_BEYOND_ROLES("MAX-ID-008"),
    BAD_LIFETIME("MAX-ID-009"),
    UNKNOWN_ROLE("MAX-ID-010");

    private final String code;

    IdentityError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.identity.messages";
    }
}
