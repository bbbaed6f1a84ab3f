package dev.dxreactor.transport.iocp;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One Winsock catalog entry as {@code WSAEnumProtocolsW} reports it ({@code WSAPROTOCOL_INFOW}, 628 bytes), with
 * the fields that decide whether skip-completion-port-on-success is safe: a socket of a provider without
 * {@link #XP1_IFS_HANDLES} is not a kernel file object, and its completions may bypass the I/O manager's rules.
 *
 * @param name the provider's {@code szProtocol} ("MSAFD Tcpip [TCP/IP]")
 * @param catalogEntryId {@code dwCatalogEntryId}
 * @param serviceFlags1 {@code dwServiceFlags1} ({@code XP1_*} bits)
 * @param chainLength {@code ProtocolChain.ChainLen}: 0 a layered provider, 1 a base provider, more a chain
 * @param addressFamily {@code iAddressFamily}
 * @param protocol {@code iProtocol}
 */
public record WsaProtocolInfo(String name, int catalogEntryId, int serviceFlags1, int chainLength, int addressFamily,
        int protocol) {

    /** {@code dwServiceFlags1} bit: the provider's sockets are IFS handles. */
    public static final int XP1_IFS_HANDLES = 0x20000;

    /** {@code WSAPROTOCOL_LEN}: characters of {@code szProtocol}, without its terminating NUL. */
    public static final int PROTOCOL_NAME_LENGTH = 255;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("dwServiceFlags1"),
            ValueLayout.JAVA_INT.withName("dwServiceFlags2"),
            ValueLayout.JAVA_INT.withName("dwServiceFlags3"),
            ValueLayout.JAVA_INT.withName("dwServiceFlags4"),
            ValueLayout.JAVA_INT.withName("dwProviderFlags"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("ProviderId"),
            ValueLayout.JAVA_INT.withName("dwCatalogEntryId"),
            MemoryLayout.structLayout(
                    ValueLayout.JAVA_INT.withName("ChainLen"),
                    MemoryLayout.sequenceLayout(7, ValueLayout.JAVA_INT).withName("ChainEntries"))
                    .withName("ProtocolChain"),
            ValueLayout.JAVA_INT.withName("iVersion"),
            ValueLayout.JAVA_INT.withName("iAddressFamily"),
            ValueLayout.JAVA_INT.withName("iMaxSockAddr"),
            ValueLayout.JAVA_INT.withName("iMinSockAddr"),
            ValueLayout.JAVA_INT.withName("iSocketType"),
            ValueLayout.JAVA_INT.withName("iProtocol"),
            ValueLayout.JAVA_INT.withName("iProtocolMaxOffset"),
            ValueLayout.JAVA_INT.withName("iNetworkByteOrder"),
            ValueLayout.JAVA_INT.withName("iSecurityScheme"),
            ValueLayout.JAVA_INT.withName("dwMessageSize"),
            ValueLayout.JAVA_INT.withName("dwProviderReserved"),
            MemoryLayout.sequenceLayout(PROTOCOL_NAME_LENGTH + 1, ValueLayout.JAVA_CHAR).withName("szProtocol"))
            .withName("WSAPROTOCOL_INFOW");

    public static final long SIZE = 628;
    public static final long SERVICE_FLAGS1 = 0;
    public static final long CATALOG_ENTRY_ID = 36;
    public static final long CHAIN_LEN = 40;
    public static final long ADDRESS_FAMILY = 76;
    public static final long PROTOCOL = 92;
    public static final long SZ_PROTOCOL = 116;

    /** Whether the provider hands out IFS handles. */
    public boolean isIfs() {
        return (serviceFlags1 & XP1_IFS_HANDLES) != 0;
    }

    /**
     * Entry {@code index} of an array {@code WSAEnumProtocolsW} filled.
     *
     * @throws IndexOutOfBoundsException when the entry is not wholly inside {@code array}
     */
    public static WsaProtocolInfo read(MemorySegment array, int index) {
        MemorySegment e = array.asSlice(Math.multiplyExact(index, SIZE), SIZE);
        int chars = 0;
        while (chars < PROTOCOL_NAME_LENGTH && e.get(ValueLayout.JAVA_CHAR_UNALIGNED, SZ_PROTOCOL + 2L * chars) != 0) {
            chars++;
        }
        byte[] name = e.asSlice(SZ_PROTOCOL, 2L * chars).toArray(ValueLayout.JAVA_BYTE);
        return new WsaProtocolInfo(new String(name, StandardCharsets.UTF_16LE),
                e.get(ValueLayout.JAVA_INT_UNALIGNED, CATALOG_ENTRY_ID),
                e.get(ValueLayout.JAVA_INT_UNALIGNED, SERVICE_FLAGS1),
                e.get(ValueLayout.JAVA_INT_UNALIGNED, CHAIN_LEN),
                e.get(ValueLayout.JAVA_INT_UNALIGNED, ADDRESS_FAMILY),
                e.get(ValueLayout.JAVA_INT_UNALIGNED, PROTOCOL));
    }
}
