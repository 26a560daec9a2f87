package kr.max.library.deid;

import kr.max.core.ErrorCode;

/**
 * Errors of de-identification: a bad profile (001–013), a bad category hierarchy (020–026), a profile that does
 * not fit the data dictionary (030–031), and a table or key the engine cannot work with (040–050).
 */
public enum DeidError implements ErrorCode {
    /** {0} the YAML parser's explanation (English). */
    MALFORMED_YAML("MAX-DEID-001"),
    /** {0} the key, {1} the keys allowed there. */
    UNKNOWN_KEY("MAX-DEID-002"),
    /** {0} the key. */
    DUPLICATE_KEY("MAX-DEID-003"),
    /** {0} the key, {1} the expected form in YAML syntax. */
    WRONG_TYPE("MAX-DEID-004"),
    /** {0} the key, {1} the word, {2} the words allowed. */
    UNKNOWN_WORD("MAX-DEID-005"),
    /** {0} the key. */
    MISSING_KEY("MAX-DEID-006"),
    /** {0} the action, {1} the parameters of which one is needed. */
    MISSING_PARAMETER("MAX-DEID-007"),
    /** {0} the key, {1} the action. */
    PARAMETER_NOT_FOR_ACTION("MAX-DEID-008"),
    /** {0} the key, {1} the value, {2} the allowed range. */
    OUT_OF_RANGE("MAX-DEID-009"),
    /** A rule whose match names neither role, sensitivity nor unit. */
    EMPTY_MATCH("MAX-DEID-010"),
    /** {0} the action. */
    QUASI_IDENTIFIER_NOT_ALLOWED("MAX-DEID-011"),
    /** {0} and {1} the two keys of which only one may be given. */
    CONFLICTING_PARAMETERS("MAX-DEID-012"),
    /** {0} the file. */
    PROFILE_UNREADABLE("MAX-DEID-013"),
    /** {0} the hierarchy file as the profile names it. */
    HIERARCHY_UNREADABLE("MAX-DEID-020"),
    /** {0} the number of levels on this line, {1} the number on the first line. */
    HIERARCHY_RAGGED("MAX-DEID-021"),
    /** An empty value or label. */
    HIERARCHY_EMPTY_FIELD("MAX-DEID-022"),
    /** {0} the value, {1} the line where it first appears. */
    HIERARCHY_DUPLICATE_VALUE("MAX-DEID-023"),
    /** {0} the label, {1} its level, {2} and {3} its two different parents. */
    HIERARCHY_NOT_A_TREE("MAX-DEID-024"),
    /** The hierarchy lists no values. */
    HIERARCHY_EMPTY("MAX-DEID-025"),
    /** {0} the value found in the data. */
    VALUE_NOT_IN_HIERARCHY("MAX-DEID-026"),
    /** {0} the column, {1} its sensitivity. */
    SENSITIVE_KEPT_BY_DEFAULT("MAX-DEID-030"),
    /** {0} what the rule asks, {1} the column, {2} its type, {3} the types it needs. */
    ACTION_NOT_FOR_TYPE("MAX-DEID-031"),
    /** {0} the column, {1} the kind of array the dictionary asks for, {2} what the table holds. */
    TABLE_MISMATCH("MAX-DEID-040"),
    /** {0} the column. */
    COLUMN_NOT_IN_DICTIONARY("MAX-DEID-041"),
    /** {0} the rows, {1} k, {2} the suppression limit. */
    K_NOT_REACHABLE("MAX-DEID-042"),
    /** {0} the number of lattice nodes, {1} the most the search takes. */
    LATTICE_TOO_LARGE("MAX-DEID-043"),
    /** {0} the value, {1} the width. */
    NUMBER_TOO_LARGE("MAX-DEID-044"),
    /** The bytes are not an HMAC-SHA256 PRF keyset. */
    BAD_PSEUDONYM_KEY("MAX-DEID-050");

    private final String code;

    DeidError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.deid.messages";
    }
}
