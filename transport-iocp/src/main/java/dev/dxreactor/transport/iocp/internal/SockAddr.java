package dev.dxreactor.transport.iocp.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code sockaddr_in} (16 bytes) and {@code sockaddr_in6} (28 bytes), which Windows and Linux lay out alike;
 * only the value of {@code AF_INET6} differs (23 and 10), so it is a parameter.
 */
final class SockAddr {

    /** Room for either. */
    static final int MAX_SIZE = 28;

    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SockAddr() {
    }

    /**
     * Writes {@code address} into {@code dst}; an IPv4 address for an IPv6 socket becomes {@code ::ffff:a.b.c.d}.
     *
     * @return the length of what was written
     */
    static int write(MemorySegment dst, InetSocketAddress address, boolean ipv6Socket, int afInet6) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        InetAddress ip = address.getAddress();
        dst.asSlice(0, MAX_SIZE).fill((byte) 0);
        if (!ipv6Socket) {
            if (!(ip instanceof Inet4Address)) {
                throw new IllegalArgumentException("an IPv4 socket cannot use the IPv6 address " + address);
            }
            dst.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) 2);
            dst.set(PORT, 2, (short) address.getPort());
            MemorySegment.copy(MemorySegment.ofArray(ip.getAddress()), 0, dst, 4, 4);
            return 16;
        }
        byte[] bytes = ip.getAddress();
        if (bytes.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        dst.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) afInet6);
        dst.set(PORT, 2, (short) address.getPort());
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, dst, 8, 16);
        if (ip instanceof Inet6Address v6) {
            dst.set(ValueLayout.JAVA_INT_UNALIGNED, 24, v6.getScopeId());
        }
        return 28;
    }

    /** Reads a {@code sockaddr_in} or {@code sockaddr_in6}; null for another family. */
    static InetSocketAddress read(MemorySegment src, int afInet6) {
        int family = Short.toUnsignedInt(src.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
        int port = Short.toUnsignedInt(src.get(PORT, 2));
        try {
            if (family == 2) {
                byte[] ip = src.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (family == afInet6) {
                byte[] ip = src.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
                int scope = src.get(ValueLayout.JAVA_INT_UNALIGNED, 24);
                return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte address is always valid", e);
        }
        return null;
    }
}
