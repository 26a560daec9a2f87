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
    EMPTY_VALUES("MAX-AGREE-013");

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
