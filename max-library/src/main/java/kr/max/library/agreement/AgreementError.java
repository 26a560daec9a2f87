package kr.max.library.agreement;

import kr.max.core.ErrorCode;

/** Errors of usage policies, access requests and agreements. */
public enum AgreementError implements ErrorCode {
    /** The policy is not JSON, or a member has the wrong type. */
    MALFORMED_POLICY("MAX-AGREE-001"),
    /** An action a usage policy cannot govern. */
    UNKNOWN_ACTION("MAX-AGREE-002"),
    /** A constraint on something the library does not know. */
    UNKNOWN_LEFT_OPERAND("MAX-AGREE-003"),
    /** An operator that does not fit the constraint's left operand. */
    UNKNOWN_OPERATOR("MAX-AGREE-004"),
    /** A time window that ends at or before its start. */
    WINDOW_END_BEFORE_START("MAX-AGREE-005"),
    /** A count limit below zero. */
    NEGATIVE_COUNT("MAX-AGREE-006"),
    /** A time window with only one end. */
    INCOMPLETE_WINDOW("MAX-AGREE-007"),
    /** Not an ISO 3166-1 alpha-2 code. */
    INVALID_JURISDICTION("MAX-AGREE-008"),
    /** A duty the library cannot discharge. */
    UNKNOWN_DUTY("MAX-AGREE-009"),
    /** A member the policy format does not have; ignoring it could drop a prohibition unseen. */
    UNKNOWN_MEMBER("MAX-AGREE-010"),
    /** A transition the access-request state machine does not allow. */
    ILLEGAL_TRANSITION("MAX-AGREE-011"),
    /** Approved terms that grant more than was requested. */
    NOT_A_NARROWING("MAX-AGREE-012"),
    /** A set of values that must not be empty. */
    EMPTY_VALUES("MAX-AGREE-013"),
    /** No access request or agreement with this id. */
    NO_SUCH_REQUEST("MAX-AGREE-014"),
    /** A purpose that is not one short word: it is stored in lists and audit records. */
    BAD_PURPOSE("MAX-AGREE-015"),
    /** A named analyst that cannot be a principal name. */
    BAD_ANALYST("MAX-AGREE-016"),
    /** A named analyst who is a user of another organization than the requesting one. */
    ANALYST_OUTSIDE_CONSUMER("MAX-AGREE-017"),
    /** A date or instant that cannot be read. */
    BAD_DATE("MAX-AGREE-018"),
    /** A dataset without a recorded owner organization: no provider could decide a request for it. */
    NO_PROVIDER_ORGANIZATION("MAX-AGREE-019"),
    /** A refusal reason longer than the library keeps. */
    REASON_TOO_LONG("MAX-AGREE-020"),
    /** So many callers used one agreement at once that this use could not be counted. */
    COUNT_CONTENDED("MAX-AGREE-021");

    private final String code;

    AgreementError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.agreement.messages";
    }
}
