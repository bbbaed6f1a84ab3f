package dev.dxreactor.transport.iocp.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.UUID;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The x64 signatures of every Windows function the real kernel surface calls. HANDLE, SOCKET and ULONG_PTR
 * are passed as 64-bit integers (the same registers as pointers on x64); pointers to memory as addresses.
 * Plain data, so that they are checked on any system.
 */
final class WinSignatures {

    /** kernel32.dll. */
    static final Map<String, FunctionDescriptor> KERNEL32 = Map.ofEntries(
            Map.entry("CreateIoCompletionPort",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT)),
            Map.entry("GetQueuedCompletionStatusEx",
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
            Map.entry("PostQueuedCompletionStatus",
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG)),
            Map.entry("SetFileCompletionNotificationModes", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE)),
            Map.entry("CancelIoEx", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS)),
            Map.entry("CloseHandle", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
            Map.entry("CreateFileW", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT,
                    JAVA_INT, JAVA_LONG)),
            Map.entry("ReadFile", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("WriteFile", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("GetFileSizeEx", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS)),
            Map.entry("FlushFileBuffers", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)));

    /** ntdll.dll; NtCancelIoFileEx as it really is, not as Microsoft documents it. */
    static final Map<String, FunctionDescriptor> NTDLL = Map.of(
            "NtDeviceIoControlFile", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS,
                    JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT),
            "NtCancelIoFileEx", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS),
            "NtCreateFile", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT,
                    JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
            "RtlNtStatusToDosError", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /** ws2_32.dll. */
    static final Map<String, FunctionDescriptor> WS2_32 = Map.ofEntries(
            Map.entry("WSAStartup", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS)),
            Map.entry("WSASocketW",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
            Map.entry("ioctlsocket", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS)),
            Map.entry("bind", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT)),
            Map.entry("listen", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT)),
            Map.entry("accept", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS)),
            Map.entry("connect", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT)),
            Map.entry("recv", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT)),
            Map.entry("send", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT)),
            Map.entry("WSARecv", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS)),
            Map.entry("WSASend", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                    ADDRESS, ADDRESS)),
            Map.entry("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT)),
            Map.entry("closesocket", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
            Map.entry("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS)),
            Map.entry("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS)),
            Map.entry("WSAEnumProtocolsW", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
            Map.entry("WSAIoctl", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                    JAVA_INT, ADDRESS, ADDRESS, ADDRESS)));

    /** Extension functions, loaded through {@code WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER)}. */
    static final Map<String, FunctionDescriptor> EXTENSIONS = Map.of(
            "AcceptEx", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                    ADDRESS, ADDRESS),
            "ConnectEx", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                    ADDRESS),
            "GetAcceptExSockaddrs", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS),
            "TransmitFile", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                    JAVA_INT));

    /** The extension functions' GUIDs (WSAID_*), as written in mswsock.h. */
    static final Map<String, String> EXTENSION_GUIDS = Map.of(
            "AcceptEx", "b5367df1-cbac-11cf-95ca-00805f48a192",
            "ConnectEx", "25a207b9-ddf3-4660-8ee9-76e58c74063e",
            "GetAcceptExSockaddrs", "b5367df2-cbac-11cf-95ca-00805f48a192",
            "TransmitFile", "b5367df0-cbac-11cf-95ca-00805f48a192");

    private WinSignatures() {
    }

    /** A GUID in memory: Data1 (u32), Data2 and Data3 (u16) little-endian, then Data4's 8 bytes as written. */
    static void writeGuid(MemorySegment dst, UUID uuid) {
        long high = uuid.getMostSignificantBits();
        long low = uuid.getLeastSignificantBits();
        dst.set(ValueLayout.JAVA_INT_UNALIGNED, 0, (int) (high >>> 32));
        dst.set(ValueLayout.JAVA_SHORT_UNALIGNED, 4, (short) (high >>> 16));
        dst.set(ValueLayout.JAVA_SHORT_UNALIGNED, 6, (short) high);
        for (int i = 0; i < 8; i++) {
            dst.set(ValueLayout.JAVA_BYTE, 8 + i, (byte) (low >>> (56 - 8 * i)));
        }
    }
}
