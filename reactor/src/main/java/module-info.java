/**
 * dx-reactor: transport selection by class path ({@link dev.dxreactor.transport.Transports}) and
 * thread-per-core event loops on the chosen transport ({@link dev.dxreactor.reactor.DxReactor}).
 */
module dev.dxreactor.reactor {
    requires transitive io.netty.transport;
    requires transitive io.netty.common;
    requires org.slf4j;
    // Optional: only DxReactorMetrics uses it.
    requires static micrometer.core;

    requires static io.netty.transport.classes.epoll;
    requires static io.netty.transport.classes.io_uring;
    requires static io.netty.transport.classes.kqueue;
    requires static io.netty.transport.unix.common;

    exports dev.dxreactor.transport;
    exports dev.dxreactor.reactor;

    uses dev.dxreactor.transport.TransportProvider;

    provides dev.dxreactor.transport.TransportProvider with
            dev.dxreactor.transport.internal.IoUringTransportProvider,
            dev.dxreactor.transport.internal.EpollTransportProvider,
            dev.dxreactor.transport.internal.KQueueTransportProvider,
            dev.dxreactor.transport.internal.NioTransportProvider;
}
