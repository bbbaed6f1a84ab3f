package dev.dxreactor.examples.showcase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dxreactor.examples.showcase.api.DevTokens;
import dev.dxreactor.examples.showcase.api.HbtpApi;
import dev.dxreactor.examples.showcase.store.ShowcaseDatabase;
import dev.dxreactor.hbtp.HbtpCallFuture;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpStatus;
import io.netty.buffer.ByteBuf;
import io.r2dbc.spi.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.dxreactor.examples.showcase.ShowcaseFixtures.PATIENCE;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The showcase as an operator runs it: a separate process, stopped with SIGTERM while calls are in flight. A clean
 * stop answers every running call and exits 0; a stop whose grace runs out cuts the call off, says so, and exits 1.
 * Standard output carries only JSON log lines throughout.
 */
class ShowcaseProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET = "a-process-test-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);
    private static final Pattern ADDRESSES = Pattern.compile("serving HBTP on .*:(\\d+) and HTTP on .*:(\\d+)");
    private static final long HELD_ITEM = 45;

    private static ShowcaseDatabase db;

    @BeforeAll
    static void database() {
        db = ShowcaseDatabase.open(System.getenv("DX_PG_URL"));
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @Test
    void sigtermWithCallsInFlightAnswersThemAllThenExitsZero() throws Exception {
        try (Running showcase = Running.start("10s"); RowLock lock = RowLock.hold(HELD_ITEM);
             HbtpClient client = HbtpClient.connect(showcase.hbtp(), HbtpClientConfig.defaults())) {
            HbtpCallFuture held = client.call(HbtpApi.ROUTE_PRICE, ShowcaseFixtures.priceChange(HELD_ITEM, 4501, 5),
                    auth(), PATIENCE);
            List<Writer> writers = new ArrayList<>();
            for (long item = 100; item < 104; item++) {
                writers.add(Writer.start(client, item));
            }
            eventually("every writer had an answer", () -> writers.stream().allMatch(w -> w.lastAnswered > 0));

            showcase.sigterm();
            showcase.awaitLog("showcase: stopping");
            assertThatThrownBy(() -> client.call(HbtpApi.ROUTE_ITEM, ShowcaseFixtures.itemRequest(1), auth(), PATIENCE)
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).cause()
                    .isInstanceOfSatisfying(HbtpRpcException.class,
                            e -> assertThat(e.status()).isEqualTo(HbtpStatus.UNAVAILABLE));
            lock.release();

            ByteBuf answer = held.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            answer.release();
            assertThat(showcase.exitCode()).isEqualTo(ShowcaseServer.EXIT_CLEAN);
            for (Writer writer : writers) {
                writer.thread.join(PATIENCE.toMillis());
            }
            assertThat(price(HELD_ITEM)).as("the call running at SIGTERM was answered and kept").isEqualTo(4501);
            for (Writer writer : writers) {
                // An answered write is in the database; one cut off by the close may or may not be.
                assertThat(price(writer.item)).as("item %d", writer.item)
                        .isIn(writer.lastAnswered, writer.unanswered);
            }
            showcase.assertEveryStdoutLineIsJson();
            assertThat(showcase.logs("showcase: stopped cleanly")).hasSize(1);
        }
    }

    @Test
    void aCallStillRunningWhenTheGraceEndsIsCutOffLoggedAndTheExitCodeIsOne() throws Exception {
        try (Running showcase = Running.start("1s"); RowLock lock = RowLock.hold(HELD_ITEM);
             HbtpClient client = HbtpClient.connect(showcase.hbtp(), HbtpClientConfig.defaults())) {
            HbtpCallFuture held = client.call(HbtpApi.ROUTE_PRICE, ShowcaseFixtures.priceChange(HELD_ITEM, 4502, 5),
                    auth(), PATIENCE);
            eventually("the write waits for the row", () -> !held.isDone() && showcase.logs("").size() > 0);
            Thread.sleep(200); // let the call reach the database; what is checked is the outcome, not the time

            showcase.sigterm();
            assertThat(showcase.exitCode()).isEqualTo(ShowcaseServer.EXIT_CUT_OFF);
            List<JsonNode> cut = showcase.logs("cut off:");
            assertThat(cut).as("stdout: %s%nstderr: %s", showcase.stdout, showcase.stderr).hasSize(1);
            assertThat(cut.get(0).get("level").asText()).isEqualTo("WARN");
            assertThat(cut.get(0).get("message").asText()).contains("HBTP price=1");
            assertThat(held).failsWithin(PATIENCE);
            showcase.assertEveryStdoutLineIsJson();
        }
    }

    private static HbtpMetadata auth() {
        return HbtpMetadata.builder().put(HbtpMetadata.AUTH, "Bearer " + DevTokens.issue(SECRET, "process-test",
                java.time.Duration.ofHours(1))).build();
    }

    private static long price(long item) {
        return Mono.from(db.pool().create()).flatMap(c -> Mono.from(c.createStatement(
                                "SELECT price_cents FROM items WHERE id = $1").bind("$1", item).execute())
                        .flatMap(r -> Mono.from(r.map((row, meta) -> row.get(0, Long.class))))
                        .doFinally(s -> Mono.from(c.close()).subscribe()))
                .block(PATIENCE);
    }

    /** Changes one item's price again and again; remembers the last price answered and the one that was not. */
    private static final class Writer {
        final long item;
        final Thread thread;
        volatile long lastAnswered;
        volatile long unanswered = -1;

        private Writer(HbtpClient client, long item) {
            this.item = item;
            this.thread = Thread.ofVirtual().start(() -> run(client));
        }

        static Writer start(HbtpClient client, long item) {
            return new Writer(client, item);
        }

        private void run(HbtpClient client) {
            for (long price = 1000 + item * 1000; ; price++) {
                try {
                    ByteBuf answer = client.call(HbtpApi.ROUTE_PRICE, ShowcaseFixtures.priceChange(item, price, 1),
                            auth(), PATIENCE).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    answer.release();
                    lastAnswered = price;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    unanswered = price;
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** A transaction that holds one item's row, so a write to it waits in the database until released. */
    private static final class RowLock implements AutoCloseable {
        private final Connection connection;
        private boolean released;

        private RowLock(Connection connection) {
            this.connection = connection;
        }

        static RowLock hold(long item) {
            Connection c = Mono.from(db.pool().create()).block(PATIENCE);
            Mono.from(c.beginTransaction()).block(PATIENCE);
            Flux.from(c.createStatement("SELECT id FROM items WHERE id = " + item + " FOR UPDATE").execute())
                    .concatMap(r -> r.map((row, meta) -> 1)).blockLast(PATIENCE);
            return new RowLock(c);
        }

        void release() {
            if (!released) {
                released = true;
                Mono.from(connection.rollbackTransaction()).block(PATIENCE);
            }
        }

        @Override
        public void close() {
            try {
                release();
            } finally {
                Mono.from(connection.close()).onErrorComplete().block(PATIENCE);
            }
        }
    }

    /** The showcase in a JVM of its own, on the test's database, with its output collected line by line. */
    private static final class Running implements AutoCloseable {
        final Process process;
        final List<String> stdout = new CopyOnWriteArrayList<>();
        final List<String> stderr = new CopyOnWriteArrayList<>();
        private final Thread stdoutReader;
        private final Thread stderrReader;
        private int hbtpPort;

        private Running(Process process) {
            this.process = process;
            stdoutReader = collect(process.getInputStream(), stdout);
            stderrReader = collect(process.getErrorStream(), stderr);
        }

        static Running start(String grace) throws Exception {
            String java = ProcessHandle.current().info().command().orElse("java");
            // The test classes hold a logback-test.xml, which the showcase must not see.
            String classPath = Arrays.stream(System.getProperty("surefire.test.class.path",
                            System.getProperty("java.class.path")).split(File.pathSeparator))
                    .filter(entry -> !entry.endsWith("test-classes"))
                    .collect(Collectors.joining(File.pathSeparator));
            Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-Dshowcase.database=" + db.url(),
                    "-Dshowcase.jwt-secret=" + new String(SECRET, StandardCharsets.UTF_8),
                    "-Dshowcase.hbtp.port=0", "-Dshowcase.http.port=0", "-Dshowcase.workers=2",
                    "-Dshowcase.rate-limit.per-second=100000", "-Dshowcase.rate-limit.burst=100000",
                    "-Dshowcase.shutdown.grace=" + grace,
                    "-cp", classPath, ShowcaseServer.class.getName()).start();
            Running running = new Running(process);
            try {
                running.awaitLog("serving HBTP on");
                Matcher m = ADDRESSES.matcher(running.logs("serving HBTP on").get(0).get("message").asText());
                assertThat(m.find()).isTrue();
                running.hbtpPort = Integer.parseInt(m.group(1));
                return running;
            } catch (Throwable e) {
                running.close();
                throw e;
            }
        }

        /**
         * SIGTERM, through the process handle: {@code Process.destroy()} would also close this side's end of the
         * output pipes, and the last lines the showcase writes would be lost.
         */
        void sigterm() {
            assertThat(process.toHandle().destroy()).isTrue();
        }

        InetSocketAddress hbtp() {
            return new InetSocketAddress("127.0.0.1", hbtpPort);
        }

        /** Waits for the process to exit and for its last output to be read. */
        int exitCode() throws InterruptedException {
            assertThat(process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the process exits; stdout: %s%nstderr: %s", stdout, stderr).isTrue();
            stdoutReader.join(PATIENCE.toMillis());
            stderrReader.join(PATIENCE.toMillis());
            return process.exitValue();
        }

        void awaitLog(String text) throws InterruptedException {
            eventually("a log line with '" + text + "'; stdout so far: " + stdout + " stderr: " + stderr,
                    () -> !logs(text).isEmpty());
        }

        /** The JSON log lines whose message contains {@code text}. */
        List<JsonNode> logs(String text) {
            List<JsonNode> found = new ArrayList<>();
            for (String line : stdout) {
                try {
                    JsonNode node = JSON.readTree(line);
                    if (node.path("message").asText().contains(text)) {
                        found.add(node);
                    }
                } catch (IOException notJson) {
                    // assertEveryStdoutLineIsJson reports it
                }
            }
            return found;
        }

        void assertEveryStdoutLineIsJson() throws InterruptedException {
            exitCode();
            assertThat(stdout).isNotEmpty().allSatisfy(line -> {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                assertThat(node.has("@timestamp") && node.has("level") && node.has("message")).as(line).isTrue();
            });
        }

        private static Thread collect(InputStream stream, List<String> into) {
            return Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        into.add(line);
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
