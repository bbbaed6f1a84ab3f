package dev.dxreactor.hbtp.typescript;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the TypeScript client's own tests against a real HBTP-over-WebSocket server: {@code npm test} (Node's test
 * runner) and {@code npm run test:browser} (headless Chromium loads a page from this server that connects, calls,
 * subscribes and checks every answer). Without {@code node} and {@code npm}, or without Chromium for the
 * browser test, the test is skipped, saying why.
 */
class TypeScriptClientTest {

    private static final Path PACKAGE = Path.of("").toAbsolutePath();
    private static final long NPM_MINUTES = 5;
    private static boolean installed;

    @Test
    void nodeTestsPassAgainstARealServer() throws Exception {
        assumeNodeAndNpm();
        runAgainstServer("npm", "test");
    }

    @Test
    void browserTestPassesInHeadlessChromium() throws Exception {
        assumeNodeAndNpm();
        String chromium = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
        assume(Files.isExecutable(Path.of(chromium)), "Chromium not found at " + chromium
                + " (install Debian's chromium package or set CHROMIUM_PATH): browser test skipped");
        runAgainstServer("npm", "run", "test:browser");
    }

    private static void assumeNodeAndNpm() {
        assume(onPath("node") && onPath("npm"), "node and npm are not on the PATH: the TypeScript client's tests are skipped");
    }

    /** A skip says why on the console too, where surefire itself only counts it. */
    private static void assume(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED: " + reason);
        }
        assumeTrue(condition, reason);
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private void runAgainstServer(String... command) throws Exception {
        installOnce();
        try (TestServer server = new TestServer(PACKAGE)) {
            String base = "127.0.0.1:" + server.port();
            run(List.of(command), Map.of("HBTP_WS_URL", "ws://" + base + "/hbtp", "HBTP_HTTP_URL", "http://" + base,
                    "HBTP_WS_SEALED_URL", "ws://127.0.0.1:" + server.sealedPort() + "/hbtp"));
        }
    }

    /** {@code npm ci}: the dev dependencies exactly as package-lock.json has them, once per test run. */
    private static synchronized void installOnce() throws Exception {
        if (!installed) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
            installed = true;
        }
    }

    private static void run(List<String> command, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("npm", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(PACKAGE.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean finished = process.waitFor(NPM_MINUTES, TimeUnit.MINUTES);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(output);
            assertThat(finished).as(String.join(" ", command) + " finished within " + NPM_MINUTES + " min").isTrue();
            assertThat(process.exitValue()).as(String.join(" ", command) + " exit code; output:\n" + output).isZero();
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temp file left behind is not worth failing for
            }
        }
    }
}
