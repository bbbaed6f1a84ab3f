package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.api.HbtpApi;
import dev.dxreactor.examples.showcase.messages.CategoryRequest;
import dev.dxreactor.examples.showcase.messages.CategoryRequestTeleport;
import dev.dxreactor.examples.showcase.messages.Item;
import dev.dxreactor.examples.showcase.messages.ItemList;
import dev.dxreactor.examples.showcase.messages.ItemRequest;
import dev.dxreactor.examples.showcase.messages.ItemRequestTeleport;
import dev.dxreactor.examples.showcase.messages.ItemView;
import dev.dxreactor.examples.showcase.messages.Money;
import dev.dxreactor.examples.showcase.messages.PriceChange;
import dev.dxreactor.examples.showcase.messages.PriceChangeTeleport;
import dev.dxreactor.examples.showcase.messages.PriceChangedView;
import dev.dxreactor.examples.showcase.store.Catalog;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpStatus;
import dev.dxreactor.hbtp.HbtpSubscription;
import dev.dxreactor.hbtp.HbtpTopicListener;
import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The showcase's HBTP client: reads an item and its category through the cache, subscribes to the category's
 * topic, changes the item's price and prints the delta that comes back through the topic (from whichever
 * instance made the change), then, with {@code -Dshowcase.watch=<seconds>}, keeps printing live changes.
 *
 * <pre>
 * mvn -B -q -pl examples exec:exec -Dexample.main=dev.dxreactor.examples.showcase.ShowcaseClient \
 *     -Dshowcase.hbtpPort=7008 -Dshowcase.token=$TOKEN [-Dshowcase.id=42] [-Dshowcase.watch=30]
 * </pre>
 */
public final class ShowcaseClient {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final HbtpClient client;
    private final HbtpMetadata auth;
    private final TeleportBuffer writer = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);

    private ShowcaseClient(HbtpClient client, String token) {
        this.client = client;
        this.auth = HbtpMetadata.builder().put(HbtpMetadata.AUTH, "Bearer " + token).build();
    }

    public static void main(String[] args) throws Exception {
        String token = property("showcase.token", System.getenv("TOKEN"));
        if (token == null) {
            System.err.println("showcase client: give the token the server printed: -Dshowcase.token=$TOKEN");
            System.exit(2);
        }
        InetSocketAddress server = new InetSocketAddress(property("showcase.host", "127.0.0.1"),
                Integer.parseInt(property("showcase.hbtp.port", String.valueOf(ShowcaseConfig.DEFAULT_HBTP_PORT))));
        run(server, token, Long.parseLong(property("showcase.id", "42")),
                Duration.ofSeconds(Long.parseLong(property("showcase.watch", "0"))), System.out);
    }

    /** The whole walk: each step printed to {@code out}; {@code watch} is how long to print live changes after. */
    public static void run(InetSocketAddress server, String token, long id, Duration watch, PrintStream out)
            throws Exception {
        try (HbtpClient client = HbtpClient.connect(server, HbtpClientConfig.defaults())) {
            out.println("connected to " + server);
            new ShowcaseClient(client, token).walk(id, watch, out);
        }
        out.println("closed");
    }

    private void walk(long id, Duration watch, PrintStream out) throws Exception {
        try {
            client.call(HbtpApi.ROUTE_ITEM, message(w -> ItemRequestTeleport.write(w, new ItemRequest(id))))
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).release();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HbtpRpcException refused) {
                out.println("without a token: " + HbtpStatus.name(refused.status()) + " (" + refused.getMessage() + ")");
            }
        }
        Item item = call(HbtpApi.ROUTE_ITEM, w -> ItemRequestTeleport.write(w, new ItemRequest(id)),
                body -> ItemView.wrap(body).toRecord());
        out.println("item " + describe(item));

        int count = call(HbtpApi.ROUTE_CATEGORY, w -> CategoryRequestTeleport.write(w, new CategoryRequest(item.category())),
                body -> ItemList.toList(body).size());
        int topic = Catalog.topicOf(item.category());
        out.println("category " + item.category() + ": " + count + " items (topic " + topic + ")");

        CompletableFuture<Item> ownChange = new CompletableFuture<>();
        long newPrice = item.priceCents() + 100;
        HbtpSubscription subscription = client.subscribe(topic, new Printer(out, id, newPrice, ownChange));
        try {
            String changed = call(HbtpApi.ROUTE_PRICE,
                    w -> PriceChangeTeleport.write(w, new PriceChange(id, newPrice, item.stock())),
                    body -> {
                        PriceChangedView view = PriceChangedView.wrap(body);
                        return "topic " + view.topic() + " seq " + view.topicSeq();
                    });
            out.println("price of item " + id + " set to " + Money.format(newPrice) + ": committed as " + changed);
            Item seen = ownChange.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            out.println("the topic delivered it: item " + describe(seen));
            if (!watch.isZero()) {
                out.println("watching topic " + topic + " for " + watch.toSeconds() + " s");
                Thread.sleep(watch.toMillis());
            }
        } finally {
            subscription.close();
        }
    }

    private <T> T call(int route, Consumer<TeleportBuffer> request, java.util.function.Function<ByteBuf, T> answer)
            throws Exception {
        ByteBuf body = client.call(route, message(request), auth, PATIENCE).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return answer.apply(body);
        } finally {
            body.release();
        }
    }

    private ByteBuf message(Consumer<TeleportBuffer> write) {
        write.accept(writer);
        return writer.finish();
    }

    static String describe(Item item) {
        return item.id() + " '" + item.name() + "' (" + item.category() + ") " + Money.format(item.priceCents())
                + ", stock " + item.stock();
    }

    private static String property(String name, String otherwise) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? (otherwise == null || otherwise.isBlank() ? null : otherwise)
                : value.trim();
    }

    /**
     * Prints the topic as it arrives; completes {@code own} when the delta of item {@code id} at {@code price} comes
     * (the state may be followed by older deltas of the same item).
     */
    private record Printer(PrintStream out, long id, long price, CompletableFuture<Item> own) implements HbtpTopicListener {
        @Override
        public void onSync(int topic, long version, ByteBuf state) {
            int[] count = {0};
            ItemList.forEach(state, item -> count[0]++);
            out.println("topic " + topic + " v" + version + ": state of " + count[0] + " items");
        }

        @Override
        public void onDelta(int topic, long baseVersion, long version, ByteBuf delta) {
            Item item = ItemView.wrap(delta).toRecord();
            out.println("topic " + topic + " v" + baseVersion + " -> v" + version + ": item " + describe(item));
            if (item.id() == id && item.priceCents() == price) {
                own.complete(item);
            }
        }
    }
}
