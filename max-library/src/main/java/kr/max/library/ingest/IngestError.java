package kr.max.library.ingest;

import kr.max.core.ErrorCode;

/**
 * Errors met while reading a source file or its data dictionary. The Korean and English texts are in
 * {@code kr/max/library/ingest/messages*.properties}; the arguments each text expects are listed per
 * constant. {@link IngestProblem#toException(String)} passes the problem's value as {@code {0}}.
 */
public enum IngestError implements ErrorCode {
    /** The file does not exist or cannot be read. Args: {@code {0}} the path. */
    FILE_NOT_FOUND("MAX-INGEST-001"),
    /** Not a format we read (Excel, zip, binary) or an unknown {@code --format} word. Args: {@code {0}} what was found. */
    UNKNOWN_FORMAT("MAX-INGEST-002"),
    /** Bytes that the file's text encoding cannot decode. Args: {@code {0}} the bytes in hex, such as {@code 0xFF}. */
    BAD_ENCODING("MAX-INGEST-003"),
    /** The file holds nothing but blank space. No args. */
    EMPTY_FILE("MAX-INGEST-004"),
    /** Two columns with the same name. Args: {@code {0}} the name. */
    DUPLICATE_COLUMN("MAX-INGEST-005"),
    /** A row has more fields than there are columns. Args: {@code {0}} the first extra field's text. */
    EXTRA_FIELD("MAX-INGEST-010"),
    /** A row has fewer fields than there are columns. Args: {@code {0}} unused (empty). */
    MISSING_FIELD("MAX-INGEST-011"),
    /** A value does not fit its column's type, or a JSON line is malformed. Args: {@code {0}} the value or an excerpt of the line. */
    BAD_VALUE("MAX-INGEST-012"),
    /** The file ends inside a row, or a quoted field is never closed. Args: {@code {0}} the row's last text, may be empty. */
    CUT_OFF("MAX-INGEST-013"),
    /** A column (or JSON key) that is not among the expected columns. Args: {@code {0}} its name. */
    UNKNOWN_COLUMN("MAX-INGEST-014"),
    /** An expected column is absent from the file. Args: {@code {0}} its name. */
    MISSING_COLUMN("MAX-INGEST-015"),
    /**
     * A data dictionary YAML file cannot be used. Args: {@code {0}} the kind of problem as a number (see
     * {@code DictionaryYaml}), then the kind's details; the message chooses its wording by the kind.
     */
    BAD_DICTIONARY("MAX-INGEST-030"),
    /** An encoding name we do not know. Args: {@code {0}} the name. */
    UNKNOWN_ENCODING("MAX-INGEST-031");

    private final String code;

    IngestError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return "kr.max.library.ingest.messages";
    }
}
