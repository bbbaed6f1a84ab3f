package dev.dxreactor.examples.echo;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.transport.Transports;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * An echo server on {@link DxReactor}: it runs on the best transport of the machine and says which.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... dev.dxreactor.examples.echo.EchoServer [port]
 * java ... -Ddx.transport=nio ...   # force another transport
 * </pre>
 */
public final class EchoServer {

    static final int DEFAULT_PORT = 7007;

    private EchoServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = parsePort(args);
        DxReactor reactor = DxReactor.builder().build();
        Channel server = start(reactor, new InetSocketAddress(port));

        System.out.println(Transports.describe());
        System.out.printf("dx-reactor echo server listening on %s with transport %s and %d workers.%n"
                        + "Try it: printf 'hello\\n' | nc -q1 localhost %d   (Ctrl-C stops the server)%n",
                server.localAddress(), reactor.transport().name(), reactor.workerCount(), port);

        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                reactor.shutdownGracefully(Duration.ofMillis(100), Duration.ofSeconds(5)).join()));
        server.closeFuture().sync();
    }

    /** Binds an echo server on the reactor and returns its listening channel. */
    static Channel start(DxReactor reactor, InetSocketAddress address) throws InterruptedException {
        return reactor.serverBootstrap()
                .childHandler(EchoHandler.INSTANCE)
                .bind(address).sync().channel();
    }

    private static int parsePort(String[] args) {
        if (args.length == 0 || args[0].isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(args[0].trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            System.err.println("usage: EchoServer [port]   (port is 0 to 65535, got '" + args[0] + "')");
            System.exit(2);
            return -1;
        }
    }

    /** Writes back whatever it reads; the write releases the buffer. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        static final EchoHandler INSTANCE = new EchoHandler();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
