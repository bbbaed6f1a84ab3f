package dev.dxreactor.hbtp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** One in-process run of {@code hbtp}: its exit code and what it wrote to stdout and stderr. */
record CliRun(int exitCode, byte[] stdoutBytes, String stderr) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static CliRun of(String... args) {
        return withStdin(new byte[0], args);
    }

    static CliRun withStdin(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = HbtpCli.execute(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new CliRun(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    JsonNode json() {
        try {
            return JSON.readTree(stdoutBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("stdout is not JSON: " + stdout(), e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + ", stdout:\n" + stdout() + "\nstderr:\n" + stderr;
    }
}
