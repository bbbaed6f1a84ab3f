package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/** The emulated kernel's handle table: ports, AFD helpers and sockets by handle value; values are never reused. */
final class EmuHandles {

    private final Map<Long, Object> table = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(0x1000);

    /** Makes an object for a fresh handle value and enters it. */
    long add(LongFunction<Object> make) {
        long handle = next.getAndAdd(4);
        table.put(handle, make.apply(handle));
        return handle;
    }

    Object get(long handle) {
        return table.get(handle);
    }

    /** Removes {@code handle} if it still names {@code object}: false when another close came first. */
    boolean remove(long handle, Object object) {
        return table.remove(handle, object);
    }

    /** The socket named by {@code handle}; the caller locks it and checks it is still open. */
    EmuSocket socket(String function, long handle) throws WindowsException {
        if (table.get(handle) instanceof EmuSocket s) {
            return s;
        }
        throw WindowsException.win32(function, Win32Error.WSAENOTSOCK);
    }

    EmuPort port(String function, long handle) throws WindowsException {
        if (table.get(handle) instanceof EmuPort p && !p.closed) {
            return p;
        }
        throw WindowsException.win32(function, Win32Error.ERROR_INVALID_HANDLE);
    }
}
