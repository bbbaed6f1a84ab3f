package dev.dxreactor.transport.afdpoll;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Servers and clients of the AFD_POLL transport on loopback, and a look at their loops' handlers. */
final class Loopback {

    private Loopback() {
    }

    static MultiThreadIoEventLoopGroup group(int threads, AfdPollConfig config) {
        return new MultiThreadIoEventLoopGroup(threads, AfdPollIoHandler.newFactory(config));
    }

    static Channel server(EventLoopGroup group, ChannelHandler childHandler, boolean childAutoRead) throws Exception {
        return new ServerBootstrap().group(group).channel(AfdPollServerSocketChannel.class)
                .childOption(io.netty.channel.ChannelOption.AUTO_READ, childAutoRead)
                .childHandler(childHandler)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static Channel client(EventLoopGroup group, Channel server, ChannelHandler handler) throws Exception {
        return new Bootstrap().group(group).channel(AfdPollSocketChannel.class).handler(handler)
                .connect(server.localAddress()).sync().channel();
    }

    static <T> T onLoop(Channel channel, Callable<T> action) throws Exception {
        return channel.eventLoop().submit(action).get(10, TimeUnit.SECONDS);
    }

    static AfdPollIoHandler handler(Channel channel) {
        return ((AbstractAfdPollChannel) channel).registration().attachment();
    }

    static AfdPollIoHandler.Stats stats(Channel channel) throws Exception {
        return onLoop(channel, () -> handler(channel).stats());
    }

    static AfdPollRegistration registration(Channel channel) throws Exception {
        return onLoop(channel, () -> handler(channel).registrationOf((AfdPollIoHandle) channel.unsafe()));
    }

    static int armedMask(Channel channel) throws Exception {
        AfdPollRegistration registration = registration(channel);
        return onLoop(channel, registration::armedMask);
    }

    static AfdPollIoOps desired(Channel channel) throws Exception {
        return onLoop(channel, ((AbstractAfdPollChannel) channel)::ops);
    }

    static void until(Callable<Boolean> condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + seconds + " s");
            }
            Thread.sleep(10);
        }
    }

    static void shutdown(EventLoopGroup... groups) {
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    static IoEventLoop loop(EventLoopGroup group) {
        return (IoEventLoop) group.next();
    }
}
