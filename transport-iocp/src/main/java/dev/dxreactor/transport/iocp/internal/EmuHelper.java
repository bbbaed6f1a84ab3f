package dev.dxreactor.transport.iocp.internal;

/** An emulated {@code \Device\Afd\...} helper handle: a carrier of polls that is not a socket. */
final class EmuHelper {

    final long handle;
    final String name;
    EmuPort port;
    long key;
    int notificationModes;

    EmuHelper(long handle, String name) {
        this.handle = handle;
        this.name = name;
    }
}
