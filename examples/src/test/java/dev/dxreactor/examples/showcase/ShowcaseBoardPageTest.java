package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.api.HbtpApi;
import dev.dxreactor.examples.showcase.web.BoardPage;
import dev.dxreactor.hbtp.cli.HbtpCli;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.examples.showcase.ShowcaseFixtures.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The live board in a real browser (headless Chromium, driven by playwright-core): the page served by the showcase
 * connects over HBTP/WebSocket, shows every category from its topic, shows within a second a price changed with the
 * {@code hbtp} CLI, and changes a price through its own form with the development token. Skipped, saying why, where
 * Chromium, Node.js or the page's build are missing.
 */
class ShowcaseBoardPageTest {

    private static final Path WEB = Path.of("src/main/web");
    private static final Path CHECK = Path.of("src/test/web/board-check.mjs");
    private static final Path SCREENSHOT = Path.of("target/board-page.png");

    private static Showcase showcase;

    @BeforeAll
    static void start() throws Exception {
        String chromium = chromium();
        assumeTrue(chromium != null, "no Chromium at /usr/bin/chromium (or DX_CHROMIUM): the browser test is skipped");
        assumeTrue(Files.isDirectory(WEB.resolve("node_modules/playwright-core")),
                "playwright-core is not installed in src/main/web (the build installs it where npm is): skipped");
        assumeTrue(new BoardPage().isBuilt(), "the board page was not compiled (no npm at build time): skipped");
        showcase = Showcase.start(ShowcaseFixtures.config(null, 2, 1_000_000, 1_000_000));
    }

    @AfterAll
    static void stop() throws Exception {
        if (showcase != null) {
            assertThat(showcase.stop(PATIENCE)).isTrue();
        }
    }

    @Test
    void aPriceChangedWithTheCliAppearsOnThePageWithinASecondAndThePagesFormWrites() throws Exception {
        String url = "http://127.0.0.1:" + showcase.httpAddress().getPort() + "/board/#token=" + showcase.token();
        Process browser = new ProcessBuilder("node", CHECK.toString(), url, chromium(), SCREENSHOT.toString(),
                WEB.resolve("node_modules").toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(browser.getOutputStream(), StandardCharsets.UTF_8)) {
            String ready = out.readLine();
            assertThat(ready).as("the board went live").startsWith("READY ");

            long cents = 100_00 + (System.nanoTime() & 0xFFFF);
            String shown = (cents / 100) + "." + String.format("%02d", cents % 100);
            assertThat(cli(ShowcaseFixtures.priceChange(42, cents, 5))).as("the CLI's exit code").isZero();
            in.write("EXPECT " + shown + "\n");
            in.flush();
            String seen = out.readLine();
            assertThat(seen).as("item 42 shows %s within a second of the CLI's answer", shown).startsWith("SEEN ");

            in.write("FORM 43 77.77\n");
            in.flush();
            assertThat(out.readLine()).isEqualTo("FORM item_43_changed 77.77");
            in.write("QUIT\n");
            in.flush();
        } finally {
            if (!browser.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                browser.destroyForcibly();
            }
        }
        assertThat(SCREENSHOT).exists();
    }

    /** {@code hbtp call 3 - -m "auth=Bearer $TOKEN"} with the message on stdin, as a user types it. */
    private static int cli(ByteBuf change) {
        byte[] message = new byte[change.readableBytes()];
        change.readBytes(message);
        change.release();
        return HbtpCli.execute(new ByteArrayInputStream(message), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), "call", String.valueOf(HbtpApi.ROUTE_PRICE), "-",
                "-m", "auth=Bearer " + showcase.token(), "--host", "127.0.0.1", "--port",
                String.valueOf(showcase.hbtpAddress().getPort()));
    }

    private static String chromium() {
        String configured = System.getenv("DX_CHROMIUM");
        String path = configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium";
        return Files.isExecutable(Path.of(path)) ? path : null;
    }
}
