package dev.dxreactor.examples.showcase.api;

import dev.dxreactor.cim.HttpApplication;
import dev.dxreactor.cim.MiddlewareContext;
import dev.dxreactor.dbteleport.CacheEntry;
import dev.dxreactor.dbteleport.DbTeleport;
import dev.dxreactor.examples.showcase.messages.ItemJson;
import dev.dxreactor.examples.showcase.messages.PriceChange;
import dev.dxreactor.examples.showcase.store.Catalog;
import dev.dxreactor.examples.showcase.store.CatalogCache;
import dev.dxreactor.examples.showcase.store.ItemWriter;
import dev.dxreactor.examples.showcase.store.NoSuchItemException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP/1.1 JSON API, the same data as the HBTP routes behind the same chain:
 *
 * <pre>
 * GET  /api/items/{id}                  the item                      (X-Cache-Version: the cached answer's version)
 * GET  /api/categories                  the categories and their HBTP topics
 * GET  /api/categories/{name}/items     the category's items, by id   (X-Cache-Version)
 * POST /api/items/{id}/price            {"priceCents":1299,"stock":7}: the item as written, its topic and seq
 * </pre>
 *
 * <p>The GET answers are db-teleport entries of JSON, written once per query run and served as they are; a
 * write makes them stale on every instance, and the next read shows a new {@code X-Cache-Version}.
 */
public final class HttpApi implements HttpApplication {

    /** The version of the cached answer a GET was served from; a new one after every change it depends on. */
    public static final AsciiString CACHE_VERSION = AsciiString.cached("x-cache-version");

    private static final Pattern ITEM = Pattern.compile("/api/items/(\\d{1,18})");
    private static final Pattern PRICE = Pattern.compile("/api/items/(\\d{1,18})/price");
    private static final Pattern CATEGORY = Pattern.compile("/api/categories/([a-z]{1,32})/items");

    private final DbTeleport cache;
    private final ItemWriter writer;
    private final InFlight inFlight;

    public HttpApi(DbTeleport cache, ItemWriter writer, InFlight inFlight) {
        this.cache = cache;
        this.writer = writer;
        this.inFlight = inFlight;
    }

    @Override
    public CompletionStage<FullHttpResponse> handle(MiddlewareContext context, FullHttpRequest request) {
        return inFlight.track(request.method() + " " + new QueryStringDecoder(request.uri()).path(),
                () -> route(request));
    }

    private CompletionStage<FullHttpResponse> route(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        Matcher m;
        if ((m = ITEM.matcher(path)).matches()) {
            return method.equals(HttpMethod.GET) ? cached(CatalogCache.ITEM_JSON, Long.parseLong(m.group(1)),
                    "no item " + m.group(1)) : notAllowed("GET");
        }
        if ((m = PRICE.matcher(path)).matches()) {
            return method.equals(HttpMethod.POST) ? changePrice(Long.parseLong(m.group(1)), request.content())
                    : notAllowed("POST");
        }
        if ((m = CATEGORY.matcher(path)).matches()) {
            if (!method.equals(HttpMethod.GET)) {
                return notAllowed("GET");
            }
            String category = m.group(1);
            return Catalog.topicOf(category) < 0 ? error(HttpResponseStatus.NOT_FOUND, "no category '" + category
                    + "'; the categories are " + Catalog.CATEGORIES) : cached(CatalogCache.CATEGORY_JSON, category, null);
        }
        if (path.equals("/api/categories")) {
            return method.equals(HttpMethod.GET) ? CompletableFuture.completedFuture(categories()) : notAllowed("GET");
        }
        return error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path + " (see /api/categories)");
    }

    /** A cached JSON answer, served as its bytes (no copy: the entry's read-only memory). */
    private CompletionStage<FullHttpResponse> cached(String query, Object param, String whenEmpty) {
        return cache.get(query, List.of(param)).thenApply(entry -> {
            if (entry.size() == 0 && whenEmpty != null) {
                return json(HttpResponseStatus.NOT_FOUND, errorBody(whenEmpty));
            }
            FullHttpResponse response = json(HttpResponseStatus.OK, entry.content());
            response.headers().set(CACHE_VERSION, Long.toUnsignedString(entry.version()));
            return response;
        });
    }

    private CompletionStage<FullHttpResponse> changePrice(long id, ByteBuf body) {
        PriceChange change;
        try {
            change = ItemJson.readPriceChange(id, body);
        } catch (IllegalArgumentException e) {
            return error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        return writer.change(change).handle((changed, error) -> {
            if (error == null) {
                ByteBuf out = Unpooled.buffer(256);
                ItemJson.write(changed, out);
                return json(HttpResponseStatus.OK, out);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof NoSuchItemException missing) {
                return json(HttpResponseStatus.NOT_FOUND, errorBody(missing.getMessage()));
            }
            throw error instanceof CompletionException ce ? ce : new CompletionException(error);
        });
    }

    private static FullHttpResponse categories() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < Catalog.CATEGORIES.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(Catalog.CATEGORIES.get(i))
                    .append("\",\"topic\":").append(i + 1).append('}');
        }
        return json(HttpResponseStatus.OK, Unpooled.copiedBuffer(json.append(']'), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static CompletionStage<FullHttpResponse> notAllowed(String allowed) {
        FullHttpResponse response = json(HttpResponseStatus.METHOD_NOT_ALLOWED, errorBody("use " + allowed));
        response.headers().set(HttpHeaderNames.ALLOW, allowed);
        return CompletableFuture.completedFuture(response);
    }

    private static CompletionStage<FullHttpResponse> error(HttpResponseStatus status, String message) {
        return CompletableFuture.completedFuture(json(status, errorBody(message)));
    }

    private static ByteBuf errorBody(String message) {
        ByteBuf out = Unpooled.buffer(64 + message.length());
        ItemJson.writeError(message, out);
        return out;
    }

    private static FullHttpResponse json(HttpResponseStatus status, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }
}
