package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.MiddlewareContext;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which peers share a bucket when requests are counted by address: an IPv6 client gets a whole /64 (its
 * smallest usual allocation), so rotating addresses inside it does not buy fresh buckets; an IPv4 client is
 * one address, also when it arrives as an IPv4-mapped IPv6 address.
 */
class RateLimitAddressPropertyTest {

    /** One request per key and a clock that never moves: a second request under a key already used is refused. */
    private static RateLimitMiddleware oneRequestPerKey() {
        return new RateLimitMiddleware(CimConfig.builder()
                .rateLimit(RateLimitConfig.builder().permitsPerSecond(1).burst(1).build())
                .nanoClock(() -> 1_000_000_000L).build());
    }

    private static boolean admitted(RateLimitMiddleware limit, InetAddress peer) {
        return limit.before(new MiddlewareContext(0), new PlainRequest(peer)) == null;
    }

    /**
     * The upper 64 bits of an IPv6 address, leaving out {@code ::/64}: it holds the IPv4-mapped range, whose
     * addresses are counted as the IPv4 address they carry.
     */
    @Provide
    Arbitrary<Long> prefixes() {
        return Arbitraries.longs().filter(prefix -> prefix != 0);
    }

    @Property(tries = 200)
    void addressesInOneSlash64ShareABucket(@ForAll("prefixes") long prefix, @ForAll long firstInterface,
                                           @ForAll long secondInterface) {
        RateLimitMiddleware limit = oneRequestPerKey();
        assertThat(admitted(limit, ipv6(prefix, firstInterface))).isTrue();
        assertThat(admitted(limit, ipv6(prefix, secondInterface)))
                .as("%s after %s", ipv6(prefix, secondInterface), ipv6(prefix, firstInterface)).isFalse();
    }

    @Property(tries = 200)
    void addressesInDifferentSlash64sHaveTheirOwnBuckets(@ForAll("prefixes") long firstPrefix,
                                                         @ForAll("prefixes") long secondPrefix,
                                                         @ForAll long firstInterface, @ForAll long secondInterface) {
        Assume.that(firstPrefix != secondPrefix);
        RateLimitMiddleware limit = oneRequestPerKey();
        assertThat(admitted(limit, ipv6(firstPrefix, firstInterface))).isTrue();
        assertThat(admitted(limit, ipv6(secondPrefix, secondInterface)))
                .as("%s after %s", ipv6(secondPrefix, secondInterface), ipv6(firstPrefix, firstInterface)).isTrue();
    }

    @Property(tries = 200)
    void eachIpv4AddressHasItsOwnBucket(@ForAll int first, @ForAll int second) {
        Assume.that(first != second);
        RateLimitMiddleware limit = oneRequestPerKey();
        assertThat(admitted(limit, ipv4(first))).isTrue();
        assertThat(admitted(limit, ipv4(second))).isTrue();
        assertThat(admitted(limit, ipv4(first))).isFalse();
    }

    @Property(tries = 200)
    void anIpv4MappedIpv6AddressSharesItsIpv4AddressBucket(@ForAll int address, @ForAll boolean mappedFirst) {
        RateLimitMiddleware limit = oneRequestPerKey();
        InetAddress plain = ipv4(address);
        InetAddress mapped = ipv4Mapped(address);
        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(admitted(limit, mappedFirst ? mapped : plain)).isTrue();
        assertThat(admitted(limit, mappedFirst ? plain : mapped)).isFalse();
    }

    private static InetAddress ipv6(long prefix, long interfaceId) {
        try {
            return InetAddress.getByAddress(ByteBuffer.allocate(16).putLong(prefix).putLong(interfaceId).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Inet4Address ipv4(int address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(address).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ::ffff:a.b.c.d} as an {@link Inet6Address}, as a dual-stack socket may report a peer. */
    private static Inet6Address ipv4Mapped(int address) {
        byte[] bytes = ByteBuffer.allocate(16).putLong(0).putShort((short) 0).putShort((short) 0xffff)
                .putInt(address).array();
        try {
            // InetAddress.getByAddress would turn these bytes into an Inet4Address; this keeps them IPv6.
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
