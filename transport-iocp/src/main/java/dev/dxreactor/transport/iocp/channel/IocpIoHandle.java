package dev.dxreactor.transport.iocp.channel;

import io.netty.channel.IoHandle;

/**
 * An {@link IoHandle} whose socket's overlapped operations complete on an {@link IocpIoHandler}'s port. Every
 * operation it submits is handed back once, as an {@link IocpIoEvent}, when its packet has been dequeued, for
 * as long as the registration is valid; after that the handler releases the operations' memory itself.
 */
public interface IocpIoHandle extends IoHandle {

    /**
     * The socket, or {@link dev.dxreactor.transport.iocp.Winsock#INVALID_HANDLE} while it does not exist yet;
     * the handler cancels what is outstanding on it at shutdown.
     */
    long socket();
}
