package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.WindowsKernel;

/**
 * Whether the IOCP transport can run here: on Windows, or on Linux over the emulated kernel surface when the
 * JVM runs with {@code -Ddx.windows.emulate=true} (for tests; see {@link WindowsKernel#current()}).
 */
public final class Iocp {

    private Iocp() {
    }

    public static boolean isAvailable() {
        return kernel().isAvailable();
    }

    /** Why {@link #isAvailable()} is false; {@code null} when it is available. */
    public static Throwable unavailabilityCause() {
        return kernel().unavailabilityCause();
    }

    /** @throws UnsupportedOperationException with the reason, when the transport cannot run here */
    public static void ensureAvailability() {
        if (!isAvailable()) {
            throw (UnsupportedOperationException) new UnsupportedOperationException(
                    "the IOCP transport is not available here").initCause(unavailabilityCause());
        }
    }

    static WindowsKernel kernel() {
        return WindowsKernel.current();
    }
}
