package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.ConnectTimeoutException;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The channels' behaviour on one IOCP loop over the emulated kernel: accept pool and addresses, close with
 * operations pending, half-closure, auto-read off, large writes and writability, connect failures, a failed
 * operation failing only its channel. After each test nothing is outstanding and no memory was released early.
 */
class IocpChannelBehaviourTest {

    private IocpLoops loops;
    private final List<Channel> opened = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        loops = new IocpLoops(1);
    }

    @AfterEach
    void stop() throws Exception {
        for (Channel channel : opened) {
            channel.close().sync();
        }
        IocpLoops.until(() -> loops.stats().operationsInFlight() == 0 && loops.stats().registrations() == 0, 10);
        assertThat(loops.memoryViolations()).isEmpty();
        loops.close();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static <T> T onLoop(Channel channel, java.util.concurrent.Callable<T> action) throws Exception {
        return channel.eventLoop().submit(action).get(10, TimeUnit.SECONDS);
    }

    private Channel server(ChannelInboundHandlerAdapter child, Object... childOptions) throws Exception {
        ServerBootstrap b = new ServerBootstrap().group(loops.group).channel(IocpServerSocketChannel.class)
                .childHandler(new io.netty.channel.ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        opened.add(ch);
                        ch.pipeline().addLast(child);
                    }
                });
        for (int i = 0; i < childOptions.length; i += 2) {
            @SuppressWarnings("unchecked")
            ChannelOption<Object> option = (ChannelOption<Object>) childOptions[i];
            b.childOption(option, childOptions[i + 1]);
        }
        Channel server = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        opened.add(server);
        return server;
    }

    private Channel client(Channel server, ChannelInboundHandlerAdapter handler) throws Exception {
        Channel client = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class).handler(handler)
                .connect(server.localAddress()).sync().channel();
        opened.add(client);
        return client;
    }

    @io.netty.channel.ChannelHandler.Sharable
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final BlockingQueue<Channel> active = new LinkedBlockingQueue<>();
        final AtomicLong bytes = new AtomicLong();
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active.add(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            bytes.addAndGet(buf.readableBytes());
            buf.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add(cause);
        }
    }

    @io.netty.channel.ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    @Test
    void listenerKeepsItsAcceptPoolPendingAndGivesAcceptedConnectionsTheirAddresses() throws Exception {
        Recorder child = new Recorder();
        Channel server = new ServerBootstrap().group(loops.group).channel(IocpServerSocketChannel.class)
                .option(IocpChannelOption.PENDING_ACCEPTS, 4).childHandler(child)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        opened.add(server);
        assertThat(onLoop(server, () -> ((IocpServerSocketChannel) server).outstandingOperations())).isEqualTo(4);
        Channel client = client(server, new Recorder());
        Channel accepted = child.active.poll(10, TimeUnit.SECONDS);
        assertThat(accepted).isNotNull();
        assertThat(accepted.remoteAddress()).isEqualTo(client.localAddress());
        assertThat(accepted.localAddress()).isEqualTo(server.localAddress());
        // The completed AcceptEx was replaced: the pool is full again.
        IocpLoops.until(() -> onLoop(server, () -> ((IocpServerSocketChannel) server).outstandingOperations()) == 4, 10);
    }

    @Test
    void closingWithAReadAndALargeSendPendingReleasesEverythingOnlyAfterTheirPackets() throws Exception {
        Recorder child = new Recorder();
        Channel server = server(child, ChannelOption.AUTO_READ, false);
        Channel client = client(server, new Recorder());
        child.active.poll(10, TimeUnit.SECONDS);
        // The peer does not read: a 16 MiB send cannot complete and stays in flight with its buffer.
        ByteBuf payload = Unpooled.directBuffer(16 << 20).writeZero(16 << 20);
        payload.retain();
        ChannelFuture write = client.writeAndFlush(payload);
        IocpLoops.until(() -> onLoop(client, () -> ((IocpSocketChannel) client).outstandingOperations()) == 2, 10);
        assertThat(payload.refCnt()).as("the outbound buffer's and the send's references").isEqualTo(3);
        client.close().sync();
        assertThat(write.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(write.cause()).isNotNull();
        // The write fails only once the cancelled send's packet is in: neither the kernel nor the outbound buffer
        // holds the buffer any more.
        assertThat(payload.refCnt()).isEqualTo(1);
        assertThat(onLoop(client, () -> ((IocpSocketChannel) client).outstandingOperations())).isZero();
        payload.release();
    }

    @Test
    void halfClosureDeliversTheEndOfInputAndTheOtherDirectionGoesOn() throws Exception {
        CompletableFuture<Object> serverSawEnd = new CompletableFuture<>();
        Channel server = server(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ChannelInputShutdownEvent.INSTANCE) {
                    serverSawEnd.complete(evt);
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}))
                            .addListener(f -> ctx.channel().close());
                }
            }
        }, ChannelOption.ALLOW_HALF_CLOSURE, true);
        Recorder clientSide = new Recorder();
        Channel client = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true).handler(clientSide)
                .connect(server.localAddress()).sync().channel();
        opened.add(client);
        ((SocketChannel) client).shutdownOutput().sync();
        assertThat(serverSawEnd.get(10, TimeUnit.SECONDS)).isSameAs(ChannelInputShutdownEvent.INSTANCE);
        Object event;
        do {
            event = clientSide.events.poll(10, TimeUnit.SECONDS);
        } while (event != null && event != ChannelInputShutdownEvent.INSTANCE);
        assertThat(event).as("events %s, bytes %s, open %s", clientSide.events, clientSide.bytes, client.isOpen()).isSameAs(ChannelInputShutdownEvent.INSTANCE);
        assertThat(clientSide.bytes.get()).isEqualTo(3);
        assertThat(((SocketChannel) client).isOutputShutdown()).isTrue();
    }

    @Test
    void withAutoReadOffNothingIsReadUntilReadIsCalled() throws Exception {
        Recorder child = new Recorder();
        Channel server = server(child, ChannelOption.AUTO_READ, false);
        Channel client = client(server, new Recorder());
        Channel accepted = child.active.poll(10, TimeUnit.SECONDS);
        client.writeAndFlush(Unpooled.wrappedBuffer(new byte[100])).sync();
        // The zero-byte read completes when the bytes arrive and, as nobody reads, is not posted again.
        IocpLoops.until(() -> onLoop(accepted, () -> ((IocpSocketChannel) accepted).outstandingOperations()) == 0, 10);
        assertThat(child.bytes.get()).isZero();
        accepted.read();
        IocpLoops.until(() -> child.bytes.get() == 100, 10);
    }

    @Test
    void largeWritesTurnTheChannelUnwritableUntilTheBytesInFlightAreTaken() throws Exception {
        Recorder child = new Recorder();
        Channel server = server(child, ChannelOption.AUTO_READ, false);
        List<Boolean> writability = new CopyOnWriteArrayList<>();
        Channel client = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                        writability.add(ctx.channel().isWritable());
                    }
                })
                .connect(server.localAddress()).sync().channel();
        opened.add(client);
        Channel accepted = child.active.poll(10, TimeUnit.SECONDS);
        int chunks = 128;
        List<ChannelFuture> writes = new ArrayList<>();
        onLoop(client, () -> {
            for (int i = 0; i < chunks; i++) {
                writes.add(client.writeAndFlush(Unpooled.directBuffer(64 * 1024).writeZero(64 * 1024)));
            }
            return null;
        });
        assertThat(client.isWritable()).isFalse();
        accepted.config().setAutoRead(true);
        for (ChannelFuture write : writes) {
            assertThat(write.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(write.isSuccess()).isTrue();
        }
        IocpLoops.until(() -> child.bytes.get() == chunks * 64L * 1024, 20);
        assertThat(client.isWritable()).isTrue();
        assertThat(writability).startsWith(false).endsWith(true);
    }

    @Test
    void aRefusedConnectFailsWithTheWindowsNameAndLeavesNothingOutstanding() throws Exception {
        Channel server = server(new Recorder());
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        server.close().sync();
        ChannelFuture connect = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                .handler(new Recorder()).connect(address).await();
        assertThat(connect.cause()).isInstanceOf(ConnectException.class).hasRootCauseInstanceOf(WindowsException.class);
        // Refused at once (WSAECONNREFUSED) or by the connect's packet (STATUS_CONNECTION_REFUSED), as Windows may.
        assertThat(((WindowsException) rootCause(connect.cause())).codeName())
                .isIn("STATUS_CONNECTION_REFUSED", "WSAECONNREFUSED");
        assertThat(connect.cause()).hasMessageContaining(((WindowsException) rootCause(connect.cause())).codeName());
        assertThat(connect.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(value = org.junit.jupiter.api.condition.OS.LINUX,
            disabledReason = "relies on Linux dropping SYNs to a full accept queue")
    void aConnectThatDoesNotCompleteTimesOutAndItsCancelledConnectExIsDrained() throws Exception {
        // A listener whose accept queue is full and never accepted: Linux drops further SYNs, so a connect pends.
        try (ServerSocketChannel full = ServerSocketChannel.open()) {
            full.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            List<java.nio.channels.SocketChannel> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    java.nio.channels.SocketChannel filler = java.nio.channels.SocketChannel.open();
                    filler.configureBlocking(false);
                    filler.connect(full.getLocalAddress());
                    fillers.add(filler);
                }
                ChannelFuture connect = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300).handler(new Recorder())
                        .connect(full.getLocalAddress()).await();
                assertThat(connect.cause()).isInstanceOf(ConnectTimeoutException.class);
                assertThat(connect.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(onLoop(connect.channel(),
                        () -> ((IocpSocketChannel) connect.channel()).outstandingOperations())).isZero();
            } finally {
                for (java.nio.channels.SocketChannel filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void aFailedSendFailsOnlyItsChannel() throws Exception {
        Channel server = server(new Echo());
        Recorder healthy = new Recorder();
        Channel victim = client(server, new Recorder());
        Channel other = client(server, healthy);
        assumeTrue(loops.kernel != null, "injects a failure into the emulated kernel");
        // Armed and used on the loop thread, so the victim's send is the next overlapped submission.
        ChannelFuture failed = onLoop(victim, () -> {
            loops.kernel.faults().failNextOverlapped(Win32Error.WSAENOBUFS);
            return victim.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]));
        });
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failed.cause()).isInstanceOf(WindowsException.class).hasMessageContaining("WSAENOBUFS");
        other.writeAndFlush(Unpooled.wrappedBuffer(new byte[1000])).sync();
        IocpLoops.until(() -> healthy.bytes.get() == 1000, 10);
        assertThat(other.isActive()).isTrue();
    }

    @Test
    void shuttingTheLoopDownWithLiveConnectionsDrainsEveryPacketFirst() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        Recorder child = new Recorder();
        Channel server = server(child, ChannelOption.AUTO_READ, false);
        List<Channel> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Channel client = client(server, new Recorder());
            client.closeFuture().addListener(f -> closed.incrementAndGet());
            client.writeAndFlush(Unpooled.directBuffer(4 << 20).writeZero(4 << 20));
            clients.add(client);
        }
        loops.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        opened.clear();
        assertThat(closed.get()).isEqualTo(clients.size());
        assertThat(server.isOpen()).isFalse();
        assertThat(loops.memoryViolations()).isEmpty();
        loops = new IocpLoops(1);
    }
}
