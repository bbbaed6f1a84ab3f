/**
 * The Windows kernel surface of dx-reactor's IOCP and AFD_POLL transports ({@link
 * dev.dxreactor.transport.iocp.WindowsKernel}, real through FFM bindings or emulated over Linux sockets) and the
 * IOCP completion transport for Netty 4.2 on it ({@link dev.dxreactor.transport.iocp.channel.IocpIoHandler}).
 */
module dev.dxreactor.transport.iocp {
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires dev.dxreactor.reactor;

    exports dev.dxreactor.transport.iocp;
    exports dev.dxreactor.transport.iocp.channel;
    exports dev.dxreactor.transport.iocp.socket to dev.dxreactor.transport.afdpoll;

    provides dev.dxreactor.transport.TransportProvider with
            dev.dxreactor.transport.iocp.internal.IocpTransportProvider;
}
