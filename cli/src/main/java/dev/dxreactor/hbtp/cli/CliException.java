package dev.dxreactor.hbtp.cli;

import java.io.Serial;

/** Ends a command with an exit code and one line for stderr. */
final class CliException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    static CliException failed(String message) {
        return new CliException(ExitCode.FAILED, message);
    }

    static CliException connection(String message, Throwable cause) {
        return new CliException(ExitCode.CONNECTION, message, cause);
    }

    int exitCode() {
        return exitCode;
    }
}
