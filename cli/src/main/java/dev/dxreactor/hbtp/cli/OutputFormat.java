package dev.dxreactor.hbtp.cli;

import java.util.Locale;

/** How a payload is shown on stdout; written in lower case on the command line. */
enum OutputFormat {
    /** The bytes as they arrived. */
    RAW,
    /** Lowercase hex, two digits a byte, no separators. */
    HEX,
    /** A {@code @Teleportable} message as a JSON object (needs {@code --type}). */
    JSON;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
