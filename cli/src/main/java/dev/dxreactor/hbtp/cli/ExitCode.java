package dev.dxreactor.hbtp.cli;

/** The exit codes of {@code hbtp}, as its README lists them. */
final class ExitCode {

    /** Everything worked. */
    static final int OK = 0;
    /** A call failed: an RPC error, a timeout, a wrong answer in a bench, a bad message for the type. */
    static final int FAILED = 1;
    /** The command line is wrong (picocli's usage errors included). */
    static final int USAGE = 2;
    /** No connection, or no handshake, or the connection was lost. */
    static final int CONNECTION = 3;

    private ExitCode() {
    }
}
