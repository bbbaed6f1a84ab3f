package dev.dxreactor.examples.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A page's check script ({@code src/test/web/*.mjs}) in headless Chromium (Debian's {@code chromium}, or
 * {@code DX_CHROMIUM}), driven by playwright-core from the pages' build: the script is told the page's URL, the
 * browser, where to leave a screenshot and where playwright-core is, then talks one line at a time.
 */
public final class PageBrowser implements AutoCloseable {

    private static final Path WEB = Path.of("src/main/web");
    private static final Path SCRIPTS = Path.of("src/test/web");

    private final Process node;
    private final BufferedReader out;
    private final Writer in;
    private final Duration patience;

    private PageBrowser(Process node, Duration patience) {
        this.node = node;
        this.out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        this.patience = patience;
    }

    /** Skips the calling test, saying why, where Chromium or playwright-core is missing. */
    public static void assumeAvailable() {
        assumeTrue(chromium() != null, "no Chromium at /usr/bin/chromium (or DX_CHROMIUM): the browser test is skipped");
        assumeTrue(Files.isDirectory(WEB.resolve("node_modules/playwright-core")),
                "playwright-core is not installed in src/main/web (the build installs it where npm is): skipped");
    }

    /**
     * Starts {@code script} on {@code url}; the process is ended by {@link #close} after {@code patience}.
     */
    public static PageBrowser open(String script, String url, Path screenshot, Duration patience) throws IOException {
        Process node = new ProcessBuilder("node", SCRIPTS.resolve(script).toString(), url, chromium(),
                screenshot.toString(), WEB.resolve("node_modules").toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new PageBrowser(node, patience);
    }

    /** The script's next line, or {@code null} when it ended. */
    public String read() throws IOException {
        return out.readLine();
    }

    /** Sends {@code line} and reads the script's answer. */
    public String ask(String line) throws IOException {
        send(line);
        return read();
    }

    /** Sends {@code line}, expecting no answer. */
    public void send(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
    }

    /** Tells the script to quit and waits for it, ending it if it does not. */
    @Override
    public void close() throws IOException {
        try {
            send("QUIT");
        } catch (IOException alreadyGone) {
            // it ended on its own: waited for below all the same
        }
        try {
            if (!node.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                node.destroyForcibly();
            }
        } catch (InterruptedException e) {
            node.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            in.close();
            out.close();
        }
    }

    private static String chromium() {
        String configured = System.getenv("DX_CHROMIUM");
        String path = configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium";
        return Files.isExecutable(Path.of(path)) ? path : null;
    }
}
