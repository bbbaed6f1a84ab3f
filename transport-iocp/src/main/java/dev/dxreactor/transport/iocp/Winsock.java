package dev.dxreactor.transport.iocp;

/** Winsock constants of the kernel surface (Windows values; the emulated surface translates them). */
public final class Winsock {

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 23;
    public static final int SOCK_STREAM = 1;
    public static final int IPPROTO_TCP = 6;

    public static final int SOL_SOCKET = 0xFFFF;
    public static final int SO_REUSEADDR = 0x0004;
    public static final int SO_KEEPALIVE = 0x0008;
    public static final int SO_LINGER = 0x0080;
    public static final int SO_SNDBUF = 0x1001;
    public static final int SO_RCVBUF = 0x1002;
    public static final int SO_ERROR = 0x1007;
    public static final int SO_UPDATE_ACCEPT_CONTEXT = 0x700B;
    public static final int SO_UPDATE_CONNECT_CONTEXT = 0x7010;
    public static final int TCP_NODELAY = 0x0001;

    /** {@code recv} flag: look at the data without taking it. */
    public static final int MSG_PEEK = 0x2;

    public static final int SD_RECEIVE = 0;
    public static final int SD_SEND = 1;
    public static final int SD_BOTH = 2;

    public static final int WSA_FLAG_OVERLAPPED = 0x01;
    public static final int WSA_FLAG_NO_HANDLE_INHERIT = 0x80;
    public static final int FIONBIO = 0x8004667E;

    public static final int SIO_BASE_HANDLE = 0x48000022;
    public static final int SIO_BSP_HANDLE = 0x4800001B;
    public static final int SIO_BSP_HANDLE_SELECT = 0x4800001C;
    public static final int SIO_BSP_HANDLE_POLL = 0x4800001D;
    public static final int SIO_GET_EXTENSION_FUNCTION_POINTER = 0xC8000006;

    public static final int FILE_SKIP_COMPLETION_PORT_ON_SUCCESS = 0x1;
    public static final int FILE_SKIP_SET_EVENT_ON_HANDLE = 0x2;

    /** {@code INVALID_SOCKET} and {@code INVALID_HANDLE_VALUE}: all bits set. */
    public static final long INVALID_HANDLE = -1L;

    /** Bytes AcceptEx needs per address slot: {@code sizeof(SOCKADDR_IN6) + 16}. */
    public static final int ACCEPTEX_ADDRESS_LENGTH = 28 + 16;

    private Winsock() {
    }
}
