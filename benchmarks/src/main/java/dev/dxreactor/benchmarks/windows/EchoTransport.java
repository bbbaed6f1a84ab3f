package dev.dxreactor.benchmarks.windows;

import dev.dxreactor.transport.afdpoll.AfdPoll;
import dev.dxreactor.transport.afdpoll.AfdPollIoHandler;
import dev.dxreactor.transport.afdpoll.AfdPollServerSocketChannel;
import dev.dxreactor.transport.afdpoll.AfdPollSocketChannel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.channel.Iocp;
import dev.dxreactor.transport.iocp.channel.IocpIoHandler;
import dev.dxreactor.transport.iocp.channel.IocpServerSocketChannel;
import dev.dxreactor.transport.iocp.channel.IocpSocketChannel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.Arrays;
import java.util.Locale;

/** The transports compared, by the name the benchmark's {@code transport} parameter takes. */
enum EchoTransport {

    /** dx-reactor's IOCP transport with its default settings (zero-byte WSARecv, then recv). */
    IOCP(IocpServerSocketChannel.class, IocpSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            // Emulated on Linux: the JVM must run with -Ddx.windows.emulate=true (the report's forks do).
            return IocpIoHandler.newFactory();
        }

        @Override
        String kernel() {
            return Iocp.isAvailable() ? WindowsKernel.current().name() : "unavailable";
        }

        @Override
        boolean emulated() {
            return true;
        }
    },

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

        @Override
        boolean emulated() {
            return true;
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

        @Override
        boolean emulated() {
            return false;
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

    /** Whether it runs on the Windows kernel surface, emulated off Windows. */
    abstract boolean emulated();

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    /** The parameter value: {@code iocp}, {@code afdpoll} or {@code nio}. */
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
