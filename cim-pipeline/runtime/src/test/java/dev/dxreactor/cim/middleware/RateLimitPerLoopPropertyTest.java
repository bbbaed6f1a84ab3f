package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.MiddlewareContext;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rate-limit state is per event loop: for random interleavings of requests from several clients on several
 * loops, every answer matches a model that keeps one bucket per (loop, client), and no loop's buckets are
 * touched by another thread.
 */
class RateLimitPerLoopPropertyTest {

    private static final int LOOPS = 3;
    private static final int BURST = 3;
    private static final MultiThreadIoEventLoopGroup GROUP =
            new MultiThreadIoEventLoopGroup(LOOPS, LocalIoHandler.newFactory());
    private static final List<EventLoop> EVENT_LOOPS = new ArrayList<>();

    static {
        for (int i = 0; i < LOOPS; i++) {
            EVENT_LOOPS.add(GROUP.next());
        }
    }

    @AfterContainer
    static void shutDown() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    record Request(int loop, int client) {
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        return Combinators.combine(Arbitraries.integers().between(0, LOOPS - 1), Arbitraries.integers().between(0, 3))
                .as(Request::new).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 200)
    void eachLoopCountsOnlyTheRequestsItServed(@ForAll("requests") List<Request> requests) throws Exception {
        // The clock never moves: a bucket refills never, so a (loop, client) pair gets exactly BURST requests.
        RateLimitMiddleware limit = new RateLimitMiddleware(CimConfig.builder()
                .rateLimit(RateLimitConfig.builder().permitsPerSecond(1).burst(BURST).build())
                .nanoClock(() -> 1_000_000_000L).build());
        Map<Request, Integer> served = new HashMap<>();
        for (Request r : requests) {
            EventLoop loop = EVENT_LOOPS.get(r.loop());
            CimResponse answer = loop.submit(() -> limit.before(new MiddlewareContext(0), request(r.client())))
                    .get(5, TimeUnit.SECONDS);
            int count = served.merge(new Request(r.loop(), r.client()), 1, Integer::sum);
            if (count <= BURST) {
                assertThat(answer).as("request %d of client %d on loop %d", count, r.client(), r.loop()).isNull();
            } else {
                assertThat(answer.status()).isEqualTo(CimStatus.RESOURCE_EXHAUSTED);
                assertThat(((PlainRequest.Reply) answer).retryAfter).isPositive();
            }
        }
        for (int i = 0; i < LOOPS; i++) {
            int loopIndex = i;
            EventLoop loop = EVENT_LOOPS.get(i);
            LoopBuckets buckets = loop.submit(limit::bucketsOfThisThread).get(5, TimeUnit.SECONDS);
            assertThat(buckets.owner()).isEqualTo(loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS));
            for (int client = 0; client < 4; client++) {
                boolean servedHere = served.containsKey(new Request(loopIndex, client));
                int c = client;
                boolean held = loop.submit(() -> buckets.holds(address(c))).get(5, TimeUnit.SECONDS);
                assertThat(held).as("loop %d holds client %d", loopIndex, client).isEqualTo(servedHere);
            }
        }
    }

    @Test
    void bucketsRefuseEveryThreadButTheirOwner() throws Exception {
        RateLimitMiddleware limit = new RateLimitMiddleware(CimConfig.builder().build());
        LoopBuckets buckets = EVENT_LOOPS.get(0).submit(limit::bucketsOfThisThread).get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> buckets.acquire("key", 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("used from");
    }

    @Test
    void anEmptyBucketRefillsAtTheConfiguredRate() {
        long[] now = {0};
        RateLimitMiddleware limit = new RateLimitMiddleware(CimConfig.builder()
                .rateLimit(RateLimitConfig.builder().permitsPerSecond(10).burst(2).build())
                .nanoClock(() -> now[0]).build());
        assertThat(limit.before(new MiddlewareContext(0), request(1))).isNull();
        assertThat(limit.before(new MiddlewareContext(0), request(1))).isNull();
        PlainRequest.Reply refused = (PlainRequest.Reply) limit.before(new MiddlewareContext(0), request(1));
        assertThat(refused.retryAfter).isEqualTo(Duration.ofMillis(100));
        now[0] += Duration.ofMillis(100).toNanos();
        assertThat(limit.before(new MiddlewareContext(0), request(1))).isNull();
        assertThat(limit.before(new MiddlewareContext(0), request(2))).isNull();
    }

    @Test
    void aConfigWithSeveralMistakesReportsAllOfThem() {
        assertThatThrownBy(() -> RateLimitConfig.builder().permitsPerSecond(0).burst(0).maxKeysPerLoop(0).build())
                .hasMessageContaining("3 problems")
                .hasMessageContaining("permitsPerSecond")
                .hasMessageContaining("burst")
                .hasMessageContaining("maxKeysPerLoop");
    }

    private static PlainRequest request(int client) {
        return new PlainRequest("10.0.0." + (client + 1));
    }

    private static InetAddress address(int client) {
        try {
            return InetAddress.getByName("10.0.0." + (client + 1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
