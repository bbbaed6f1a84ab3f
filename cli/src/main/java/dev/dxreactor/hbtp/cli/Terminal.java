package dev.dxreactor.hbtp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The streams a command reads and writes: stdin for payloads, stdout for answers (raw bytes or text),
 * stderr for progress and errors. Thread-safe: lines written from event loops never interleave.
 */
final class Terminal {

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    /** @param interactive whether stderr is a terminal, where a progress line is rewritten in place */
    Terminal(InputStream in, PrintStream out, PrintStream err, boolean interactive) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    boolean interactive() {
        return interactive;
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    OutputStream err() {
        return err;
    }

    /** Writes bytes to stdout as they are. */
    synchronized void write(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        out.flush();
        checkOut();
    }

    /** Writes {@code text} and a newline to stdout, as UTF-8. */
    synchronized void println(String text) {
        write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code text} and a newline to stderr, as UTF-8. */
    synchronized void error(String text) {
        errorNoNewline(text + "\n");
    }

    /** Writes {@code text} to stderr without a newline (a progress line rewritten with a carriage return). */
    synchronized void errorNoNewline(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        err.write(bytes, 0, bytes.length);
        err.flush();
    }

    private void checkOut() {
        if (out.checkError()) {
            // A closed pipe (hbtp ... | head): nothing more can be shown.
            throw new UncheckedIOException(new IOException("stdout is closed"));
        }
    }
}
