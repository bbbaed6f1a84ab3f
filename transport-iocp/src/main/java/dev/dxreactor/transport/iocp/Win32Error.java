package dev.dxreactor.transport.iocp;

import java.util.Map;

/** The Win32 and Winsock error codes the transports and the file calls meet, with their names. */
public final class Win32Error {

    public static final int ERROR_SUCCESS = 0;
    public static final int ERROR_INVALID_FUNCTION = 1;
    public static final int ERROR_FILE_NOT_FOUND = 2;
    public static final int ERROR_PATH_NOT_FOUND = 3;
    public static final int ERROR_TOO_MANY_OPEN_FILES = 4;
    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_INVALID_HANDLE = 6;
    public static final int ERROR_NOT_ENOUGH_MEMORY = 8;
    public static final int ERROR_WRITE_PROTECT = 19;
    public static final int ERROR_GEN_FAILURE = 31;
    public static final int ERROR_SHARING_VIOLATION = 32;
    public static final int ERROR_HANDLE_EOF = 38;
    public static final int ERROR_NOT_SUPPORTED = 50;
    public static final int ERROR_FILE_EXISTS = 80;
    public static final int ERROR_DISK_FULL = 112;
    public static final int ERROR_INVALID_NAME = 123;
    public static final int ERROR_FILENAME_EXCED_RANGE = 206;
    public static final int ERROR_FILE_TOO_LARGE = 223;
    public static final int ERROR_PIPE_NOT_CONNECTED = 233;
    public static final int ERROR_NETNAME_DELETED = 64;
    public static final int ERROR_INVALID_PARAMETER = 87;
    public static final int ERROR_SEM_TIMEOUT = 121;
    public static final int ERROR_MOD_NOT_FOUND = 126;
    public static final int ERROR_PROC_NOT_FOUND = 127;
    public static final int WAIT_TIMEOUT = 258;
    public static final int ERROR_MR_MID_NOT_FOUND = 317;
    public static final int ERROR_OPERATION_ABORTED = 995;
    public static final int ERROR_IO_PENDING = 997;
    public static final int ERROR_IO_DEVICE = 1117;
    public static final int ERROR_NOT_FOUND = 1168;
    public static final int ERROR_CONNECTION_REFUSED = 1225;
    public static final int ERROR_NETWORK_UNREACHABLE = 1231;
    public static final int ERROR_HOST_UNREACHABLE = 1232;
    public static final int ERROR_CONNECTION_ABORTED = 1236;
    public static final int ERROR_NO_SYSTEM_RESOURCES = 1450;
    public static final int ERROR_CANT_RESOLVE_FILENAME = 1921;
    public static final int ERROR_ADDRESS_ALREADY_ASSOCIATED = 1227;

