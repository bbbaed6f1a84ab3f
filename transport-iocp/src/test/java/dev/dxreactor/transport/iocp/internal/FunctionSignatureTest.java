package dev.dxreactor.transport.iocp.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The downcall descriptors against the C prototypes (x64: HANDLE/SOCKET/ULONG_PTR 8-byte integers, pointers
 * addresses, DWORD/ULONG/BOOL/NTSTATUS/int 4 bytes, WORD 2, UCHAR 1), written here as C type lists so that a
 * wrong argument count or width shows up on any system.
 */
class FunctionSignatureTest {

    private static final Map<String, String> PROTOTYPES = Map.ofEntries(
            Map.entry("CreateIoCompletionPort", "HANDLE(HANDLE,HANDLE,ULONG_PTR,DWORD)"),
            Map.entry("GetQueuedCompletionStatusEx", "BOOL(HANDLE,PTR,ULONG,PTR,DWORD,BOOL)"),
            Map.entry("PostQueuedCompletionStatus", "BOOL(HANDLE,DWORD,ULONG_PTR,ULONG_PTR)"),
            Map.entry("SetFileCompletionNotificationModes", "BOOL(HANDLE,UCHAR)"),
            Map.entry("CancelIoEx", "BOOL(HANDLE,PTR)"),
            Map.entry("CloseHandle", "BOOL(HANDLE)"),
            Map.entry("CreateFileW", "HANDLE(PTR,DWORD,DWORD,PTR,DWORD,DWORD,HANDLE)"),
            Map.entry("ReadFile", "BOOL(HANDLE,PTR,DWORD,PTR,PTR)"),
            Map.entry("WriteFile", "BOOL(HANDLE,PTR,DWORD,PTR,PTR)"),
            Map.entry("GetFileSizeEx", "BOOL(HANDLE,PTR)"),
            Map.entry("FlushFileBuffers", "BOOL(HANDLE)"),
            Map.entry("NtDeviceIoControlFile", "NTSTATUS(HANDLE,HANDLE,PTR,PTR,PTR,ULONG,PTR,ULONG,PTR,ULONG)"),
            Map.entry("NtCancelIoFileEx", "NTSTATUS(HANDLE,PTR,PTR)"),
            Map.entry("NtCreateFile", "NTSTATUS(PTR,ULONG,PTR,PTR,PTR,ULONG,ULONG,ULONG,ULONG,PTR,ULONG)"),
            Map.entry("RtlNtStatusToDosError", "ULONG(NTSTATUS)"),
            Map.entry("WSAStartup", "int(WORD,PTR)"),
            Map.entry("WSASocketW", "SOCKET(int,int,int,PTR,DWORD,DWORD)"),
            Map.entry("ioctlsocket", "int(SOCKET,DWORD,PTR)"),
            Map.entry("bind", "int(SOCKET,PTR,int)"),
            Map.entry("listen", "int(SOCKET,int)"),
            Map.entry("accept", "SOCKET(SOCKET,PTR,PTR)"),
            Map.entry("connect", "int(SOCKET,PTR,int)"),
            Map.entry("recv", "int(SOCKET,PTR,int,int)"),
            Map.entry("send", "int(SOCKET,PTR,int,int)"),
            Map.entry("WSARecv", "int(SOCKET,PTR,DWORD,PTR,PTR,PTR,PTR)"),
            Map.entry("WSASend", "int(SOCKET,PTR,DWORD,PTR,DWORD,PTR,PTR)"),
            Map.entry("shutdown", "int(SOCKET,int)"),
            Map.entry("closesocket", "int(SOCKET)"),
            Map.entry("getsockopt", "int(SOCKET,int,int,PTR,PTR)"),
            Map.entry("setsockopt", "int(SOCKET,int,int,PTR,int)"),
            Map.entry("getsockname", "int(SOCKET,PTR,PTR)"),
            Map.entry("getpeername", "int(SOCKET,PTR,PTR)"),
            Map.entry("WSAEnumProtocolsW", "int(PTR,PTR,PTR)"),
            Map.entry("WSAIoctl", "int(SOCKET,DWORD,PTR,DWORD,PTR,DWORD,PTR,PTR,PTR)"),
            Map.entry("AcceptEx", "BOOL(SOCKET,SOCKET,PTR,DWORD,DWORD,DWORD,PTR,PTR)"),
            Map.entry("ConnectEx", "BOOL(SOCKET,PTR,int,PTR,DWORD,PTR,PTR)"),
            Map.entry("GetAcceptExSockaddrs", "void(PTR,DWORD,DWORD,DWORD,PTR,PTR,PTR,PTR)"),
            Map.entry("TransmitFile", "BOOL(SOCKET,HANDLE,DWORD,DWORD,PTR,PTR,DWORD)"));

