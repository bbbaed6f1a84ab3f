package dev.dxreactor.transport.iocp;

import java.util.Map;

/** The NTSTATUS values the transports meet, with their names and their Win32 equivalents. */
public final class NtStatus {

    public static final int SUCCESS = 0x0;
    public static final int TIMEOUT = 0x102;
    public static final int PENDING = 0x103;
    public static final int INVALID_HANDLE = 0xC0000008;
    public static final int INVALID_PARAMETER = 0xC000000D;
    public static final int INVALID_DEVICE_REQUEST = 0xC0000010;
    public static final int END_OF_FILE = 0xC0000011;
    public static final int ACCESS_DENIED = 0xC0000022;
    public static final int DISK_FULL = 0xC000007F;
    public static final int INSUFFICIENT_RESOURCES = 0xC000009A;
    public static final int IO_TIMEOUT = 0xC00000B5;
    public static final int NOT_SUPPORTED = 0xC00000BB;
    /** A send on a socket whose sending side was shut down ({@code WSAESHUTDOWN}). */
    public static final int PIPE_DISCONNECTED = 0xC00000B0;
    public static final int CANCELLED = 0xC0000120;
    public static final int LOCAL_DISCONNECT = 0xC000013B;
    public static final int REMOTE_DISCONNECT = 0xC000013C;
    public static final int IO_DEVICE_ERROR = 0xC0000185;
    public static final int CONNECTION_RESET = 0xC000020D;
    public static final int NOT_FOUND = 0xC0000225;
    public static final int NETWORK_UNREACHABLE = 0xC000023C;
    public static final int HOST_UNREACHABLE = 0xC000023D;
    public static final int CONNECTION_REFUSED = 0xC0000236;
    public static final int CONNECTION_ABORTED = 0xC0000241;
    public static final int ADDRESS_ALREADY_ASSOCIATED = 0xC0000328;
    public static final int FILE_TOO_LARGE = 0xC0000904;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(SUCCESS, "STATUS_SUCCESS"),
            Map.entry(TIMEOUT, "STATUS_TIMEOUT"),
            Map.entry(PENDING, "STATUS_PENDING"),
            Map.entry(INVALID_HANDLE, "STATUS_INVALID_HANDLE"),
            Map.entry(INVALID_PARAMETER, "STATUS_INVALID_PARAMETER"),
            Map.entry(INVALID_DEVICE_REQUEST, "STATUS_INVALID_DEVICE_REQUEST"),
            Map.entry(END_OF_FILE, "STATUS_END_OF_FILE"),
            Map.entry(DISK_FULL, "STATUS_DISK_FULL"),
            Map.entry(IO_DEVICE_ERROR, "STATUS_IO_DEVICE_ERROR"),
            Map.entry(FILE_TOO_LARGE, "STATUS_FILE_TOO_LARGE"),
            Map.entry(ACCESS_DENIED, "STATUS_ACCESS_DENIED"),
            Map.entry(INSUFFICIENT_RESOURCES, "STATUS_INSUFFICIENT_RESOURCES"),
            Map.entry(IO_TIMEOUT, "STATUS_IO_TIMEOUT"),
            Map.entry(NOT_SUPPORTED, "STATUS_NOT_SUPPORTED"),
            Map.entry(CANCELLED, "STATUS_CANCELLED"),
            Map.entry(LOCAL_DISCONNECT, "STATUS_LOCAL_DISCONNECT"),
            Map.entry(REMOTE_DISCONNECT, "STATUS_REMOTE_DISCONNECT"),
            Map.entry(CONNECTION_RESET, "STATUS_CONNECTION_RESET"),
            Map.entry(PIPE_DISCONNECTED, "STATUS_PIPE_DISCONNECTED"),
            Map.entry(NOT_FOUND, "STATUS_NOT_FOUND"),
            Map.entry(NETWORK_UNREACHABLE, "STATUS_NETWORK_UNREACHABLE"),
            Map.entry(HOST_UNREACHABLE, "STATUS_HOST_UNREACHABLE"),
            Map.entry(CONNECTION_REFUSED, "STATUS_CONNECTION_REFUSED"),
            Map.entry(CONNECTION_ABORTED, "STATUS_CONNECTION_ABORTED"),
            Map.entry(ADDRESS_ALREADY_ASSOCIATED, "STATUS_ADDRESS_ALREADY_ASSOCIATED"));

    /** What {@code RtlNtStatusToDosError} answers for the statuses above (the emulated surface uses it). */
    private static final Map<Integer, Integer> WIN32 = Map.ofEntries(
            Map.entry(SUCCESS, Win32Error.ERROR_SUCCESS),
            Map.entry(TIMEOUT, Win32Error.WAIT_TIMEOUT),
            Map.entry(PENDING, Win32Error.ERROR_IO_PENDING),
            Map.entry(INVALID_HANDLE, Win32Error.ERROR_INVALID_HANDLE),
            Map.entry(INVALID_PARAMETER, Win32Error.ERROR_INVALID_PARAMETER),
            Map.entry(INVALID_DEVICE_REQUEST, Win32Error.ERROR_INVALID_FUNCTION),
            Map.entry(END_OF_FILE, Win32Error.ERROR_HANDLE_EOF),
            Map.entry(DISK_FULL, Win32Error.ERROR_DISK_FULL),
            Map.entry(IO_DEVICE_ERROR, Win32Error.ERROR_IO_DEVICE),
            Map.entry(FILE_TOO_LARGE, Win32Error.ERROR_FILE_TOO_LARGE),
            Map.entry(ACCESS_DENIED, Win32Error.ERROR_ACCESS_DENIED),
            Map.entry(INSUFFICIENT_RESOURCES, Win32Error.ERROR_NO_SYSTEM_RESOURCES),
            Map.entry(IO_TIMEOUT, Win32Error.ERROR_SEM_TIMEOUT),
            Map.entry(NOT_SUPPORTED, Win32Error.ERROR_NOT_SUPPORTED),
            Map.entry(CANCELLED, Win32Error.ERROR_OPERATION_ABORTED),
            Map.entry(LOCAL_DISCONNECT, Win32Error.ERROR_NETNAME_DELETED),
            Map.entry(REMOTE_DISCONNECT, Win32Error.ERROR_NETNAME_DELETED),
            Map.entry(CONNECTION_RESET, Win32Error.ERROR_NETNAME_DELETED),
            Map.entry(PIPE_DISCONNECTED, Win32Error.ERROR_PIPE_NOT_CONNECTED),
            Map.entry(NOT_FOUND, Win32Error.ERROR_NOT_FOUND),
            Map.entry(NETWORK_UNREACHABLE, Win32Error.ERROR_NETWORK_UNREACHABLE),
            Map.entry(HOST_UNREACHABLE, Win32Error.ERROR_HOST_UNREACHABLE),
            Map.entry(CONNECTION_REFUSED, Win32Error.ERROR_CONNECTION_REFUSED),
            Map.entry(CONNECTION_ABORTED, Win32Error.ERROR_CONNECTION_ABORTED),
            Map.entry(ADDRESS_ALREADY_ASSOCIATED, Win32Error.ERROR_ADDRESS_ALREADY_ASSOCIATED));

    private NtStatus() {
    }

    /** The symbolic name, for example {@code STATUS_CANCELLED}, or the hex value when it is not one of the above. */
    public static String name(int status) {
        String name = NAMES.get(status);
        return name != null ? name : String.format("NTSTATUS 0x%08X", status);
    }

    /** Whether the status is a success or informational one (the {@code NT_SUCCESS} macro). */
    public static boolean isSuccess(int status) {
        return status >= 0;
    }

    /**
     * The Win32 error {@code RtlNtStatusToDosError} gives for the statuses this class names;
     * {@code ERROR_MR_MID_NOT_FOUND} (317) for others, as Windows answers for unknown ones.
     */
    public static int toWin32(int status) {
        return WIN32.getOrDefault(status, Win32Error.ERROR_MR_MID_NOT_FOUND);
    }

    /**
     * The Winsock error a failed socket operation with this status reports ({@code WSAGetOverlappedResult}, or
     * {@code WSAGetLastError} when it failed at once): ws2_32 maps the network statuses to {@code WSAE*} codes;
     * others keep their Win32 translation ({@code STATUS_CANCELLED} is {@code WSA_OPERATION_ABORTED}, 995).
     */
    public static int toWinsock(int status) {
        return switch (status) {
            case CONNECTION_RESET, REMOTE_DISCONNECT -> Win32Error.WSAECONNRESET;
            case CONNECTION_ABORTED, LOCAL_DISCONNECT -> Win32Error.WSAECONNABORTED;
            case CONNECTION_REFUSED -> Win32Error.WSAECONNREFUSED;
            case IO_TIMEOUT -> Win32Error.WSAETIMEDOUT;
            case HOST_UNREACHABLE -> Win32Error.WSAEHOSTUNREACH;
            case NETWORK_UNREACHABLE -> Win32Error.WSAENETUNREACH;
            case ADDRESS_ALREADY_ASSOCIATED -> Win32Error.WSAEADDRINUSE;
            case INVALID_HANDLE -> Win32Error.WSAENOTSOCK;
            case PIPE_DISCONNECTED -> Win32Error.WSAESHUTDOWN;
            default -> toWin32(status);
        };
    }
}