    public static final int WSAEINTR = 10004;
    public static final int WSAEBADF = 10009;
    public static final int WSAEACCES = 10013;
    public static final int WSAEFAULT = 10014;
    public static final int WSAEINVAL = 10022;
    public static final int WSAEMFILE = 10024;
    public static final int WSAEWOULDBLOCK = 10035;
    public static final int WSAEINPROGRESS = 10036;
    public static final int WSAEALREADY = 10037;
    public static final int WSAENOTSOCK = 10038;
    public static final int WSAEMSGSIZE = 10040;
    public static final int WSAENOPROTOOPT = 10042;
    public static final int WSAEPROTONOSUPPORT = 10043;
    public static final int WSAEOPNOTSUPP = 10045;
    public static final int WSAEAFNOSUPPORT = 10047;
    public static final int WSAEADDRINUSE = 10048;
    public static final int WSAEADDRNOTAVAIL = 10049;
    public static final int WSAENETDOWN = 10050;
    public static final int WSAENETUNREACH = 10051;
    public static final int WSAECONNABORTED = 10053;
    public static final int WSAECONNRESET = 10054;
    public static final int WSAENOBUFS = 10055;
    public static final int WSAEISCONN = 10056;
    public static final int WSAENOTCONN = 10057;
    public static final int WSAESHUTDOWN = 10058;
    public static final int WSAETIMEDOUT = 10060;
    public static final int WSAECONNREFUSED = 10061;
    public static final int WSAEHOSTUNREACH = 10065;
    public static final int WSANOTINITIALISED = 10093;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(ERROR_SUCCESS, "ERROR_SUCCESS"),
            Map.entry(ERROR_INVALID_FUNCTION, "ERROR_INVALID_FUNCTION"),
            Map.entry(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND"),
            Map.entry(ERROR_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND"),
            Map.entry(ERROR_TOO_MANY_OPEN_FILES, "ERROR_TOO_MANY_OPEN_FILES"),
            Map.entry(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED"),
            Map.entry(ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE"),
            Map.entry(ERROR_NOT_ENOUGH_MEMORY, "ERROR_NOT_ENOUGH_MEMORY"),
            Map.entry(ERROR_WRITE_PROTECT, "ERROR_WRITE_PROTECT"),
            Map.entry(ERROR_GEN_FAILURE, "ERROR_GEN_FAILURE"),
            Map.entry(ERROR_SHARING_VIOLATION, "ERROR_SHARING_VIOLATION"),
            Map.entry(ERROR_HANDLE_EOF, "ERROR_HANDLE_EOF"),
            Map.entry(ERROR_NOT_SUPPORTED, "ERROR_NOT_SUPPORTED"),
            Map.entry(ERROR_FILE_EXISTS, "ERROR_FILE_EXISTS"),
            Map.entry(ERROR_DISK_FULL, "ERROR_DISK_FULL"),
            Map.entry(ERROR_INVALID_NAME, "ERROR_INVALID_NAME"),
            Map.entry(ERROR_FILENAME_EXCED_RANGE, "ERROR_FILENAME_EXCED_RANGE"),
            Map.entry(ERROR_FILE_TOO_LARGE, "ERROR_FILE_TOO_LARGE"),
            Map.entry(ERROR_PIPE_NOT_CONNECTED, "ERROR_PIPE_NOT_CONNECTED"),
            Map.entry(ERROR_NETNAME_DELETED, "ERROR_NETNAME_DELETED"),
            Map.entry(ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER"),
            Map.entry(ERROR_SEM_TIMEOUT, "ERROR_SEM_TIMEOUT"),
            Map.entry(ERROR_MOD_NOT_FOUND, "ERROR_MOD_NOT_FOUND"),
            Map.entry(ERROR_PROC_NOT_FOUND, "ERROR_PROC_NOT_FOUND"),
            Map.entry(WAIT_TIMEOUT, "WAIT_TIMEOUT"),
            Map.entry(ERROR_MR_MID_NOT_FOUND, "ERROR_MR_MID_NOT_FOUND"),
            Map.entry(ERROR_OPERATION_ABORTED, "ERROR_OPERATION_ABORTED"),
            Map.entry(ERROR_IO_PENDING, "ERROR_IO_PENDING"),
            Map.entry(ERROR_IO_DEVICE, "ERROR_IO_DEVICE"),
            Map.entry(ERROR_NOT_FOUND, "ERROR_NOT_FOUND"),
            Map.entry(ERROR_CONNECTION_REFUSED, "ERROR_CONNECTION_REFUSED"),
            Map.entry(ERROR_NETWORK_UNREACHABLE, "ERROR_NETWORK_UNREACHABLE"),
            Map.entry(ERROR_HOST_UNREACHABLE, "ERROR_HOST_UNREACHABLE"),
            Map.entry(ERROR_CONNECTION_ABORTED, "ERROR_CONNECTION_ABORTED"),
            Map.entry(ERROR_NO_SYSTEM_RESOURCES, "ERROR_NO_SYSTEM_RESOURCES"),
            Map.entry(ERROR_CANT_RESOLVE_FILENAME, "ERROR_CANT_RESOLVE_FILENAME"),
            Map.entry(ERROR_ADDRESS_ALREADY_ASSOCIATED, "ERROR_ADDRESS_ALREADY_ASSOCIATED"),
            Map.entry(WSAEINTR, "WSAEINTR"),
            Map.entry(WSAEBADF, "WSAEBADF"),
            Map.entry(WSAEACCES, "WSAEACCES"),
            Map.entry(WSAEFAULT, "WSAEFAULT"),
            Map.entry(WSAEINVAL, "WSAEINVAL"),
            Map.entry(WSAEMFILE, "WSAEMFILE"),
            Map.entry(WSAEWOULDBLOCK, "WSAEWOULDBLOCK"),
            Map.entry(WSAEINPROGRESS, "WSAEINPROGRESS"),
            Map.entry(WSAEALREADY, "WSAEALREADY"),
            Map.entry(WSAENOTSOCK, "WSAENOTSOCK"),
            Map.entry(WSAEMSGSIZE, "WSAEMSGSIZE"),
            Map.entry(WSAENOPROTOOPT, "WSAENOPROTOOPT"),
            Map.entry(WSAEPROTONOSUPPORT, "WSAEPROTONOSUPPORT"),
            Map.entry(WSAEOPNOTSUPP, "WSAEOPNOTSUPP"),
            Map.entry(WSAEAFNOSUPPORT, "WSAEAFNOSUPPORT"),
            Map.entry(WSAEADDRINUSE, "WSAEADDRINUSE"),
            Map.entry(WSAEADDRNOTAVAIL, "WSAEADDRNOTAVAIL"),
            Map.entry(WSAENETDOWN, "WSAENETDOWN"),
            Map.entry(WSAENETUNREACH, "WSAENETUNREACH"),
            Map.entry(WSAECONNABORTED, "WSAECONNABORTED"),
            Map.entry(WSAECONNRESET, "WSAECONNRESET"),
            Map.entry(WSAENOBUFS, "WSAENOBUFS"),
            Map.entry(WSAEISCONN, "WSAEISCONN"),
            Map.entry(WSAENOTCONN, "WSAENOTCONN"),
            Map.entry(WSAESHUTDOWN, "WSAESHUTDOWN"),
            Map.entry(WSAETIMEDOUT, "WSAETIMEDOUT"),
            Map.entry(WSAECONNREFUSED, "WSAECONNREFUSED"),
            Map.entry(WSAEHOSTUNREACH, "WSAEHOSTUNREACH"),
            Map.entry(WSANOTINITIALISED, "WSANOTINITIALISED"));

    private Win32Error() {
    }

    /** The symbolic name, for example {@code WSAECONNRESET}, or {@code error N} when it is not one of the above. */
    public static String name(int code) {
        String name = NAMES.get(code);
        return name != null ? name : "error " + code;
    }
}