    private static String kind(String cType) {
        return switch (cType) {
            case "HANDLE", "SOCKET", "ULONG_PTR" -> "J";
            case "PTR" -> "A";
            case "DWORD", "ULONG", "BOOL", "NTSTATUS", "int" -> "I";
            case "WORD" -> "S";
            case "UCHAR" -> "B";
            case "void" -> "V";
            default -> throw new IllegalArgumentException(cType);
        };
    }

    private static String kind(MemoryLayout layout) {
        if (layout instanceof java.lang.foreign.AddressLayout) {
            return "A";
        }
        if (layout.equals(ValueLayout.JAVA_LONG)) {
            return "J";
        }
        if (layout.equals(ValueLayout.JAVA_INT)) {
            return "I";
        }
        if (layout.equals(ValueLayout.JAVA_SHORT)) {
            return "S";
        }
        if (layout.equals(ValueLayout.JAVA_BYTE)) {
            return "B";
        }
        throw new IllegalArgumentException(layout.toString());
    }

    private static String expected(String prototype) {
        String result = prototype.substring(0, prototype.indexOf('('));
        String args = prototype.substring(prototype.indexOf('(') + 1, prototype.length() - 1);
        return kind(result) + "(" + List.of(args.split(",")).stream().map(FunctionSignatureTest::kind)
                .collect(Collectors.joining()) + ")";
    }

    private static String actual(FunctionDescriptor d) {
        return d.returnLayout().map(FunctionSignatureTest::kind).orElse("V") + "("
                + d.argumentLayouts().stream().map(FunctionSignatureTest::kind).collect(Collectors.joining()) + ")";
    }

    @Test
    void everyDescriptorMatchesItsPrototype() {
        Map<String, FunctionDescriptor> all = new java.util.HashMap<>();
        all.putAll(WinSignatures.KERNEL32);
        all.putAll(WinSignatures.NTDLL);
        all.putAll(WinSignatures.WS2_32);
        all.putAll(WinSignatures.EXTENSIONS);
        assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(PROTOTYPES.keySet());
        all.forEach((name, descriptor) ->
                assertThat(actual(descriptor)).as(name).isEqualTo(expected(PROTOTYPES.get(name))));
    }

    @Test
    void extensionGuidsMatchTheDesignTableAndAreWrittenInWindowsByteOrder() {
        assertThat(WinSignatures.EXTENSION_GUIDS).containsOnlyKeys(WinSignatures.EXTENSIONS.keySet());
        assertThat(WinSignatures.EXTENSION_GUIDS.get("AcceptEx")).isEqualTo("b5367df1-cbac-11cf-95ca-00805f48a192");
        assertThat(WinSignatures.EXTENSION_GUIDS.get("ConnectEx")).isEqualTo("25a207b9-ddf3-4660-8ee9-76e58c74063e");
        java.lang.foreign.MemorySegment guid = java.lang.foreign.Arena.ofAuto().allocate(16);
        WinSignatures.writeGuid(guid, java.util.UUID.fromString(WinSignatures.EXTENSION_GUIDS.get("AcceptEx")));
        assertThat(guid.toArray(ValueLayout.JAVA_BYTE)).containsExactly(
                (byte) 0xf1, (byte) 0x7d, (byte) 0x36, (byte) 0xb5, (byte) 0xac, (byte) 0xcb, (byte) 0xcf, (byte) 0x11,
                (byte) 0x95, (byte) 0xca, (byte) 0x00, (byte) 0x80, (byte) 0x5f, (byte) 0x48, (byte) 0xa1, (byte) 0x92);
    }

    @Test
    void ntLayoutsMatchTheDesignTable() {
        assertThat(NtLayouts.UNICODE_STRING.byteSize()).isEqualTo(16);
        assertThat(NtLayouts.UNICODE_STRING.byteOffset(MemoryLayout.PathElement.groupElement("MaximumLength")))
                .isEqualTo(2);
        assertThat(NtLayouts.UNICODE_STRING.byteOffset(MemoryLayout.PathElement.groupElement("Buffer"))).isEqualTo(8);
        assertThat(NtLayouts.OBJECT_ATTRIBUTES.byteSize()).isEqualTo(48);
        String[] fields = {"Length", "RootDirectory", "ObjectName", "Attributes", "SecurityDescriptor",
            "SecurityQualityOfService"};
        long[] offsets = {0, 8, 16, 24, 32, 40};
        for (int i = 0; i < fields.length; i++) {
            assertThat(NtLayouts.OBJECT_ATTRIBUTES.byteOffset(MemoryLayout.PathElement.groupElement(fields[i])))
                    .as(fields[i]).isEqualTo(offsets[i]);
        }
    }
}
