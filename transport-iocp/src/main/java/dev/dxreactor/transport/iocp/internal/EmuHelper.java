package dev.dxreactor.transport.iocp.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** An emulated {@code \Device\Afd\...} helper handle: a carrier of polls that is not a socket. */
final class EmuHelper {

    final long handle;
    final String name;
    volatile EmuPort port;
    volatile long key;
    volatile int notificationModes;
    /** Set under {@link #carried}'s monitor: no poll is carried after its close took the carried ones. */
    boolean closed;
    /** The pending polls it carries; a leaf monitor, taken inside socket locks only. */
    final Set<PollOperation> carried = Collections.synchronizedSet(new LinkedHashSet<>());

    EmuHelper(long handle, String name) {
        this.handle = handle;
        this.name = name;
    }
}
