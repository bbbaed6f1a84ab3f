package dev.dxreactor.transport.iocp.channel;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rare orderings of a real kernel, made to happen with the emulated kernel's fault hooks: packets held back
 * for several dequeues, a cancel that loses against a completion. Nothing is lost, nothing freed early.
 */
class IocpFaultInjectionTest {

    private IocpLoops serverLoops;
    private IocpLoops clientLoops;

    @BeforeEach
    void start() {
        serverLoops = new IocpLoops(1);
        clientLoops = new IocpLoops(1);
        assumeTrue(serverLoops.kernel != null, "needs the emulated kernel's fault hooks");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            IocpLoops.until(() -> serverLoops.stats().operationsInFlight() == 0
                    && clientLoops.stats().operationsInFlight() == 0, 10);
            assertThat(serverLoops.memoryViolations()).isEmpty();
        } finally {
            serverLoops.close();
            clientLoops.close();
        }
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        final BlockingQueue<Channel> active = new LinkedBlockingQueue<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active.add(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    private Channel server(Echo echo) throws Exception {
        return new ServerBootstrap().group(serverLoops.group).channel(IocpServerSocketChannel.class)
                .childHandler(echo).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @Test
    void anEchoArrivesIntactWhilePacketsAreHeldBack() throws Exception {
        Channel server = server(new Echo());
        byte[] payload = new byte[2 << 20];
        new SplittableRandom(42).nextBytes(payload);
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        ByteBuf received = Unpooled.buffer(payload.length);
        Channel client = new Bootstrap().group(clientLoops.group).channel(IocpSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf buf = (ByteBuf) msg;
                                received.writeBytes(buf);
                                buf.release();
                                if (received.readableBytes() == payload.length) {
                                    byte[] bytes = new byte[payload.length];
                                    received.readBytes(bytes);
                                    echoed.complete(bytes);
                                }
                            }
                        });
                    }
                })
                .connect(server.localAddress()).sync().channel();
        // A withheld packet waits for dequeues: a task every millisecond keeps the loops dequeuing.
        for (IocpLoops loops : new IocpLoops[] {serverLoops, clientLoops}) {
            loops.group.forEach(loop -> loop.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.MILLISECONDS));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread delayer = new Thread(() -> {
            while (running.get()) {
                serverLoops.kernel.faults().delayNextCompletion(3);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fault-injector");
        delayer.start();
        try {
            for (int off = 0; off < payload.length; off += 64 * 1024) {
                client.write(Unpooled.wrappedBuffer(payload, off, 64 * 1024));
            }
            client.flush();
            assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo(payload);
        } finally {
            running.set(false);
            delayer.join();
            received.release();
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void aCloseWhoseCancelLosesTheRaceStillWaitsForTheReadsPacket() throws Exception {
        Echo echo = new Echo();
        Channel server = server(echo);
        Channel client = new Bootstrap().group(clientLoops.group).channel(IocpSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
        Channel accepted = echo.active.poll(10, TimeUnit.SECONDS);
        IocpLoops.until(() -> accepted.eventLoop().submit(
                () -> ((IocpSocketChannel) accepted).outstandingOperations()).get() == 1, 10);
        // All in one task on the accepted channel's loop, so no dequeue runs in between: the zero-byte read is
        // still pending when the bytes are there, and the close's CancelIoEx finds it completing instead.
        try {
            int outstandingAfterClose = accepted.eventLoop().submit(() -> {
                client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})).sync();
                serverLoops.kernel.faults().raceNextCancel();
                accepted.close();
                return ((IocpSocketChannel) accepted).outstandingOperations();
            }).get(10, TimeUnit.SECONDS);
            assertThat(outstandingAfterClose).as("the read's packet is still owed, so the close waits").isEqualTo(1);
            assertThat(accepted.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(accepted.eventLoop().submit(
                    () -> ((IocpSocketChannel) accepted).outstandingOperations()).get()).isZero();
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }
}
