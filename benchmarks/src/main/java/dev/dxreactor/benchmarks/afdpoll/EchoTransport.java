package dev.dxreactor.benchmarks.afdpoll;

import dev.dxreactor.transport.afdpoll.AfdPoll;
import dev.dxreactor.transport.afdpoll.AfdPollIoHandler;
import dev.dxreactor.transport.afdpoll.AfdPollServerSocketChannel;
import dev.dxreactor.transport.afdpoll.AfdPollSocketChannel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.Arrays;
import java.util.Locale;

/** The two transports compared, by the name the benchmark's {@code transport} parameter takes. */
enum EchoTransport {

    /** dx-reactor's AFD_POLL transport with its default settings (helper handles, 32 sockets each). */
    AFDPOLL(AfdPollServerSocketChannel.class, AfdPollSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            // Emulated on Linux: the JVM must run with -Ddx.windows.emulate=true (the report's forks do).
            return AfdPollIoHandler.newFactory();
        }

        @Override
        String kernel() {
            return AfdPoll.isAvailable() ? WindowsKernel.current().name() : "unavailable";
        }
    },

    /** Netty's NIO transport, on the JDK's epoll-based Selector here. */
    NIO(NioServerSocketChannel.class, NioSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        String kernel() {
            return "Linux";
        }
    };

    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> socketChannel;

    EchoTransport(Class<? extends ServerChannel> serverChannel, Class<? extends SocketChannel> socketChannel) {
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    abstract IoHandlerFactory ioHandlerFactory();

    /** Which kernel surface the transport ran on, for the results file. */
    abstract String kernel();

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    /** The parameter value: {@code afdpoll} or {@code nio}. */
    String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    static EchoTransport of(String parameter) {
        for (EchoTransport transport : values()) {
            if (transport.parameter().equals(parameter)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + parameter + "' (expected one of "
                + Arrays.stream(values()).map(EchoTransport::parameter).toList() + ")");
    }
}
