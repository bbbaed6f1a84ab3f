package dev.dxreactor.teleport.example;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the TypeScript side of the golden messages ({@code src/test/typescript}): compiles the TypeScript the
 * processor generated for the example records with {@code tsc} and runs {@code test/golden.test.ts} with
 * {@code node --test} (see {@link CrossLanguageGoldenTest} for the files). The project is assembled in
 * {@code target/typescript-golden}: its {@code package.json} and lock, the test, the generated tree and the
 * golden files; {@code npm ci} installs the pinned TypeScript compiler there.
 *
 * <p>Skipped, with the reason, when {@code node} or {@code npm} is not on the {@code PATH}.
 */
class TypeScriptViewsTest {

    private static final Path SOURCES = Path.of("src/test/typescript");
    private static final Path GENERATED = Path.of("target/test-classes/META-INF/teleport/typescript");
    private static final Path WORK = Path.of("target/typescript-golden");

    @Test
    void generatedTypeScriptReadsAndWritesTheGoldenMessages() throws IOException, InterruptedException {
        assumeTrue(available("node"), "node is not on the PATH: the TypeScript views are not tested");
        assumeTrue(available("npm"), "npm is not on the PATH: the TypeScript views are not tested");
        assertThat(GENERATED.resolve("teleport.ts")).as("the processor's TypeScript runtime").isRegularFile();

        deleteRecursively(WORK);
        copyTree(SOURCES, WORK);
        copyTree(GENERATED, WORK.resolve("generated"));
        copyTree(CrossLanguageGoldenTest.DIRECTORY, WORK.resolve("golden"));

        run(10, "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts");
        run(3, "node", "node_modules/typescript/bin/tsc", "-p", "tsconfig.json");
        run(3, "node", "--test", "build/test/");
    }

    private static boolean available(String command) {
        try {
            Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(1, TimeUnit.MINUTES) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs {@code command} in the work directory; fails with its output unless it exits 0 in time. */
    private static void run(int minutes, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(WORK, "command", ".log");
        Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean exited = process.waitFor(minutes, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited).as("%s finished within %d minutes; output:%n%s", String.join(" ", command), minutes, output)
                .isTrue();
        assertThat(process.exitValue()).as("exit code of %s; output:%n%s", String.join(" ", command), output)
                .isZero();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(file);
            }
        }
    }
}
