package dev.dxreactor.examples.devserver;

import dev.dxreactor.examples.web.PageBrowser;
import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The live-reload page in a real browser (headless Chromium, driven by playwright-core): served by a dev server on
 * a temporary directory, it previews {@code index.html} (which loads {@code css/site.css}) and hears every change
 * over HBTP/WebSocket; a change to the page or its style is listed and reloads the preview, which then shows the
 * new content; a change to a file the preview does not show is listed without a reload; a file named like markup
 * is listed as text. Skipped, saying why, where Chromium, Node.js or the page's build are missing.
 */
class DevReloadPageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Path SCREENSHOT = Path.of("target/dev-reload-page.png");

    @TempDir
    Path dir;

    private DevServer server;

    @BeforeEach
    void start() throws Exception {
        PageBrowser.assumeAvailable();
        assumeTrue(new DevHttp(null, null, name -> CompletableFuture.failedFuture(new AssertionError(name))).isBuilt(),
                "the live-reload page was not compiled (no npm at build time): skipped");
        Files.writeString(dir.resolve("index.html"),
                "<!doctype html><link rel=\"stylesheet\" href=\"css/site.css\"><h1>hello</h1>");
        Files.createDirectories(dir.resolve("css"));
        Files.writeString(dir.resolve("css/site.css"), "h1 { color: rgb(255, 0, 0) }");
        Files.writeString(dir.resolve("notes.txt"), "not on the page");
        server = DevServer.start(dir, "127.0.0.1", 0, 0,
                DxReactor.builder().workers(WorkerStrategy.fixed(1)).build(), null);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aChangeToAFileThePreviewShowsIsListedAndReloadsItAndOtherChangesAreOnlyListed() throws Exception {
        String url = "http://127.0.0.1:" + server.httpAddress().getPort() + "/dev/#index.html";
        try (PageBrowser browser = PageBrowser.open("reload-check.mjs", url, SCREENSHOT, PATIENCE)) {
            assertThat(browser.read()).as("the page went live with its preview").isEqualTo("READY hello|rgb(255, 0, 0)");

            Files.writeString(dir.resolve("css/site.css"), "h1 { color: rgb(0, 0, 255) }");
            assertThat(browser.ask("HEARD css/site.css")).as("the style the preview loaded").isEqualTo("HEARD true 0");
            assertThat(browser.ask("COLOR rgb(0, 0, 255)")).as("the preview's new style").isEqualTo("COLOR ok");

            Files.writeString(dir.resolve("index.html"),
                    "<!doctype html><link rel=\"stylesheet\" href=\"css/site.css\"><h1>hello again</h1>");
            assertThat(browser.ask("HEARD index.html")).as("the previewed page").isEqualTo("HEARD true 0");
            assertThat(browser.ask("TEXT hello again")).as("the preview's new content").isEqualTo("TEXT ok");

            Files.writeString(dir.resolve("notes.txt"), "still not on the page");
            assertThat(browser.ask("HEARD notes.txt")).as("a file the preview does not show").isEqualTo("HEARD false 0");

            String markup = "<img src=x onerror=alert(1)>.txt";
            Files.writeString(dir.resolve(markup), "a hostile name");
            assertThat(browser.ask("HEARD " + markup)).as("a name that looks like markup").isEqualTo("HEARD false 0");
        }
        assertThat(SCREENSHOT).exists();
    }
}
