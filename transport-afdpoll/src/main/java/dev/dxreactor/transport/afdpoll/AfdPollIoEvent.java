package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.WindowsException;
import io.netty.channel.IoEvent;

/**
 * What a completed AFD poll reported for one socket, handed to {@link AfdPollIoHandle#handle}. Valid only while
 * that call runs: the handler reuses one instance per registration.
 *
 * <p>{@link #events()} are {@link Afd} bits, already reduced to what the channel asked for; the sticky ones
 * (DISCONNECT, ABORT, CONNECT_FAIL) arrive once. {@link #failure()} is set instead when the poll itself failed
 * (for example {@code STATUS_INVALID_HANDLE}: the socket is gone).
 */
public final class AfdPollIoEvent implements IoEvent {

    private int events;
    private int status;
    private int failure;
    private Exception cause;

    AfdPollIoEvent() {
    }

    AfdPollIoEvent reset(int events, int status) {
        this.events = events;
        this.status = status;
        this.failure = NtStatus.SUCCESS;
        this.cause = null;
        return this;
    }

    AfdPollIoEvent failure(int failure, Exception cause) {
        this.events = 0;
        this.status = NtStatus.SUCCESS;
        this.failure = failure;
        this.cause = cause;
        return this;
    }

    /** The reported {@link Afd} event bits. */
    public int events() {
        return events;
    }

    /** Whether any of {@code afdBits} was reported. */
    public boolean has(int afdBits) {
        return (events & afdBits) != 0;
    }

    /** The socket's NTSTATUS from the poll (the reason of a {@code CONNECT_FAIL}); {@code STATUS_SUCCESS} otherwise. */
    public int status() {
        return status;
    }

    /** The NTSTATUS with which the poll failed, or {@link NtStatus#SUCCESS} when it did not. */
    public int failure() {
        return failure;
    }

    public boolean failed() {
        return failure != NtStatus.SUCCESS;
    }

    /** Why the poll failed, as an exception to report; {@code null} when it did not fail. */
    public Exception failureCause() {
        if (!failed()) {
            return null;
        }
        return cause != null ? cause : WindowsException.ntStatus("NtDeviceIoControlFile(IOCTL_AFD_POLL)", failure);
    }

    @Override
    public String toString() {
        return failed() ? "AfdPollIoEvent(failed: " + NtStatus.name(failure) + ")"
                : "AfdPollIoEvent(" + Afd.eventNames(events) + ")";
    }
}
