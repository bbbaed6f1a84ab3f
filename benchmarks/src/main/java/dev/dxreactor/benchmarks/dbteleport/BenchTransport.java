package dev.dxreactor.benchmarks.dbteleport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.function.Supplier;

/**
 * The transport the HBTP side of the benchmark runs on, server and client alike: epoll where Netty's native
 * library loads (what a Linux server runs, and what r2dbc's reactor-netty loops already use), else NIO.
 *
 * <p>Epoll's classes reach this module only at run time (reactor-netty depends on them with runtime scope),
 * so they are looked up by name; io_uring is not on the class path at all.
 */
record BenchTransport(String name, String why, Supplier<IoHandlerFactory> ioHandlerFactory,
                      Class<? extends ServerChannel> serverChannel, Class<? extends SocketChannel> socketChannel) {

    private static final String EPOLL = "io.netty.channel.epoll.";

    static BenchTransport best() {
        String why;
        try {
            Class<?> epoll = Class.forName(EPOLL + "Epoll");
            if ((Boolean) epoll.getMethod("isAvailable").invoke(null)) {
                Class<?> handler = Class.forName(EPOLL + "EpollIoHandler");
                return new BenchTransport("epoll", "native library loaded", () -> {
                    try {
                        return (IoHandlerFactory) handler.getMethod("newFactory").invoke(null);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("EpollIoHandler.newFactory failed", e);
                    }
                }, Class.forName(EPOLL + "EpollServerSocketChannel").asSubclass(ServerChannel.class),
                        Class.forName(EPOLL + "EpollSocketChannel").asSubclass(SocketChannel.class));
            }
            why = "epoll unavailable: " + epoll.getMethod("unavailabilityCause").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            why = "epoll not usable: " + e;
        }
        return new BenchTransport("nio", why, NioIoHandler::newFactory, NioServerSocketChannel.class,
                NioSocketChannel.class);
    }
}
