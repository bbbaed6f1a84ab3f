package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.api.HbtpApi;
import dev.dxreactor.examples.showcase.messages.Item;
import dev.dxreactor.examples.showcase.messages.ItemList;
import dev.dxreactor.examples.showcase.messages.ItemView;
import dev.dxreactor.examples.showcase.messages.PriceChangedView;
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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static dev.dxreactor.examples.showcase.ShowcaseFixtures.PATIENCE;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.auth;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.eventually;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.get;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.number;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One showcase instance end to end, on a real PostgreSQL: HBTP calls with and without a token, the HTTP JSON API
 * as curl uses it, the rate limit, the Java client's walk, and a graceful stop that lets a running call finish.
 * Instances that need other settings share the first one's database.
 */
class ShowcaseEndToEndTest {

    private static Showcase showcase;
    private static HbtpClient client;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        showcase = Showcase.start(ShowcaseFixtures.config(null));
        client = HbtpClient.connect(showcase.hbtpAddress(), HbtpClientConfig.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        HTTP.close();
        assertThat(showcase.stop(PATIENCE)).isTrue();
    }

    @Test
    void hbtpCallsByIdAndByCategoryWithAToken() throws Exception {
        Item item = call(HbtpApi.ROUTE_ITEM, ShowcaseFixtures.itemRequest(42), body -> ItemView.wrap(body).toRecord());
        assertThat(item.id()).isEqualTo(42);
        assertThat(item.category()).isEqualTo("garden");
        assertThat(item.name()).endsWith("#42");

        List<Item> garden = call(HbtpApi.ROUTE_CATEGORY, ShowcaseFixtures.categoryRequest("garden"), ItemList::toList);
        assertThat(garden).hasSize(250).allSatisfy(i -> assertThat(i.category()).isEqualTo("garden"));
        assertThat(garden).extracting(Item::id).isSorted().contains(42L);

        assertThatThrownBy(() -> call(HbtpApi.ROUTE_ITEM, ShowcaseFixtures.itemRequest(999_999), body -> 0)).cause()
                .isInstanceOfSatisfying(HbtpRpcException.class, e -> assertThat(e.getMessage()).isEqualTo("no item 999999"));
        assertThatThrownBy(() -> call(HbtpApi.ROUTE_CATEGORY, ShowcaseFixtures.categoryRequest("cars"), body -> 0))
                .cause().hasMessageContaining("no category 'cars'");
        assertThatThrownBy(() -> call(HbtpApi.ROUTE_ITEM, io.netty.buffer.Unpooled.wrappedBuffer(new byte[3]), body -> 0))
                .cause().isInstanceOfSatisfying(HbtpRpcException.class,
                        e -> assertThat(e.status()).isEqualTo(HbtpStatus.BAD_REQUEST));
    }

    @Test
    void anHbtpCallWithoutATokenIsRejected() {
        HbtpCallFuture anonymous = client.call(HbtpApi.ROUTE_ITEM, ShowcaseFixtures.itemRequest(1));
        assertThatThrownBy(() -> anonymous.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).cause()
                .isInstanceOfSatisfying(HbtpRpcException.class, e -> {
                    assertThat(e.status()).isEqualTo(HbtpStatus.UNAUTHENTICATED);
                    assertThat(e.metadata().get(HbtpMetadata.RESPONSE_TIME_US)).matches("\\d+");
                });
        HbtpMetadata forged = HbtpMetadata.builder().put(HbtpMetadata.AUTH, "Bearer not.a.token").build();
        HbtpCallFuture bad = client.call(HbtpApi.ROUTE_PRICE, ShowcaseFixtures.priceChange(1, 1, 1), forged, PATIENCE);
        assertThatThrownBy(() -> bad.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).cause()
                .isInstanceOfSatisfying(HbtpRpcException.class,
                        e -> assertThat(e.status()).isEqualTo(HbtpStatus.UNAUTHENTICATED));
    }

