package dev.dxreactor.transport.afdpoll;

import io.netty.channel.IoHandle;

/** An {@link IoHandle} that an {@link AfdPollIoHandler} can poll: one Winsock socket. */
public interface AfdPollIoHandle extends IoHandle {

    /**
     * The socket, or {@link dev.dxreactor.transport.iocp.Winsock#INVALID_HANDLE} while it does not exist yet (a
     * channel opens its socket at bind or connect, with the address family of the address). Nothing is polled
     * until there is a socket.
     */
    long socket();
}
