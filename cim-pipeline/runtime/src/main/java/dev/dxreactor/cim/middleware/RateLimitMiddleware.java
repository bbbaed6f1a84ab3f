package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.Middleware;
import dev.dxreactor.cim.MiddlewareContext;
import io.netty.util.concurrent.FastThreadLocal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Token-bucket rate limiting, answering 429 / {@code RESOURCE_EXHAUSTED} with a retry hint
 * ({@code Retry-After} / {@code retry-after-ms}) when a key's bucket is empty.
 *
 * <p>Buckets live per event loop thread: no lock and no shared counter on the hot path. The limit therefore
 * holds per key <em>and loop</em>: one connection stays on one loop and sees exactly the configured rate,
 * while a client whose connections land on {@code n} different loops can reach up to {@code n} times it
 * (and a fleet of servers multiplies that again). Size {@link RateLimitConfig} with that in mind, or keep a
 * client's connections on one loop.
 */
public final class RateLimitMiddleware implements Middleware<CimRequest, CimResponse> {

    private final RateLimitConfig settings;
    private final LongSupplier clock;
    private final FastThreadLocal<LoopBuckets> buckets = new FastThreadLocal<>() {
        @Override
        protected LoopBuckets initialValue() {
            return new LoopBuckets(settings);
        }
    };

    public RateLimitMiddleware(CimConfig config) {
        this.settings = config.rateLimit();
        this.clock = config.nanoClock();
    }

    @Override
    public CimResponse before(MiddlewareContext context, CimRequest request) {
        long waitNanos = buckets.get().acquire(keyOf(context, request), clock.getAsLong());
        if (waitNanos == 0) {
            return null;
        }
        return request.reply(CimStatus.RESOURCE_EXHAUSTED, "rate limit exceeded")
                .retryAfter(Duration.ofNanos(waitNanos));
    }

    private Object keyOf(MiddlewareContext context, CimRequest request) {
        if (settings.key() == RateLimitKey.SUBJECT && context.subject() != null) {
            return context.subject();
        }
        SocketAddress remote = request.remoteAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress() : remote;
    }

    /** The calling thread's buckets (tests check that loops keep to their own). */
    LoopBuckets bucketsOfThisThread() {
        return buckets.get();
    }
}
