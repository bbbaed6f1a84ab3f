package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;

/**
 * Finds the base socket under layered service providers, as wepoll (8dc6115) does: {@code SIO_BASE_HANDLE}
 * first. When a provider refuses it, the next layer down comes from {@code SIO_BSP_HANDLE_POLL},
 * {@code SIO_BSP_HANDLE_SELECT} or {@code SIO_BSP_HANDLE} (the first that answers with another handle, mio #1316),
 * and {@code SIO_BASE_HANDLE} is asked again on that one, so that every layer is peeled. When a lower layer
 * cannot be unwrapped further, the deepest handle reached is the answer.
 */
final class BaseHandleResolver {

    /** One {@code WSAIoctl} returning a handle. */
    interface HandleIoctl {
        long query(long socket, int code) throws WindowsException;
    }

    /** How many providers deep the search goes: a chain longer than this is a provider that answers in a loop. */
    static final int MAX_LAYERS = 16;

    private static final int[] FALLBACKS = {
        Winsock.SIO_BSP_HANDLE_POLL, Winsock.SIO_BSP_HANDLE_SELECT, Winsock.SIO_BSP_HANDLE
    };

    private BaseHandleResolver() {
    }

    static long resolve(long socket, HandleIoctl ioctl) throws WindowsException {
        WindowsException refused = null;
        long[] seen = new long[MAX_LAYERS + 1];
        seen[0] = socket;
        long current = socket;
        for (int layer = 1; ; layer++) {
            try {
                return ioctl.query(current, Winsock.SIO_BASE_HANDLE);
            } catch (WindowsException e) {
                if (refused == null) {
                    refused = e;
                } else if (e != refused) {
                    refused.addSuppressed(e);
                }
                if (e.code() == Win32Error.WSAENOTSOCK && !e.isNtStatus()) {
                    // Not a socket at all: no layer below will answer either.
                    throw refused;
                }
            }
            long lower = lowerLayer(current, seen, layer, ioctl, refused);
            if (lower == Winsock.INVALID_HANDLE) {
                if (current == socket) {
                    throw refused;
                }
                return current;
            }
            if (layer == MAX_LAYERS) {
                return lower;
            }
            seen[layer] = lower;
            current = lower;
        }
    }

    /** The handle one provider down from {@code socket}, or INVALID_HANDLE when no fallback names a new one. */
    private static long lowerLayer(long socket, long[] seen, int layers, HandleIoctl ioctl,
            WindowsException refused) {
        for (int code : FALLBACKS) {
            try {
                long handle = ioctl.query(socket, code);
                if (handle != Winsock.INVALID_HANDLE && !contains(seen, layers, handle)) {
                    return handle;
                }
            } catch (WindowsException e) {
                if (e != refused) {
                    refused.addSuppressed(e);
                }
            }
        }
        return Winsock.INVALID_HANDLE;
    }

    private static boolean contains(long[] handles, int count, long handle) {
        for (int i = 0; i < count; i++) {
            if (handles[i] == handle) {
                return true;
            }
        }
        return false;
    }
}
