/**
 * dx-reactor's AFD_POLL transport: Netty 4.2 socket channels on a Windows completion port, without the JDK's
 * Selector layer. See {@link dev.dxreactor.transport.afdpoll.AfdPollIoHandler}.
 */
module dev.dxreactor.transport.afdpoll {
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires dev.dxreactor.transport.iocp;
    requires dev.dxreactor.reactor;

    exports dev.dxreactor.transport.afdpoll;

    provides dev.dxreactor.transport.TransportProvider with
            dev.dxreactor.transport.afdpoll.internal.AfdPollTransportProvider;
}
