package dev.dxreactor.examples.showcase;

import dev.dxreactor.examples.showcase.api.HbtpApi;
import dev.dxreactor.examples.showcase.messages.Item;
import dev.dxreactor.examples.showcase.messages.ItemList;
import dev.dxreactor.examples.showcase.messages.ItemView;
import dev.dxreactor.examples.showcase.messages.PriceChangedView;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpSubscription;
import dev.dxreactor.hbtp.HbtpTopicListener;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.examples.showcase.ShowcaseFixtures.PATIENCE;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.auth;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.eventually;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.get;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.number;
import static dev.dxreactor.examples.showcase.ShowcaseFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two showcase instances on one database, each with its own reactor and ports, as a fleet behind a load balancer:
 * a write through A makes B's cached reads fresh, and a client subscribed on B sees the change as a delta. B reads
 * A's token: the development key is shared through the database.
 */
class ShowcaseFleetTest {

    private static Showcase a;
    private static Showcase b;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        a = Showcase.start(ShowcaseFixtures.config(null));
        b = Showcase.start(ShowcaseFixtures.config(a.database().url()));
    }

    @AfterAll
    static void stop() throws Exception {
        HTTP.close();
        assertThat(b.stop(PATIENCE)).isTrue();
        assertThat(a.stop(PATIENCE)).isTrue();
    }

    @Test
    void aWriteThroughAInvalidatesBsCache() throws Exception {
        HttpResponse<String> before = get(HTTP, b, "/items/100", b.token());
        assertThat(before.statusCode()).isEqualTo(200);
        String version = before.headers().firstValue("x-cache-version").orElseThrow();
        assertThat(get(HTTP, b, "/items/100", b.token()).headers().firstValue("x-cache-version"))
                .as("B serves it from its cache").hasValue(version);

        long newPrice = number(before.body(), "priceCents") + 1000;
        HttpResponse<String> written = HTTP.send(post(a, "/items/100/price", "{\"priceCents\":" + newPrice + ",\"stock\":1}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(written.statusCode()).isEqualTo(200);

        eventually("B's next read is fresh", () -> {
            try {
                HttpResponse<String> after = get(HTTP, b, "/items/100", a.token());
                return after.body().contains("\"priceCents\":" + newPrice)
                        && !after.headers().firstValue("x-cache-version").orElseThrow().equals(version);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aClientSubscribedOnBSeesTheDeltaOfAWriteThroughA() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (HbtpClient onA = HbtpClient.connect(a.hbtpAddress(), HbtpClientConfig.defaults());
             HbtpClient onB = HbtpClient.connect(b.hbtpAddress(), HbtpClientConfig.defaults())) {
            int books = 1;
            HbtpSubscription subscription = onB.subscribe(books, new HbtpTopicListener() {
                @Override
                public void onSync(int topic, long version, ByteBuf state) {
                    seen.add("sync " + ItemList.toList(state).size());
                }

                @Override
                public void onDelta(int topic, long baseVersion, long version, ByteBuf delta) {
                    Item item = ItemView.wrap(delta).toRecord();
                    seen.add("delta " + item.id() + " " + item.priceCents());
                }
            });
            eventually("B sent the state", () -> seen.contains("sync 250"));

            ByteBuf answer = onA.call(HbtpApi.ROUTE_PRICE, ShowcaseFixtures.priceChange(13, 1313, 13), auth(a), PATIENCE)
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            long seq;
            try {
                PriceChangedView changed = PriceChangedView.wrap(answer);
                assertThat(changed.topic()).isEqualTo(books);
                seq = changed.topicSeq();
            } finally {
                answer.release();
            }
            eventually("the delta reached the client on B", () -> seen.contains("delta 13 1313"));
            assertThat(b.bridge().appliedSeq(books)).isGreaterThanOrEqualTo(seq);
            assertThat(a.bridge().appliedSeq(books)).isGreaterThanOrEqualTo(seq);
            subscription.close();
        }
    }
}
