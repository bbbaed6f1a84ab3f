package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.api.HbtpApi;
import dev.dxreactor.examples.showcase.web.BoardPage;
import dev.dxreactor.examples.web.PageBrowser;
import dev.dxreactor.hbtp.cli.HbtpCli;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

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

    private static final Path SCREENSHOT = Path.of("target/board-page.png");

    private static Showcase showcase;

    @BeforeAll
    static void start() throws Exception {
        PageBrowser.assumeAvailable();
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
        try (PageBrowser browser = PageBrowser.open("board-check.mjs", url, SCREENSHOT, PATIENCE)) {
            String ready = browser.read();
            assertThat(ready).as("the board went live").startsWith("READY ");

            long cents = 100_00 + (System.nanoTime() & 0xFFFF);
            String shown = (cents / 100) + "." + String.format("%02d", cents % 100);
            assertThat(cli(ShowcaseFixtures.priceChange(42, cents, 5))).as("the CLI's exit code").isZero();
            String seen = browser.ask("EXPECT " + shown);
            assertThat(seen).as("item 42 shows %s within a second of the CLI's answer", shown).startsWith("SEEN ");

            assertThat(browser.ask("FORM 43 77.77")).isEqualTo("FORM item_43_changed 77.77");
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
}
