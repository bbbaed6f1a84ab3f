package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.reactor.DxReactor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;

import java.net.InetSocketAddress;

/** A Netty 4.2 echo server on a dx-reactor, as every protocol built on Netty 4.2 here starts it. */
record NettyEchoServer(DxReactor reactor, Channel listener) implements EchoServer {

    /** Binds loopback with {@code childHandler} on the settings' transport and workers, TCP_NODELAY on. */
    static EchoServer start(ServerSettings settings, ChannelHandler childHandler) throws InterruptedException {
        DxReactor reactor = Reactors.start(settings.transport(), settings.workers());
        Channel listener = reactor.serverBootstrap()
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(childHandler)
                .bind("127.0.0.1", settings.port()).sync().channel();
        return new NettyEchoServer(reactor, listener);
    }

    @Override
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        Reactors.stop(reactor);
    }
}
