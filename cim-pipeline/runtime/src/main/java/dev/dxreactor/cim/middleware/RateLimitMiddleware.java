package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.Middleware;
import dev.dxreactor.cim.MiddlewareContext;
import io.netty.util.concurrent.FastThreadLocal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
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
 *
 * <p>Counted by address, an IPv4 peer is one address and an IPv6 peer its whole /64 (see
 * {@link RateLimitKey#REMOTE_ADDRESS}).
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
        return addressKey(request.remoteAddress());
    }

    /**
     * The bucket key of a peer: an IPv4 address as itself (also when it comes as an IPv4-mapped IPv6
     * address); an IPv6 address by its /64, since a host gets a whole /64 and picks addresses in it freely
     * (privacy extensions alone rotate them), so one key per address would hand an attacker fresh buckets at
     * will; anything else (a local channel's address) as it is.
     */
    private static Object addressKey(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return remote;
        }
        InetAddress address = inet.getAddress();
        if (address instanceof Inet4Address) {
            return address;
        }
        byte[] ipv6 = address.getAddress();
        if (isIpv4Mapped(ipv6)) {
            try {
                // Given the 16 mapped bytes, getByAddress answers the Inet4Address they carry.
                return InetAddress.getByAddress(ipv6);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("16 address bytes refused", e);
            }
        }
        long prefix = 0;
        for (int i = 0; i < 8; i++) {
            prefix = prefix << 8 | (ipv6[i] & 0xff);
        }
        return new Ipv6Slash64(prefix);
    }

    /** {@code ::ffff:a.b.c.d}: ten zero bytes, two {@code 0xff}, then the IPv4 address. */
    private static boolean isIpv4Mapped(byte[] ipv6) {
        for (int i = 0; i < 10; i++) {
            if (ipv6[i] != 0) {
                return false;
            }
        }
        return ipv6[10] == (byte) 0xff && ipv6[11] == (byte) 0xff;
    }

    /** The key of every IPv6 address whose upper 64 bits are {@code prefix}. */
    private record Ipv6Slash64(long prefix) {
    }

    /** The calling thread's buckets (tests check that loops keep to their own). */
    LoopBuckets bucketsOfThisThread() {
        return buckets.get();
    }
}
