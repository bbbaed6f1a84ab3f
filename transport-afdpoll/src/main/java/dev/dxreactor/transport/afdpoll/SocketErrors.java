package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

/**
 * Winsock failures as the exceptions Netty users already handle: the ones the JDK's own sockets throw for the
 * same conditions, with the Winsock name kept in the message and the original as the cause.
 */
final class SocketErrors {

    private SocketErrors() {
    }

    static IOException translate(WindowsException e) {
        IOException translated = switch (e.win32Code()) {
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