    @Test
    void anHbtpPriceChangeAnswersTheItemAndItsTopicSeq() throws Exception {
        String answer = call(HbtpApi.ROUTE_PRICE, ShowcaseFixtures.priceChange(43, 4321, 9), body -> {
            PriceChangedView view = PriceChangedView.wrap(body);
            return view.item().id() + " " + view.item().priceCents() + " " + view.item().stock() + " topic " + view.topic()
                    + " seq>1 " + (view.topicSeq() > 1);
        });
        assertThat(answer).isEqualTo("43 4321 9 topic 7 seq>1 true");
        eventually("the cache shows it", () -> {
            try {
                return call(HbtpApi.ROUTE_ITEM, ShowcaseFixtures.itemRequest(43), b -> ItemView.wrap(b).priceCents()) == 4321;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void theHttpJsonApiAsCurlUsesIt() throws Exception {
        String token = showcase.token();
        HttpResponse<String> anonymous = get(HTTP, showcase, "/items/7", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);

        HttpResponse<String> first = get(HTTP, showcase, "/items/7", token);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(first.body()).startsWith("{\"id\":7,\"category\":\"kitchen\",\"name\":").contains("\"updatedAt\":\"");
        String version = first.headers().firstValue("x-cache-version").orElseThrow();
        assertThat(first.headers().firstValue("X-Response-Time")).isPresent();
        assertThat(get(HTTP, showcase, "/items/7", token).headers().firstValue("x-cache-version"))
                .as("served from the cache").hasValue(version);

        long newPrice = number(first.body(), "priceCents") + 250;
        HttpResponse<String> changed = HTTP.send(post(showcase, "/items/7/price",
                "{\"priceCents\":" + newPrice + ",\"stock\":3}"), HttpResponse.BodyHandlers.ofString());
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).contains("\"priceCents\":" + newPrice, "\"stock\":3", "\"topic\":7", "\"topicSeq\":");

        eventually("the next read is fresh", () -> {
            try {
                HttpResponse<String> after = get(HTTP, showcase, "/items/7", token);
                return after.body().contains("\"priceCents\":" + newPrice)
                        && !after.headers().firstValue("x-cache-version").orElseThrow().equals(version);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        HttpResponse<String> kitchen = get(HTTP, showcase, "/categories/kitchen/items", token);
        assertThat(kitchen.statusCode()).isEqualTo(200);
        assertThat(kitchen.body()).startsWith("[{\"id\":7,").endsWith("}]");
        assertThat(kitchen.body().split("\\{\"id\":")).hasSize(251);
        assertThat(get(HTTP, showcase, "/categories", token).body()).contains("{\"name\":\"books\",\"topic\":1}");

        assertThat(HTTP.send(post(showcase, "/items/7/price", "{\"priceCents\":-1,\"stock\":3}"),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        assertThat(HTTP.send(post(showcase, "/items/7/price", "{\"price\":1}"),
                HttpResponse.BodyHandlers.ofString()).body()).contains("unknown field 'price'");
        assertThat(HTTP.send(post(showcase, "/items/7/price", "not json"),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        HttpResponse<String> missing = HTTP.send(post(showcase, "/items/999999/price", "{\"priceCents\":1,\"stock\":1}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"no item 999999\"}");
        assertThat(get(HTTP, showcase, "/items/999999", token).statusCode()).isEqualTo(404);
        assertThat(get(HTTP, showcase, "/categories/cars/items", token).statusCode()).isEqualTo(404);
        assertThat(get(HTTP, showcase, "/nothing", token).statusCode()).isEqualTo(404);
    }

    @Test
    void theRateLimitRefusesOverHbtpAndHttpWithTheirStatus() throws Exception {
        // One event loop: buckets are per loop, so every connection counts against the same one.
        try (Showcase limited = Showcase.start(ShowcaseFixtures.config(showcase.database().url(), 1, 0.01, 3));
             HbtpClient limitedClient = HbtpClient.connect(limited.hbtpAddress(), HbtpClientConfig.defaults())) {
            for (int i = 0; i < 3; i++) {
                limitedClient.call(HbtpApi.ROUTE_ITEM, ShowcaseFixtures.itemRequest(1), auth(limited), PATIENCE)
                        .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).release();
            }
            HbtpCallFuture refused = limitedClient.call(HbtpApi.ROUTE_ITEM, ShowcaseFixtures.itemRequest(1),
                    auth(limited), PATIENCE);
            assertThatThrownBy(() -> refused.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).cause()
                    .isInstanceOfSatisfying(HbtpRpcException.class, e -> {
                        assertThat(e.status()).isEqualTo(HbtpStatus.RESOURCE_EXHAUSTED);
                        assertThat(Long.parseLong(e.metadata().get("retry-after-ms"))).isPositive();
                    });
            HttpResponse<String> limitedHttp = get(HTTP, limited, "/items/1", limited.token());
            assertThat(limitedHttp.statusCode()).isEqualTo(429);
            assertThat(limitedHttp.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void aWriteAfterTheTopicsDeltasAreUsedUpPublishesASnapshotFirst() throws Exception {
        try (Showcase small = Showcase.start(ShowcaseFixtures.config(showcase.database().url(), 2, 10_000, 10_000, 2))) {
            // Items 3, 15 and 27 are tea (topic 3), which no other test writes.
            long[] seqs = new long[3];
            long[] ids = {3, 15, 27};
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = HTTP.send(post(small, "/items/" + ids[i] + "/price",
                        "{\"priceCents\":" + (300 + i) + ",\"stock\":1}"), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(number(answer.body(), "topic")).isEqualTo(3);
                seqs[i] = number(answer.body(), "topicSeq");
            }
            assertThat(seqs[1]).isEqualTo(seqs[0] + 1);
            assertThat(seqs[2]).as("a snapshot came between").isEqualTo(seqs[1] + 2);
            eventually("the main instance applied all", () -> showcase.bridge().appliedSeq(3) >= seqs[2]);
        }
    }

    @Test
    void theJavaClientWalksThroughEverything() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ShowcaseClient.run(showcase.hbtpAddress(), showcase.token(), 44, Duration.ZERO,
                new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("without a token: UNAUTHENTICATED")
                .containsPattern("item 44 '.* #44' \\(toys\\) \\d+\\.\\d\\d, stock \\d+")
                .contains("category toys: 250 items (topic 8)")
                .containsPattern("topic 8 v\\d+: state of 250 items")
                .containsPattern("price of item 44 set to \\d+\\.\\d\\d: committed as topic 8 seq \\d+")
                .containsPattern("set to (\\d+\\.\\d\\d): [\\s\\S]*the topic delivered it: item 44 '[^']*' \\(toys\\) \\1,")
                .endsWith("closed" + System.lineSeparator());
    }

    @Test
    void metricsAndHealthAreServedWithoutATokenAndTheScrapeParses() throws Exception {
        call(HbtpApi.ROUTE_ITEM, ShowcaseFixtures.itemRequest(7), body -> 0);
        String base = "http://127.0.0.1:" + showcase.httpAddress().getPort();
        HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = PrometheusText.parse(scrape.body());
        assertThat(PrometheusText.sum(samples, "hbtp_server_calls_seconds_count", "route=\"1\"", "status=\"OK\""))
                .isGreaterThanOrEqualTo(1);
        // Latency as histogram buckets: Prometheus derives p50 and p99 with histogram_quantile() across instances.
        assertThat(PrometheusText.sum(samples, "hbtp_server_calls_seconds_bucket", "le=\"+Inf\"", "route=\"1\"",
                "status=\"OK\"")).isGreaterThanOrEqualTo(1);
        assertThat(PrometheusText.sum(samples, "hbtp_server_connections")).isGreaterThanOrEqualTo(1);
        assertThat(PrometheusText.sum(samples, "dx_dbteleport_hits_total")
                + PrometheusText.sum(samples, "dx_dbteleport_misses_total")).isGreaterThanOrEqualTo(1);
        assertThat(PrometheusText.sum(samples, "dx_dbteleport_listening")).isEqualTo(1);
        assertThat(PrometheusText.sum(samples, "dx_reactor_pending_tasks")).isGreaterThanOrEqualTo(0);
        assertThat(PrometheusText.sum(samples, "jvm_memory_used_bytes")).isGreaterThan(0);

        HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{\"accepting\":true,"
                + "\"cacheListener\":true,\"topicListener\":true}}");
    }

    @Test
    void aGracefulStopLetsARunningCallFinishAndAcceptsNoMoreConnections() throws Exception {
        Showcase stopping = Showcase.start(ShowcaseFixtures.config(showcase.database().url()));
        Connection lock = Mono.from(showcase.database().pool().create()).block(PATIENCE);
        Socket open = null;
        Socket health = null;
        HbtpClient hbtpClient = null;
        boolean stopped = false;
        try {
            // The row is locked, so the write waits in the database: a call that is running when the stop begins.
            Mono.from(lock.beginTransaction()).block(PATIENCE);
            Flux.from(lock.createStatement("SELECT id FROM items WHERE id = 45 FOR UPDATE").execute())
                    .concatMap(r -> r.map((row, meta) -> 1)).blockLast(PATIENCE);
            CompletableFuture<HttpResponse<String>> write = HTTP.sendAsync(post(stopping, "/items/45/price",
                    "{\"priceCents\":4545,\"stock\":45}"), HttpResponse.BodyHandlers.ofString());
            hbtpClient = HbtpClient.connect(stopping.hbtpAddress(), HbtpClientConfig.defaults());
            HbtpCallFuture hbtpWrite = hbtpClient.call(HbtpApi.ROUTE_PRICE, ShowcaseFixtures.priceChange(45, 4646, 46),
                    auth(stopping), PATIENCE);
            eventually("both writes are running", () -> stopping.inFlight().running() == 2);
            open = new Socket("127.0.0.1", stopping.httpAddress().getPort());
            health = new Socket("127.0.0.1", stopping.httpAddress().getPort());
            assertThat(rawGet(health, "/health/ready", stopping.token())).startsWith("HTTP/1.1 200 ");
            health.close();
            health = new Socket("127.0.0.1", stopping.httpAddress().getPort());

            CompletableFuture<Boolean> stop = CompletableFuture.supplyAsync(() -> {
                try {
                    return stopping.stop(PATIENCE);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // The listening sockets are closed. (Connecting to the freed port is no test of that: the port came
            // from the ephemeral range, and a connection from the same port number to itself can succeed.)
            eventually("no longer accepting", () -> !stopping.isAccepting());
            assertThat(stop).isNotDone();
            assertThat(rawGet(open, "/api/items/45", stopping.token())).as("a new call on an open connection")
                    .startsWith("HTTP/1.1 503 ");
            assertThat(rawGet(health, "/health/ready", stopping.token())).as("not ready while draining")
                    .startsWith("HTTP/1.1 503 ");
            HbtpClient late = hbtpClient;
            assertThatThrownBy(() -> late.call(HbtpApi.ROUTE_ITEM, ShowcaseFixtures.itemRequest(45), auth(stopping),
                    PATIENCE).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).cause()
                    .isInstanceOfSatisfying(HbtpRpcException.class,
                            e -> assertThat(e.status()).isEqualTo(HbtpStatus.UNAVAILABLE));

            Mono.from(lock.commitTransaction()).block(PATIENCE);
            HttpResponse<String> answer = write.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"priceCents\":4545");
            ByteBuf hbtpAnswer = hbtpWrite.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            hbtpAnswer.release();
            HbtpClient closing = hbtpClient;
            eventually("the HBTP client was sent CLOSE and closed", () -> !closing.isOpen());
            assertThat(stop.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("every running call finished").isTrue();
            stopped = true;
        } finally {
            Mono.from(lock.close()).onErrorComplete().block(PATIENCE);
            if (open != null) {
                open.close();
            }
            if (health != null) {
                health.close();
            }
            if (hbtpClient != null) {
                hbtpClient.close();
            }
            if (!stopped) {
                stopping.close();
            }
        }
    }

    /** A GET on a connection opened earlier; the status line of the answer. */
    private static String rawGet(Socket socket, String path, String token) throws Exception {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        return in.readLine();
    }

    private static <T> T call(int route, ByteBuf request, Function<ByteBuf, T> answer) throws Exception {
        ByteBuf body = client.call(route, request, auth(showcase), PATIENCE).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return answer.apply(body);
        } finally {
            body.release();
        }
    }
}
