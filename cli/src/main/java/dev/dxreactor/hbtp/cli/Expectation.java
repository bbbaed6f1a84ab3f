package dev.dxreactor.hbtp.cli;

import java.util.Locale;

/** What {@code hbtp bench} requires of each answer; written in lower case on the command line. */
enum Expectation {
    /** The answer is the request, byte for byte. */
    ECHO,
    /** Any answer that is not an RPC error. */
    ANY;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
