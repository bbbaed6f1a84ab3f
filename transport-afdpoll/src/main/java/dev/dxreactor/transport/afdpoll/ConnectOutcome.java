package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.socket.SocketErrors;

import java.io.IOException;

/**
 * How a non-blocking connect ended, from the poll that reported it: a {@code CONNECT_FAIL} carries its reason
 * in the handle entry's NTSTATUS (as wepoll and libuv read it); {@code SO_ERROR} is asked only when that status
 * names no failure.
 */
final class ConnectOutcome {

    /** {@code getsockopt(SO_ERROR)} of the connecting socket. */
    interface SocketError {
        int get() throws WindowsException;
    }

    private ConnectOutcome() {
    }

    /** Why the connect failed, or {@code null} when it succeeded. */
    static IOException failure(int events, int handleStatus, SocketError socketError) throws WindowsException {
        if ((events & Afd.POLL_CONNECT_FAIL) != 0 && !NtStatus.isSuccess(handleStatus)) {
            return SocketErrors.ofStatus("connect", handleStatus);
        }
        int error = socketError.get();
        return error == 0 ? null : SocketErrors.translate(WindowsException.win32("connect", error));
    }
}
