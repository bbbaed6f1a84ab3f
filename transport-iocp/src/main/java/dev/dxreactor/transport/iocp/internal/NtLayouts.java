package dev.dxreactor.transport.iocp.internal;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/** The structs only the real bindings use, to open an AFD helper with NtCreateFile. */
final class NtLayouts {

    static final StructLayout UNICODE_STRING = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("Length"),
            ValueLayout.JAVA_SHORT.withName("MaximumLength"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("Buffer")).withName("UNICODE_STRING");

    static final StructLayout OBJECT_ATTRIBUTES = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("Length"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.JAVA_LONG.withName("RootDirectory"),
            ValueLayout.ADDRESS.withName("ObjectName"),
            ValueLayout.JAVA_INT.withName("Attributes"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("SecurityDescriptor"),
            ValueLayout.ADDRESS.withName("SecurityQualityOfService")).withName("OBJECT_ATTRIBUTES");

    /** {@code WSADATA} on x64, only filled by WSAStartup. */
    static final long WSADATA_SIZE = 408;

    /** NtCreateFile arguments for a helper handle, as wepoll and mio pass them. */
    static final int SYNCHRONIZE = 0x00100000;
    static final int FILE_SHARE_READ_WRITE = 0x1 | 0x2;
    static final int FILE_OPEN = 1;

    private NtLayouts() {
    }
}
