package dev.dxreactor.hbtp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a request's bytes come from: the argument as UTF-8 text, a file, or stdin ({@code -}). */
final class Payloads {

    /** The argument that means "read stdin". */
    static final String STDIN = "-";

    private Payloads() {
    }

    /**
     * The payload, or {@code null} when neither {@code argument} nor {@code file} is given.
     *
     * @throws CliException {@link ExitCode#USAGE} when both are given or the file cannot be read
     */
    static byte[] read(String argument, Path file, Terminal terminal) {
        if (argument != null && file != null) {
            throw CliException.usage("give the payload as an argument or with --file, not both");
        }
        try {
            if (file != null) {
                return STDIN.equals(file.toString()) ? terminal.in().readAllBytes() : Files.readAllBytes(file);
            }
            if (argument == null) {
                return null;
            }
            return STDIN.equals(argument) ? terminal.in().readAllBytes() : argument.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage("cannot read the payload " + (file != null ? "file " + file : "from stdin")
                    + ": " + e.getMessage());
        }
    }
}
