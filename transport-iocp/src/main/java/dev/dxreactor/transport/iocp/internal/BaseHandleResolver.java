package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;

/**
 * Finds the base socket under layered service providers: {@code SIO_BASE_HANDLE} first; when a provider
 * refuses it, {@code SIO_BSP_HANDLE_POLL}, {@code SIO_BSP_HANDLE_SELECT} and {@code SIO_BSP_HANDLE}, taking the
 * first that answers with a handle other than the socket itself (wepoll 8dc6115, mio #1316).
 */
final class BaseHandleResolver {

    /** One {@code WSAIoctl} returning a handle. */
    interface HandleIoctl {
        long query(long socket, int code) throws WindowsException;
    }

    private static final int[] FALLBACKS = {
        Winsock.SIO_BSP_HANDLE_POLL, Winsock.SIO_BSP_HANDLE_SELECT, Winsock.SIO_BSP_HANDLE
    };

    private BaseHandleResolver() {
    }

    static long resolve(long socket, HandleIoctl ioctl) throws WindowsException {
        WindowsException refused;
        try {
            return ioctl.query(socket, Winsock.SIO_BASE_HANDLE);
        } catch (WindowsException e) {
            refused = e;
        }
        for (int code : FALLBACKS) {
            try {
                long handle = ioctl.query(socket, code);
                if (handle != socket && handle != Winsock.INVALID_HANDLE) {
                    return handle;
                }
            } catch (WindowsException e) {
                refused.addSuppressed(e);
            }
        }
        throw refused;
    }
}
