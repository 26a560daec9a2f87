package kr.max.cli;

import kr.max.core.ErrorCode;

/**
 * Errors of the {@code max} command itself when it talks to a server: the server cannot be reached, an
 * option has no HTTP route yet, an answer broke off or was not the server's. The texts are in
 * {@code kr/max/cli/messages*.properties} under the code.
 */
enum CliError implements ErrorCode {
    /** No connection to the server. Args: {@code {0}} the server's URL. */
    CANNOT_REACH("MAX-CLI-001"),
    /** An option or command the HTTP API does not offer yet. Args: {@code {0}} the option or command. */
    NOT_OVER_HTTP("MAX-CLI-002"),
    /** The connection broke while an answer was being received. Args: {@code {0}} the server's URL. */
    CUT_OFF("MAX-CLI-003"),
    /** An answer that is not the M.AX API's (a proxy's page, another service). Args: {@code {0}} URL, {@code {1}} HTTP status. */
    NOT_A_MAX_ANSWER("MAX-CLI-004"),
    /** {@code --server} or {@code MAX_SERVER} is not an http(s) URL. Args: {@code {0}} what was given. */
    BAD_SERVER_URL("MAX-CLI-005"),
    /** The exported file cannot be written here. Args: {@code {0}} the file. */
    CANNOT_WRITE("MAX-CLI-006"),
    /** {0} the control file {@code max twin start} would have left. */
    NO_TWIN("MAX-CLI-007"),
    /** {0} the asset datasets there are (or -). */
    WHICH_ASSETS("MAX-CLI-008"),
    /** {0} the duration as written. */
    BAD_DURATION("MAX-CLI-009"),
    /** {0} the command that needs a server. */
    NEEDS_SERVER("MAX-CLI-010"),
    /** {0} the status file {@code max edge} would have left. */
    NO_EDGE("MAX-CLI-011");

    private final String code;

    CliError(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String bundle() {
        return MaxCli.BUNDLE;
    }
}
