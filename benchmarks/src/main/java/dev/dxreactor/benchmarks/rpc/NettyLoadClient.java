package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.reactor.DxReactor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The load clients written on Netty 4.2 (raw echo, HTTP/1.1, lean HBTP): their connections opened on one
 * dx-reactor event loop with {@code TCP_NODELAY}, each behind its protocol's codec, a {@link LoadRun} on them,
 * everything closed after.
 */
final class NettyLoadClient {

    /** One protocol's connection: the handler that is the {@link LoadRun.Connection}, and what stands before it. */
    interface Protocol<C extends ChannelHandler & LoadRun.Connection> {
        C newConnection();

        /** The handlers in front of a connection (codecs), new ones for each channel. */
        ChannelHandler[] codec();

        /** Waits, once connected, for what the protocol needs before any request (a handshake). */
        default void awaitReady(C connection) throws InterruptedException {
        }
    }

    private NettyLoadClient() {
    }

    static <C extends ChannelHandler & LoadRun.Connection> RpcResult run(ClientSettings settings,
                                                                         Protocol<C> protocol)
            throws InterruptedException {
        DxReactor reactor = Reactors.start(settings.transport(), 1);
        List<Channel> channels = new ArrayList<>();
        try {
            List<LoadRun.Connection> connections = new ArrayList<>();
            for (int c = 0; c < settings.connections(); c++) {
                C connection = protocol.newConnection();
                channels.add(reactor.bootstrap()
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(protocol.codec()).addLast(connection);
                            }
                        })
                        .connect(settings.host(), settings.port()).sync().channel());
                protocol.awaitReady(connection);
                connections.add(connection);
            }
            return new LoadRun().run(connections, settings);
        } finally {
            channels.forEach(Channel::close);
            Reactors.stop(reactor);
        }
    }

    /** A protocol without a handshake, from its connection and codec factories. */
    static <C extends ChannelHandler & LoadRun.Connection> Protocol<C> of(Supplier<C> connections,
                                                                          Supplier<ChannelHandler[]> codec) {
        return new Protocol<>() {
            @Override
            public C newConnection() {
                return connections.get();
            }

            @Override
            public ChannelHandler[] codec() {
                return codec.get();
            }
        };
    }
}
