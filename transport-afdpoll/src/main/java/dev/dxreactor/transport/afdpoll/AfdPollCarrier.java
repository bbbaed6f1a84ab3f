package dev.dxreactor.transport.afdpoll;

/** Which handle an AFD poll is issued on. */
public enum AfdPollCarrier {

    /**
     * Helper handles opened on {@code \Device\Afd}, each carrying the polls of at most
     * {@link AfdPollConfig#socketsPerHelper()} sockets (cancelling costs more the more polls share a handle). A
     * channel may move to another event loop.
     */
    HELPER_HANDLES,

    /**
     * The ioctl is issued on the socket's own base handle, which is associated with the loop's completion port:
     * no {@code \Device\Afd} handle is opened, but the socket belongs to that port for life, so the channel
     * cannot be registered with another event loop afterwards.
     */
    BASE_SOCKET
}
