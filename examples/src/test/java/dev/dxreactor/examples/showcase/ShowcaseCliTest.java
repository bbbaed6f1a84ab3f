package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.api.HbtpApi;
import dev.dxreactor.examples.showcase.store.Catalog;
import dev.dxreactor.hbtp.cli.HbtpCli;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.examples.showcase.ShowcaseFixtures.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code hbtp} command-line client against a running showcase, as the walk-through uses it: ping, a call
 * whose teleport answer is printed as JSON, a call refused without a token, a topic followed while a price
 * changes, and a bench whose every answer arrives.
 */
class ShowcaseCliTest {

    private static Showcase showcase;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        // A rate limit the bench stays under: this test is about the client, not the limit.
        showcase = Showcase.start(ShowcaseFixtures.config(null, 2, 1_000_000, 1_000_000));
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(showcase.stop(PATIENCE)).isTrue();
    }

    /** What one {@code hbtp} command line printed and returned. */
    private record Run(int exit, String out, String err) {
    }

    private static Run hbtp(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] withServer = new String[args.length + 4];
        System.arraycopy(args, 0, withServer, 0, args.length);
        withServer[args.length] = "--host";
        withServer[args.length + 1] = "127.0.0.1";
        withServer[args.length + 2] = "--port";
        withServer[args.length + 3] = String.valueOf(showcase.hbtpAddress().getPort());
        int exit = HbtpCli.execute(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), withServer);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(ByteBuf message) {
        try {
            return ByteBufUtil.getBytes(message);
        } finally {
            message.release();
        }
    }

    private static String auth() {
        return "auth=Bearer " + showcase.token();
    }

    @Test
    void pingReachesTheShowcase() {
        Run ping = hbtp(new byte[0], "ping", "--count", "2");

        assertThat(ping.exit()).as(ping.err()).isZero();
        assertThat(ping.out()).isNotBlank();
    }

    @Test
    void anItemComesBackAsJsonThroughItsTeleportView() {
        Run call = hbtp(bytes(ShowcaseFixtures.itemRequest(42)), "call", String.valueOf(HbtpApi.ROUTE_ITEM), "-",
                "-m", auth(), "--type", "dev.dxreactor.examples.showcase.messages.Item");

        assertThat(call.exit()).as(call.err()).isZero();
        assertThat(call.out()).contains("\"id\":42").contains("\"category\":\"garden\"");
    }

    @Test
    void aCallWithoutATokenFailsWithExitCodeOne() {
        Run call = hbtp(bytes(ShowcaseFixtures.itemRequest(42)), "call", String.valueOf(HbtpApi.ROUTE_ITEM), "-");

        assertThat(call.exit()).isEqualTo(1);
        assertThat(call.err()).isNotBlank();
    }

    @Test
    void aFollowedTopicShowsAPriceChangedThroughTheCli() throws Exception {
        int topic = Catalog.topicOf("garden");
        CompletableFuture<Run> follow = CompletableFuture.supplyAsync(
                () -> hbtp(new byte[0], "subscribe", String.valueOf(topic), "--count", "2", "--duration", "20s",
                        "--versions", "-o", "hex"));
        // The subscription's first line (the state) may come after the change: then the change is in the state,
        // and a second change gives the delta. Changes are made until the follower has its two lines.
        byte[] change = bytes(ShowcaseFixtures.priceChange(42, 4242, 9));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!follow.isDone() && System.nanoTime() < deadline) {
            Run write = hbtp(change, "call", String.valueOf(HbtpApi.ROUTE_PRICE), "-", "-m", auth(), "-o", "hex");
            assertThat(write.exit()).as(write.err()).isZero();
            TimeUnit.MILLISECONDS.sleep(200);
        }
        Run followed = follow.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(followed.exit()).as(followed.err()).isZero();
        assertThat(followed.out().lines().toList()).hasSize(2);
        assertThat(followed.out().lines().toList().get(0)).startsWith("sync ");
        assertThat(followed.out().lines().toList().get(1)).startsWith("delta ");
    }

    @Test
    void aBenchOnTheItemRouteGetsEveryAnswer() throws Exception {
        Path request = dir.resolve("item-7.bin");
        Files.write(request, bytes(ShowcaseFixtures.itemRequest(7)));

        Run bench = hbtp(new byte[0], "bench", String.valueOf(HbtpApi.ROUTE_ITEM), "-f", request.toString(),
                "--expect", "any", "-c", "2", "-i", "4", "-n", "500", "-w", "200ms", "-m", auth(), "--json", "-q");

        assertThat(bench.exit()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("\"errors\":0");
    }
}
