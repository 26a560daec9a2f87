package kr.max.core;

import java.util.Locale;

/** What a principal may do in the library and the factory. */
public enum Role {
    PROVIDER, CONSUMER, STEWARD, AUDITOR, OPERATOR, ADMIN;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
