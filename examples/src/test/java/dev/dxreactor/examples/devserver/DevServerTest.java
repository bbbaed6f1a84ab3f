package dev.dxreactor.examples.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpStatus;
import dev.dxreactor.hbtp.HbtpTopicListener;
import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dev server over a temporary directory: reads over HBTP and HTTP, batches, refusals, hot-reload notices and
 * its figures.
 */
class DevServerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private DevServer server;
    private HbtpClient client;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<h1>hello</h1>");
        Files.createDirectories(dir.resolve("css"));
        Files.writeString(dir.resolve("css/site.css"), "h1 { color: red }");
        server = DevServer.start(dir, "127.0.0.1", 0, 0, DxReactor.builder().workers(WorkerStrategy.fixed(1)).build(), registry);
        client = HbtpClient.connect(server.hbtpAddress(), HbtpClientConfig.defaults());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aFileIsServedByPathThenFromTheCacheUntilItChanges() throws Exception {
        assertThat(file("css/site.css")).isEqualTo("h1 { color: red }");
        assertThat(file("css/site.css")).isEqualTo("h1 { color: red }");
        assertThat(stats().get("cache_hit_rate").asDouble()).isEqualTo(0.5);

        List<String> notices = new CopyOnWriteArrayList<>();
        client.subscribe(DevServer.TOPIC_RELOAD, new HbtpTopicListener() {
            @Override
            public void onSync(int topic, long version, ByteBuf state) {
                notices.add(state.toString(StandardCharsets.UTF_8));
            }

            @Override
            public void onDelta(int topic, long baseVersion, long version, ByteBuf delta) {
                notices.add(delta.toString(StandardCharsets.UTF_8));
            }
        });
        eventually("the subscription's state", () -> !notices.isEmpty());
        Files.writeString(dir.resolve("css/site.css"), "h1 { color: blue }");
        eventually("a hot-reload notice for css/site.css", () -> notices.stream().anyMatch(n ->
                n.equals("{\"kind\":\"MODIFIED\",\"path\":\"css/site.css\"}")));
        assertThat(file("css/site.css")).as("the cache forgot the old content").isEqualTo("h1 { color: blue }");
        assertThat(stats().get("reloads_total").asLong()).isPositive();
    }

    @Test
    void aBatchAnswersEveryPathOnItsOwnAndAMissingFileFailsOnlyItsEntry() throws Exception {
        ByteBuf answer = call(DevServer.ROUTE_BATCH, "index.html\nnope.txt\ncss/site.css\n../outside");
        Map<String, String> entries = new LinkedHashMap<>();
        Map<String, Boolean> ok = new LinkedHashMap<>();
        try {
            while (answer.isReadable()) {
                boolean success = answer.readByte() == 1;
                String name = answer.readCharSequence(answer.readUnsignedShortLE(), StandardCharsets.UTF_8).toString();
                String content = answer.readCharSequence(answer.readIntLE(), StandardCharsets.UTF_8).toString();
                entries.put(name, content);
                ok.put(name, success);
            }
        } finally {
            answer.release();
        }
        assertThat(ok).containsEntry("index.html", true).containsEntry("css/site.css", true)
                .containsEntry("nope.txt", false).containsEntry("../outside", false);
        assertThat(entries.get("index.html")).isEqualTo("<h1>hello</h1>");
        assertThat(entries.get("nope.txt")).startsWith("ENOENT");
        assertThat(entries.get("../outside")).contains("outside the served directory");
        JsonNode stats = stats();
        assertThat(stats.get("errors_total").asLong()).isEqualTo(2);
        assertThat(stats.get("operations_total").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(stats.get("files_watched").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void pathsOutsideTheDirectoryAndMissingFilesAreRefusedWithTheReason() throws Exception {
        Path outside = Files.writeString(dir.getParent().resolve("secret-" + System.nanoTime()), "secret");
        try {
            Files.createSymbolicLink(dir.resolve("link"), outside);
            for (String bad : List.of("../" + outside.getFileName(), outside.toString(), "link", "css/../../x")) {
                assertThatThrownBy(() -> file(bad)).as(bad).cause()
                        .isInstanceOfSatisfying(HbtpRpcException.class,
                                e -> assertThat(e.status()).isEqualTo(HbtpStatus.BAD_REQUEST));
            }
            assertThatThrownBy(() -> file("missing.js")).cause().hasMessageContaining("ENOENT: missing.js");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void theFiguresAreJsonOverHttpAndMetersInTheRegistry() throws Exception {
        file("index.html");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.httpAddress().getPort() + "/stats")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode stats = JSON.readTree(answer.body());
            assertThat(stats.get("operations_total").asLong()).isEqualTo(1);
            assertThat(stats.has("files_watched") && stats.has("cache_hit_rate") && stats.has("errors_total")).isTrue();
        }
        assertThat(registry.get("devserver.operations").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("devserver.files.watched").gauge().value()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theFilesAreServedOverHttpWithTheirTypeAndWhatIsOutsideIsRefused() throws Exception {
        assertThat(get("/files/css/site.css")).startsWith("200 text/css").endsWith("h1 { color: red }");
        assertThat(get("/files/")).as("a folder's index.html").startsWith("200 text/html").endsWith("<h1>hello</h1>");
        Files.writeString(dir.resolve("css/site.css"), "h1 { color: blue }");
        eventually("the change read fresh over HTTP", () -> get("/files/css/site.css").endsWith("blue }"));
        assertThat(get("/files/missing.js")).isEqualTo("404 ENOENT: missing.js");
        assertThat(get("/files/css")).as("a folder named without its slash").startsWith("404 ");
        Path outside = Files.writeString(dir.getParent().resolve("secret-" + System.nanoTime()), "secret");
        try {
            Files.createSymbolicLink(dir.resolve("link"), outside);
            for (String bad : List.of("/files/../" + outside.getFileName(), "/files/%2e%2e/" + outside.getFileName(),
                    "/files/css/..%2f..%2f" + outside.getFileName(), "/files/" + outside, "/files/link",
                    "/files/a%00b")) {
                assertThat(get(bad)).as(bad).startsWith("403 ");
            }
        } finally {
            Files.deleteIfExists(outside);
        }
        assertThat(stats().get("errors_total").asLong()).as("every refusal and failed read counted").isEqualTo(8);
    }

    /** {@code GET uri} on a plain socket, so the URI goes out exactly as written: "status type-or-empty body". */
    private String get(String uri) {
        try (Socket socket = new Socket("127.0.0.1", server.httpAddress().getPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            socket.getOutputStream().write(("GET " + uri + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = answer.indexOf("\r\n\r\n");
            String status = answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3);
            String type = answer.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring("content-type:".length()).strip()).findFirst().orElse("");
            String body = answer.substring(headersEnd + 4);
            return status + " " + (status.equals("200") ? type + " " : "") + body.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String file(String path) throws Exception {
        ByteBuf body = call(DevServer.ROUTE_FILE, path);
        try {
            return body.toString(StandardCharsets.UTF_8);
        } finally {
            body.release();
        }
    }

    private JsonNode stats() throws Exception {
        ByteBuf body = call(DevServer.ROUTE_STATS, "");
        try {
            return JSON.readTree(body.toString(StandardCharsets.UTF_8));
        } finally {
            body.release();
        }
    }

    private ByteBuf call(int route, String request) throws Exception {
        return client.call(route, Unpooled.copiedBuffer(request, StandardCharsets.UTF_8))
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - giveUp > 0) {
                throw new AssertionError("still not true after " + PATIENCE.toSeconds() + " s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
