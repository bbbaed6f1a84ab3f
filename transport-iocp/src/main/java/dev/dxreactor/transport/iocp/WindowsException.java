package dev.dxreactor.transport.iocp;

import java.io.IOException;

/**
 * A kernel-surface call failed. Carries the Win32 (or Winsock) error code or the NTSTATUS the call
 * returned, and its name.
 */
public final class WindowsException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String function;
    private final int code;
    private final boolean ntStatus;

    private WindowsException(String function, int code, boolean ntStatus, String name) {
        super(function + " failed: " + name + (ntStatus ? "" : " (" + code + ")"));
        this.function = function;
        this.code = code;
        this.ntStatus = ntStatus;
    }

    /** A failure reported as a Win32 or Winsock error code ({@code GetLastError}, {@code WSAGetLastError}). */
    public static WindowsException win32(String function, int code) {
        return new WindowsException(function, code, false, Win32Error.name(code));
    }

    /** A failure reported as an NTSTATUS (the {@code Nt*} calls, or the status of a completed operation). */
    public static WindowsException ntStatus(String function, int status) {
        return new WindowsException(function, status, true, NtStatus.name(status));
    }

    /** The function that failed, for example {@code WSARecv}. */
    public String function() {
        return function;
    }

    /** The Win32 error code or the NTSTATUS, see {@link #isNtStatus()}. */
    public int code() {
        return code;
    }

    /** Whether {@link #code()} is an NTSTATUS rather than a Win32 error code. */
    public boolean isNtStatus() {
        return ntStatus;
    }

    /** The symbolic name of {@link #code()}, for example {@code WSAECONNRESET} or {@code STATUS_CANCELLED}. */
    public String codeName() {
        return ntStatus ? NtStatus.name(code) : Win32Error.name(code);
    }

    /** The Win32 error code; an NTSTATUS is translated as {@code RtlNtStatusToDosError} does. */
    public int win32Code() {
        return ntStatus ? NtStatus.toWin32(code) : code;
    }
}
