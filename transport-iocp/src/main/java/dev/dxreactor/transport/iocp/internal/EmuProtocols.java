package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.WsaProtocolInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Winsock catalog of the emulated kernel: the four base providers a plain Windows installation lists (all
 * IFS), and the layered providers a test installed. Thread-safe.
 */
final class EmuProtocols {

    /** {@code dwServiceFlags1} of Microsoft's TCP base providers: IFS handles, graceful close, expedited data... */
    private static final int MSAFD_TCP_FLAGS = 0x20066;
    private static final int MSAFD_UDP_FLAGS = 0x20609;
    private static final int IPPROTO_UDP = 17;
    private static final int FIRST_LAYERED_ID = 1100;

    private final List<WsaProtocolInfo> entries = new ArrayList<>(List.of(
            new WsaProtocolInfo("MSAFD Tcpip [TCP/IP]", 1001, MSAFD_TCP_FLAGS, 1, Winsock.AF_INET, Winsock.IPPROTO_TCP),
            new WsaProtocolInfo("MSAFD Tcpip [UDP/IP]", 1002, MSAFD_UDP_FLAGS, 1, Winsock.AF_INET, IPPROTO_UDP),
            new WsaProtocolInfo("MSAFD Tcpip [TCP/IPv6]", 1003, MSAFD_TCP_FLAGS, 1, Winsock.AF_INET6,
                    Winsock.IPPROTO_TCP),
            new WsaProtocolInfo("MSAFD Tcpip [UDP/IPv6]", 1004, MSAFD_UDP_FLAGS, 1, Winsock.AF_INET6, IPPROTO_UDP)));

    synchronized List<WsaProtocolInfo> list() {
        return List.copyOf(entries);
    }

    /** A layered provider (chain length 0) over TCP/IP, as an installed LSP adds one. */
    synchronized void installLayered(String name, boolean ifs) {
        Objects.requireNonNull(name, "name");
        if (name.length() > WsaProtocolInfo.PROTOCOL_NAME_LENGTH) {
            throw new IllegalArgumentException("a provider name has at most " + WsaProtocolInfo.PROTOCOL_NAME_LENGTH
                    + " characters, not " + name.length());
        }
        int flags = ifs ? MSAFD_TCP_FLAGS : MSAFD_TCP_FLAGS & ~WsaProtocolInfo.XP1_IFS_HANDLES;
        entries.add(new WsaProtocolInfo(name, FIRST_LAYERED_ID + entries.size(), flags, 0, Winsock.AF_INET,
                Winsock.IPPROTO_TCP));
    }
}
