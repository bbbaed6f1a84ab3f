package dev.dxreactor.examples.showcase.api;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimException;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.dbteleport.CacheEntry;
import dev.dxreactor.dbteleport.DbTeleport;
import dev.dxreactor.examples.showcase.messages.CategoryRequestView;
import dev.dxreactor.examples.showcase.messages.ItemRequestView;
import dev.dxreactor.examples.showcase.messages.PriceChangeView;
import dev.dxreactor.examples.showcase.messages.PriceChanged;
import dev.dxreactor.examples.showcase.messages.PriceChangedTeleport;
import dev.dxreactor.examples.showcase.store.Catalog;
import dev.dxreactor.examples.showcase.store.CatalogCache;
import dev.dxreactor.examples.showcase.store.ItemWriter;
import dev.dxreactor.hbtp.HbtpAsyncHandler;
import dev.dxreactor.hbtp.HbtpCall;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.teleport.TeleportBuffer;
import dev.dxreactor.teleport.TeleportFormatException;
import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The HBTP routes, each behind the showcase's middleware chain (rate limit, JWT in the {@code auth} metadata,
 * timing). Requests and answers are teleport messages ({@code dev.dxreactor.examples.showcase.messages}).
 *
 * <table>
 *   <tr><th>route</th><th>request</th><th>answer</th></tr>
 *   <tr><td>1 item</td><td>{@code ItemRequest}</td><td>{@code Item}, from db-teleport's cache</td></tr>
 *   <tr><td>2 category</td><td>{@code CategoryRequest}</td><td>{@code ItemList}, from the cache</td></tr>
 *   <tr><td>3 price</td><td>{@code PriceChange}</td><td>{@code PriceChanged}, once committed</td></tr>
 * </table>
 *
 * <p>An unknown item or category is refused with the chain's NOT_FOUND, which HBTP carries as UNKNOWN_ROUTE with
 * the message "no item 42"; a request that is not a valid message is BAD_REQUEST.
 */
public final class HbtpApi {

    public static final int ROUTE_ITEM = 1;
    public static final int ROUTE_CATEGORY = 2;
    public static final int ROUTE_PRICE = 3;

    private final DbTeleport cache;
    private final ItemWriter writer;

    private HbtpApi(DbTeleport cache, ItemWriter writer) {
        this.cache = cache;
        this.writer = writer;
    }

    /** The routes, each wrapped by its own {@code ShowcaseChainHandler} on {@code cim} (middlewares shared). */
    public static HbtpRouter router(CimConfig cim, DbTeleport cache, ItemWriter writer, InFlight inFlight) {
        HbtpApi api = new HbtpApi(cache, writer);
        return new HbtpRouter()
                .routeAsync(ROUTE_ITEM, chained(cim, inFlight, "HBTP item", api::item))
                .routeAsync(ROUTE_CATEGORY, chained(cim, inFlight, "HBTP category", api::category))
                .routeAsync(ROUTE_PRICE, chained(cim, inFlight, "HBTP price", api::price));
    }

    private static HbtpAsyncHandler chained(CimConfig cim, InFlight inFlight, String kind,
                                            Function<HbtpCall, CompletionStage<ByteBuf>> application) {
        return new ShowcaseChainHandler(cim, call -> inFlight.track(kind, () -> application.apply(call)));
    }

    private CompletionStage<ByteBuf> item(HbtpCall call) {
        long id = read(() -> ItemRequestView.wrap(call.payload()).id());
        return cache.get(CatalogCache.ITEM, List.of(id)).thenApply(entry -> body(entry, "no item " + id));
    }

    private CompletionStage<ByteBuf> category(HbtpCall call) {
        String category = read(() -> CategoryRequestView.wrap(call.payload()).category());
        if (Catalog.topicOf(category) < 0) {
            throw new CimException(CimStatus.NOT_FOUND, "no category '" + category + "'; the categories are "
                    + Catalog.CATEGORIES);
        }
        return cache.get(CatalogCache.CATEGORY, List.of(category)).thenApply(CacheEntry::content);
    }

    private CompletionStage<ByteBuf> price(HbtpCall call) {
        PriceChangeView view = read(() -> PriceChangeView.wrap(call.payload()));
        if (view.priceCents() < 0 || view.stock() < 0) {
            throw new CimException(CimStatus.BAD_REQUEST, "priceCents and stock must not be negative");
        }
        ByteBufWriter reply = new ByteBufWriter(call);
        return writer.change(view.toRecord()).handle((changed, error) -> {
            if (error != null) {
                throw Failures.answer(error);
            }
            return reply.write(changed);
        });
    }

    /** The cached bytes as the answer (the server copies them out; releasing this view does nothing). */
    private static ByteBuf body(CacheEntry entry, String whenEmpty) {
        if (entry.size() == 0) {
            throw new CimException(CimStatus.NOT_FOUND, whenEmpty);
        }
        return entry.content();
    }

    private static <T> T read(java.util.function.Supplier<T> view) {
        try {
            return view.get();
        } catch (TeleportFormatException | IndexOutOfBoundsException e) {
            throw new CimException(CimStatus.BAD_REQUEST, "not a valid request message: " + e.getMessage());
        }
    }

    /** Writes the answer of a price change into a buffer of the call's connection's allocator. */
    private record ByteBufWriter(HbtpCall call) {
        ByteBuf write(PriceChanged changed) {
            TeleportBuffer out = TeleportBuffer.allocate(call.session().channel().alloc());
            PriceChangedTeleport.write(out, changed);
            return out.finish();
        }
    }
}
