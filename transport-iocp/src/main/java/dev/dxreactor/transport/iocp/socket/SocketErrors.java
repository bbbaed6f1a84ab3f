package dev.dxreactor.transport.iocp.socket;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

/**
 * Winsock failures and failed operations' NTSTATUS as the exceptions Netty users already handle (the JDK's for
 * the same conditions), with the Windows name in the message and the {@link WindowsException} as the cause.
 */
public final class SocketErrors {

    private SocketErrors() {
    }

    /** The failure of a completed overlapped operation. */
    public static IOException ofStatus(String function, int status) {
        return translate(WindowsException.ntStatus(function, status));
    }

    /**
     * The JDK's exception for {@code e}'s condition, with {@code e} as its cause; {@code e} itself when the JDK
     * has none for it. An NTSTATUS is read as the Winsock error ws2_32 reports for it.
     */
    public static IOException translate(WindowsException e) {
        int code = e.isNtStatus() ? NtStatus.toWinsock(e.code()) : e.code();
        IOException translated = switch (code) {
            case Win32Error.WSAECONNRESET -> new SocketException("Connection reset by peer (" + e.codeName() + ")");
            case Win32Error.WSAECONNABORTED -> new SocketException("Connection aborted (" + e.codeName() + ")");
            case Win32Error.WSAESHUTDOWN -> new SocketException("Broken pipe: the socket was shut down (" + e.codeName() + ")");
            case Win32Error.WSAECONNREFUSED -> new ConnectException("Connection refused (" + e.codeName() + ")");
            case Win32Error.WSAETIMEDOUT -> new ConnectException("Connection timed out (" + e.codeName() + ")");
            case Win32Error.WSAEHOSTUNREACH, Win32Error.WSAENETUNREACH ->
                    new NoRouteToHostException("No route to host (" + e.codeName() + ")");
            case Win32Error.WSAEADDRINUSE -> new BindException("Address already in use (" + e.codeName() + ")");
            case Win32Error.WSAEADDRNOTAVAIL -> new BindException("Cannot assign requested address (" + e.codeName() + ")");
            default -> null;
        };
        if (translated == null) {
            return e;
        }
        translated.initCause(e);
        return translated;
    }
}
