package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Win32Error;

/** What Winsock answers where Linux answers an errno (the emulated surface's translation). */
final class Errno {

    private Errno() {
    }

    static int toWinsock(int errno) {
        return switch (errno) {
            case 4 -> Win32Error.WSAEINTR;
            case 9, 88 -> Win32Error.WSAENOTSOCK;
            case 11, 115 -> Win32Error.WSAEWOULDBLOCK;
            case 12, 105 -> Win32Error.WSAENOBUFS;
            case 13 -> Win32Error.WSAEACCES;
            case 14 -> Win32Error.WSAEFAULT;
            case 22 -> Win32Error.WSAEINVAL;
            case 24 -> Win32Error.WSAEMFILE;
            case 32 -> Win32Error.WSAESHUTDOWN;
            case 90 -> Win32Error.WSAEMSGSIZE;
            case 92 -> Win32Error.WSAENOPROTOOPT;
            case 93 -> Win32Error.WSAEPROTONOSUPPORT;
            case 95 -> Win32Error.WSAEOPNOTSUPP;
            case 97 -> Win32Error.WSAEAFNOSUPPORT;
            case 98 -> Win32Error.WSAEADDRINUSE;
            case 99 -> Win32Error.WSAEADDRNOTAVAIL;
            case 100 -> Win32Error.WSAENETDOWN;
            case 101 -> Win32Error.WSAENETUNREACH;
            case 103 -> Win32Error.WSAECONNABORTED;
            case 104 -> Win32Error.WSAECONNRESET;
            case 106 -> Win32Error.WSAEISCONN;
            case 107 -> Win32Error.WSAENOTCONN;
            case 110 -> Win32Error.WSAETIMEDOUT;
            case 111 -> Win32Error.WSAECONNREFUSED;
            case 113 -> Win32Error.WSAEHOSTUNREACH;
            case 114 -> Win32Error.WSAEALREADY;
            default -> Win32Error.WSAEINVAL;
        };
    }

    /** The NTSTATUS of a failed connect or transfer, as AFD reports it in a completion. */
    static int toNtStatus(int errno) {
        return switch (errno) {
            case 111 -> NtStatus.CONNECTION_REFUSED;
            case 104, 32 -> NtStatus.CONNECTION_RESET;
            case 103 -> NtStatus.CONNECTION_ABORTED;
            case 110 -> NtStatus.IO_TIMEOUT;
            case 101 -> NtStatus.NETWORK_UNREACHABLE;
            case 113 -> NtStatus.HOST_UNREACHABLE;
            default -> NtStatus.INVALID_PARAMETER;
        };
    }
}
