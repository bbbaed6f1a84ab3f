package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.UUID;

/**
 * The downcall handles of kernel32, ntdll and ws2_32 (and the Winsock extension functions). Built only on
 * Windows: capturing {@code GetLastError} is not possible elsewhere.
 */
final class WinApi {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle LAST_ERROR =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("GetLastError"));
    private static final VarHandle WSA_LAST_ERROR =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("WSAGetLastError"));
    private static final ThreadLocal<MemorySegment> CAPTURED =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    final MethodHandle createIoCompletionPort;
    final MethodHandle getQueuedCompletionStatusEx;
    final MethodHandle postQueuedCompletionStatus;
    final MethodHandle setFileCompletionNotificationModes;
    final MethodHandle cancelIoEx;
    final MethodHandle closeHandle;
    final MethodHandle createFileW;
    final MethodHandle readFile;
    final MethodHandle writeFile;
    final MethodHandle getFileSizeEx;
    final MethodHandle flushFileBuffers;
    final MethodHandle ntDeviceIoControlFile;
    final MethodHandle ntCancelIoFileEx;
    final MethodHandle ntCreateFile;
    final MethodHandle rtlNtStatusToDosError;
    final MethodHandle wsaSocketW;
    final MethodHandle ioctlsocket;
    final MethodHandle bind;
    final MethodHandle listen;
    final MethodHandle accept;
    final MethodHandle connect;
    final MethodHandle recv;
    final MethodHandle send;
    final MethodHandle wsaRecv;
    final MethodHandle wsaSend;
    final MethodHandle shutdown;
    final MethodHandle closesocket;
    final MethodHandle getsockopt;
    final MethodHandle setsockopt;
    final MethodHandle getsockname;
    final MethodHandle getpeername;
    final MethodHandle wsaIoctl;
    final MethodHandle wsaEnumProtocolsW;
    final MethodHandle acceptEx;
    final MethodHandle connectEx;
    final MethodHandle getAcceptExSockaddrs;
    final MethodHandle transmitFile;

    WinApi(Arena arena) throws WindowsException {
        SymbolLookup kernel32 = SymbolLookup.libraryLookup("kernel32", arena);
        SymbolLookup ntdll = SymbolLookup.libraryLookup("ntdll", arena);
        SymbolLookup ws2 = SymbolLookup.libraryLookup("ws2_32", arena);
        createIoCompletionPort = captured(kernel32, WinSignatures.KERNEL32, "CreateIoCompletionPort");
        getQueuedCompletionStatusEx = captured(kernel32, WinSignatures.KERNEL32, "GetQueuedCompletionStatusEx");
        postQueuedCompletionStatus = captured(kernel32, WinSignatures.KERNEL32, "PostQueuedCompletionStatus");
        setFileCompletionNotificationModes =
                captured(kernel32, WinSignatures.KERNEL32, "SetFileCompletionNotificationModes");
        cancelIoEx = captured(kernel32, WinSignatures.KERNEL32, "CancelIoEx");
        closeHandle = captured(kernel32, WinSignatures.KERNEL32, "CloseHandle");
        createFileW = captured(kernel32, WinSignatures.KERNEL32, "CreateFileW");
        readFile = captured(kernel32, WinSignatures.KERNEL32, "ReadFile");
        writeFile = captured(kernel32, WinSignatures.KERNEL32, "WriteFile");
        getFileSizeEx = captured(kernel32, WinSignatures.KERNEL32, "GetFileSizeEx");
        flushFileBuffers = captured(kernel32, WinSignatures.KERNEL32, "FlushFileBuffers");
        ntDeviceIoControlFile = plain(ntdll, WinSignatures.NTDLL, "NtDeviceIoControlFile");
        ntCancelIoFileEx = plain(ntdll, WinSignatures.NTDLL, "NtCancelIoFileEx");
        ntCreateFile = plain(ntdll, WinSignatures.NTDLL, "NtCreateFile");
        rtlNtStatusToDosError = plain(ntdll, WinSignatures.NTDLL, "RtlNtStatusToDosError");
        wsaSocketW = captured(ws2, WinSignatures.WS2_32, "WSASocketW");
        ioctlsocket = captured(ws2, WinSignatures.WS2_32, "ioctlsocket");
        bind = captured(ws2, WinSignatures.WS2_32, "bind");
        listen = captured(ws2, WinSignatures.WS2_32, "listen");
        accept = captured(ws2, WinSignatures.WS2_32, "accept");
        connect = captured(ws2, WinSignatures.WS2_32, "connect");
        recv = captured(ws2, WinSignatures.WS2_32, "recv");
        send = captured(ws2, WinSignatures.WS2_32, "send");
        wsaRecv = captured(ws2, WinSignatures.WS2_32, "WSARecv");
        wsaSend = captured(ws2, WinSignatures.WS2_32, "WSASend");
        shutdown = captured(ws2, WinSignatures.WS2_32, "shutdown");
        closesocket = captured(ws2, WinSignatures.WS2_32, "closesocket");
        getsockopt = captured(ws2, WinSignatures.WS2_32, "getsockopt");
        setsockopt = captured(ws2, WinSignatures.WS2_32, "setsockopt");
        getsockname = captured(ws2, WinSignatures.WS2_32, "getsockname");
        getpeername = captured(ws2, WinSignatures.WS2_32, "getpeername");
        wsaIoctl = captured(ws2, WinSignatures.WS2_32, "WSAIoctl");
        wsaEnumProtocolsW = captured(ws2, WinSignatures.WS2_32, "WSAEnumProtocolsW");

        startup(arena, plain(ws2, WinSignatures.WS2_32, "WSAStartup"));
        long probe = probeSocket();
        try {
            acceptEx = extension(arena, probe, "AcceptEx", true);
            connectEx = extension(arena, probe, "ConnectEx", true);
            getAcceptExSockaddrs = extension(arena, probe, "GetAcceptExSockaddrs", false);
            transmitFile = extension(arena, probe, "TransmitFile", true);
        } finally {
            try {
                int ignored = (int) closesocket.invokeExact(captured(), probe);
            } catch (Throwable e) {
                throw rethrow(e);
            }
        }
    }

    static MemorySegment captured() {
        return CAPTURED.get();
    }

    static int lastError() {
        return (int) LAST_ERROR.get(CAPTURED.get(), 0L);
    }

    static int wsaLastError() {
        return (int) WSA_LAST_ERROR.get(CAPTURED.get(), 0L);
    }

    private static MethodHandle captured(SymbolLookup library, Map<String, FunctionDescriptor> table, String name) {
        return LINKER.downcallHandle(symbol(library, name), table.get(name),
                Linker.Option.captureCallState("GetLastError", "WSAGetLastError"));
    }

    private static MethodHandle plain(SymbolLookup library, Map<String, FunctionDescriptor> table, String name) {
        return LINKER.downcallHandle(symbol(library, name), table.get(name));
    }

    private static MemorySegment symbol(SymbolLookup library, String name) {
        return library.find(name).orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in its DLL"));
    }

    private static void startup(Arena arena, MethodHandle wsaStartup) throws WindowsException {
        MemorySegment data = arena.allocate(NtLayouts.WSADATA_SIZE, 8);
        int result;
        try {
            result = (int) wsaStartup.invokeExact((short) 0x0202, data);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (result != 0) {
            throw WindowsException.win32("WSAStartup", result);
        }
    }

    private long probeSocket() throws WindowsException {
        long socket;
        try {
            socket = (long) wsaSocketW.invokeExact(captured(), Winsock.AF_INET, Winsock.SOCK_STREAM,
                    Winsock.IPPROTO_TCP, MemorySegment.NULL, 0,
                    Winsock.WSA_FLAG_OVERLAPPED | Winsock.WSA_FLAG_NO_HANDLE_INHERIT);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (socket == Winsock.INVALID_HANDLE) {
            throw WindowsException.win32("WSASocketW", wsaLastError());
        }
        return socket;
    }

    private MethodHandle extension(Arena arena, long socket, String name, boolean capture) throws WindowsException {
        MemorySegment guid = arena.allocate(16, 8);
        WinSignatures.writeGuid(guid, UUID.fromString(WinSignatures.EXTENSION_GUIDS.get(name)));
        MemorySegment pointer = arena.allocate(ValueLayout.ADDRESS);
        MemorySegment returned = arena.allocate(ValueLayout.JAVA_INT);
        int result;
        try {
            result = (int) wsaIoctl.invokeExact(captured(), socket, Winsock.SIO_GET_EXTENSION_FUNCTION_POINTER,
                    guid, 16, pointer, (int) ValueLayout.ADDRESS.byteSize(), returned, MemorySegment.NULL,
                    MemorySegment.NULL);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (result != 0) {
            throw WindowsException.win32("WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER " + name + ")", wsaLastError());
        }
        MemorySegment function = pointer.get(ValueLayout.ADDRESS, 0);
        FunctionDescriptor descriptor = WinSignatures.EXTENSIONS.get(name);
        return capture
                ? LINKER.downcallHandle(function, descriptor,
                        Linker.Option.captureCallState("GetLastError", "WSAGetLastError"))
                : LINKER.downcallHandle(function, descriptor);
    }

    static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("a Windows downcall threw a checked exception", e);
    }
}
