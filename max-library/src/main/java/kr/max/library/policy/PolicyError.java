package kr.max.library.policy;

import kr.max.core.ErrorCode;

/** Access refused. */
public enum PolicyError implements ErrorCode {
    DENIED("MAX-POLICY-001");

    private final String code;

    PolicyError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.policy.messages";
    }
}
