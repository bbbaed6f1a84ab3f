package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.config.InvalidConfigException;
import dev.dxreactor.examples.showcase.messages.CategoryRequest;
import dev.dxreactor.examples.showcase.messages.CategoryRequestTeleport;
import dev.dxreactor.examples.showcase.messages.ItemRequest;
import dev.dxreactor.examples.showcase.messages.ItemRequestTeleport;
import dev.dxreactor.examples.showcase.messages.PriceChange;
import dev.dxreactor.examples.showcase.messages.PriceChangeTeleport;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/** Shared pieces of the showcase tests: configs, request messages, HTTP requests as curl sends them. */
final class ShowcaseFixtures {

    /** Every wait is bounded by this; reaching it fails the test (nothing is timed). */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private ShowcaseFixtures() {
    }

    /**
     * Any free ports on loopback, two event loops, a rate limit no test reaches unless it wants to, and the
     * database {@code url} ({@code null}: {@code DX_PG_URL} when set, else an embedded one).
     */
    static ShowcaseConfig config(String url) {
        return config(url, 2, 10_000, 10_000);
    }

    /** {@link #config(String)} with these event loops and rate limit. */
    static ShowcaseConfig config(String url, int workers, double ratePerSecond, int burst) {
        return config(url, workers, ratePerSecond, burst, 256);
    }

    /** {@link #config(String, int, double, int)} with this many deltas per topic snapshot. */
    static ShowcaseConfig config(String url, int workers, double ratePerSecond, int burst, int deltasPerSnapshot) {
        try {
            return ShowcaseConfig.from(properties(url, workers, ratePerSecond, burst, deltasPerSnapshot), System.getenv());
        } catch (InvalidConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The system properties of {@link #config(String, int, double, int, int)}. */
    static Properties properties(String url, int workers, double ratePerSecond, int burst, int deltasPerSnapshot) {
        Properties props = new Properties();
        props.setProperty("showcase.topics.deltas-per-snapshot", String.valueOf(deltasPerSnapshot));
        props.setProperty("showcase.hbtp.port", "0");
        props.setProperty("showcase.http.port", "0");
        props.setProperty("showcase.workers", String.valueOf(workers));
        props.setProperty("showcase.rate-limit.per-second", String.valueOf(ratePerSecond));
        props.setProperty("showcase.rate-limit.burst", String.valueOf(burst));
        if (url != null) {
            props.setProperty("showcase.database", url);
        }
        return props;
    }

    static ByteBuf itemRequest(long id) {
        TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);
        ItemRequestTeleport.write(out, new ItemRequest(id));
        return out.finish();
    }

    static ByteBuf categoryRequest(String category) {
        TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);
        CategoryRequestTeleport.write(out, new CategoryRequest(category));
        return out.finish();
    }

    static ByteBuf priceChange(long id, long priceCents, int stock) {
        TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);
        PriceChangeTeleport.write(out, new PriceChange(id, priceCents, stock));
        return out.finish();
    }

    static HbtpMetadata auth(Showcase showcase) {
        return HbtpMetadata.builder().put(HbtpMetadata.AUTH, "Bearer " + showcase.token()).build();
    }

    /** {@code curl -H "Authorization: Bearer $TOKEN" http://.../api<path>}; no token when {@code token} is null. */
    static HttpResponse<String> get(HttpClient http, Showcase showcase, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api(showcase, path)).timeout(PATIENCE);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code curl -X POST -H 'Content-Type: application/json' -d <json> http://.../api<path>} with the token. */
    static HttpRequest post(Showcase showcase, String path, String json) {
        return HttpRequest.newBuilder(api(showcase, path)).timeout(PATIENCE)
                .header("Authorization", "Bearer " + showcase.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    static URI api(Showcase showcase, String path) {
        return URI.create("http://127.0.0.1:" + showcase.httpAddress().getPort() + "/api" + path);
    }

    /** Waits until {@code condition} holds, failing after {@link #PATIENCE}. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not true after " + PATIENCE.toSeconds() + " s: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** The value of a JSON number field in {@code json} (the API's answers are flat enough for this). */
    static long number(String json, String field) {
        var m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + field + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }
}
