package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.NtStatus;
import io.netty.channel.IoEvent;

/**
 * One completed overlapped operation, handed to {@link IocpIoHandle#handle}: the operation, its NTSTATUS and the
 * bytes it moved. Valid only while that call runs.
 */
public final class IocpIoEvent implements IoEvent {

    private IocpOperation operation;
    private int status;
    private int bytes;

    IocpIoEvent() {
    }

    IocpIoEvent reset(IocpOperation operation, int status, int bytes) {
        this.operation = operation;
        this.status = status;
        this.bytes = bytes;
        return this;
    }

    IocpOperation operation() {
        return operation;
    }

    /** The operation's NTSTATUS ({@link NtStatus#CANCELLED} after a cancel or a close). */
    public int status() {
        return status;
    }

    public boolean succeeded() {
        return status == NtStatus.SUCCESS;
    }

    /** Bytes transferred. */
    public int bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return "IocpIoEvent(" + (operation == null ? "-" : operation.kind()) + ", " + NtStatus.name(status) + ", "
                + bytes + " bytes)";
    }
}
