package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The load test of the transport: a thousand loopback connections to one echo server, all open and echoing at
 * the same time, each sending a deterministic pseudo-random byte stream in chunks of varying size (a few bytes to
 * over 100 KiB) with two chunks in flight, and checking every echoed byte against the stream it sent. Afterwards
 * every channel is closed, every loop holds no registration, poll or poll memory, and the emulated kernel saw no
 * poll memory released under a pending operation. Run once per carrier.
 */
class ThousandConnectionEchoTest {

    private static final int CONNECTIONS = 1000;
    private static final int CHUNKS_PER_CONNECTION = 8;
    /** Chunks a connection may have sent but not yet seen echoed in full. */
    private static final int WINDOW = 2;
    private static final int LOOPS = 2;
    /** Only against a hang: a run that finishes never waits this long, and nothing asserts how long it took. */
    private static final long HANG_GUARD_SECONDS = 120;

    static Stream<Arguments> carriers() {
        return Stream.of(
                Arguments.of(Named.of("default carrier (helper handles)", AfdPollConfig.defaults())),
                Arguments.of(Named.of("base-socket carrier",
                        AfdPollConfig.builder().carrier(AfdPollCarrier.BASE_SOCKET).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("carriers")
    void aThousandConcurrentConnectionsEchoEveryByteAndLeaveNothingBehind(AfdPollConfig config) throws Exception {
        // On Windows the real kernel runs the test; only the emulated one can tell of poll memory misuse.
        EmulatedWindowsKernel kernel = WindowsKernel.current() instanceof EmulatedWindowsKernel e ? e : null;
        List<String> violationsBefore = kernel == null ? List.of() : kernel.memoryViolations();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Map<AfdPollIoHandler, EventLoop> loops = new ConcurrentHashMap<>();
        EchoServer echo = new EchoServer(errors, loops);
        Queue<Channel> children = new ConcurrentLinkedQueue<>();
        EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(LOOPS, AfdPollIoHandler.newFactory(config));
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(LOOPS, AfdPollIoHandler.newFactory(config));
        try {
            Channel server = new ServerBootstrap().group(serverGroup).channel(AfdPollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, CONNECTIONS)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            children.add(ch);
                            ch.pipeline().addLast(echo);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();

            Bootstrap bootstrap = new Bootstrap().group(clientGroup).channel(AfdPollSocketChannel.class);
            List<EchoClient> clients = new ArrayList<>(CONNECTIONS);
            List<ChannelFuture> connects = new ArrayList<>(CONNECTIONS);
            for (int i = 0; i < CONNECTIONS; i++) {
                EchoClient client = new EchoClient(i, errors, loops);
                clients.add(client);
                connects.add(bootstrap.clone().handler(client).connect(server.localAddress()));
            }
            List<Channel> clientChannels = new ArrayList<>(CONNECTIONS);
            for (ChannelFuture connect : connects) {
                assertThat(connect.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).as("connect finished").isTrue();
                assertThat(connect.cause()).as("connect failure").isNull();
                clientChannels.add(connect.channel());
            }

            awaitAllEchoed(clients);

            // Nobody closes before every connection is done, so all of them were open and echoing together.
            assertThat(children).hasSize(CONNECTIONS).allMatch(Channel::isActive);
            assertThat(clientChannels).allMatch(Channel::isActive);
            assertThat(loops).hasSize(2 * LOOPS);
            for (Map.Entry<AfdPollIoHandler, EventLoop> loop : loops.entrySet()) {
                AfdPollIoHandler.Stats stats = stats(loop);
                assertThat(stats.registrations()).as("registrations of one loop under load").isPositive();
                if (config.carrier() == AfdPollCarrier.HELPER_HANDLES) {
                    assertThat(stats.helpers()).isPositive();
                    assertThat(stats.maxSocketsOnOneHelper()).isLessThanOrEqualTo(config.socketsPerHelper());
                } else {
                    assertThat(stats.helpers()).as("helper handles of the base-socket carrier").isZero();
                }
            }

            for (Channel channel : clientChannels) {
                channel.close();
            }
            awaitClosed(clientChannels);
            // The server side closes on the clients' FIN.
            awaitClosed(children);
            server.close().sync();
            // Counted after the close: a write's listener may still be running when its bytes have been echoed.
            long expectedBytes = clients.stream().mapToLong(EchoClient::total).sum();
            assertThat(clients.stream().mapToLong(EchoClient::verified).sum()).isEqualTo(expectedBytes);
            assertThat(clients.stream().mapToLong(EchoClient::sent).sum()).isEqualTo(expectedBytes);
            assertThat(echo.received.sum()).as("bytes the server received").isEqualTo(expectedBytes);
            assertThat(echo.echoed.sum()).as("bytes the server wrote back").isEqualTo(expectedBytes);
            assertThat(clientChannels).noneMatch(Channel::isOpen);
            assertThat(children).noneMatch(Channel::isOpen);
            assertThat(server.isOpen()).isFalse();

            for (Map.Entry<AfdPollIoHandler, EventLoop> loop : loops.entrySet()) {
                // The LOCAL_CLOSE packets of the closed sockets' polls arrive on the loops' next iterations.
                AfdPollIoHandler.Stats idle = awaitStats(loop,
                        s -> s.registrations() == 0 && s.pollsInFlight() == 0 && s.blocksInUse() == 0);
                assertThat(idle.registrations()).as("registrations left").isZero();
                assertThat(idle.pollsInFlight()).as("polls still out").isZero();
                assertThat(idle.blocksInUse()).as("poll memory blocks still held").isZero();
            }
            assertThat(errors).as("exceptions on any channel").isEmpty();
        } finally {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (kernel != null) {
            assertThat(kernel.memoryViolations()).as("poll memory released under a pending operation")
                    .isEqualTo(violationsBefore);
        }
    }

    private static void awaitAllEchoed(List<EchoClient> clients) throws Exception {
        CompletableFuture<?> all = CompletableFuture.allOf(
                clients.stream().map(c -> c.done).toArray(CompletableFuture[]::new));
        try {
            all.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            List<String> stuck = clients.stream().filter(c -> !c.done.isDone()).limit(10)
                    .map(EchoClient::toString).toList();
            long unfinished = clients.stream().filter(c -> !c.done.isDone()).count();
            fail(unfinished + " connection(s) never got their whole stream back, for example " + stuck);
        } catch (ExecutionException e) {
            throw new AssertionError("a connection failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void awaitClosed(Iterable<Channel> channels) throws InterruptedException {
        for (Channel channel : channels) {
            assertThat(channel.closeFuture().await(HANG_GUARD_SECONDS, TimeUnit.SECONDS))
                    .as("%s closed", channel).isTrue();
        }
    }

    private static AfdPollIoHandler.Stats stats(Map.Entry<AfdPollIoHandler, EventLoop> loop) throws Exception {
        return loop.getValue().submit(loop.getKey()::stats).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
    }

    private static AfdPollIoHandler.Stats awaitStats(Map.Entry<AfdPollIoHandler, EventLoop> loop,
            Predicate<AfdPollIoHandler.Stats> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_SECONDS);
        AfdPollIoHandler.Stats stats = stats(loop);
        while (!condition.test(stats) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            stats = stats(loop);
        }
        return stats;
    }

    /** Notes which loop (handler) a channel runs on, from that loop's thread. */
    private static void noteLoop(ChannelHandlerContext ctx, Map<AfdPollIoHandler, EventLoop> loops) {
        AbstractAfdPollChannel channel = (AbstractAfdPollChannel) ctx.channel();
        AfdPollIoHandler handler = channel.registration().attachment();
        loops.putIfAbsent(handler, ctx.channel().eventLoop());
    }

    /** Byte {@code offset} of connection {@code seed}'s stream (the SplitMix64 finalizer of both). */
    static byte streamByte(long seed, long offset) {
        long z = seed * 0x9E3779B97F4A7C15L + offset * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (byte) (z ^ (z >>> 31));
    }

    /**
     * Chunk sizes of one connection: mostly small and medium, some of several KiB, now and then one large enough
     * to fill a loopback socket buffer part-way and leave a write pending.
     */
    static long[] chunkEnds(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] ends = new long[CHUNKS_PER_CONNECTION];
        long end = 0;
        for (int i = 0; i < ends.length; i++) {
            int kind = random.nextInt(100);
            int size;
            if (kind < 40) {
                size = 1 + random.nextInt(64);
            } else if (kind < 80) {
                size = 65 + random.nextInt(1500);
            } else if (kind < 97) {
                size = 1565 + random.nextInt(14_819);
            } else {
                size = 32 * 1024 + random.nextInt(96 * 1024);
            }
            end += size;
            ends[i] = end;
        }
        return ends;
    }

    /** Writes back whatever it reads, flushing once per read burst, and counts both. */
    @ChannelHandler.Sharable
    static final class EchoServer extends ChannelInboundHandlerAdapter {

        final LongAdder received = new LongAdder();
        final LongAdder echoed = new LongAdder();
        private final Queue<Throwable> errors;
        private final Map<AfdPollIoHandler, EventLoop> loops;

        EchoServer(Queue<Throwable> errors, Map<AfdPollIoHandler, EventLoop> loops) {
            this.errors = errors;
            this.loops = loops;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            noteLoop(ctx, loops);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            int bytes = ((ByteBuf) msg).readableBytes();
            received.add(bytes);
            ctx.write(msg).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    echoed.add(bytes);
                } else {
                    errors.add(f.cause());
                }
            });
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
            ctx.close();
        }
    }

    /** One connection: sends its stream chunk by chunk, at most {@link #WINDOW} ahead, and checks the echo. */
    static final class EchoClient extends SimpleChannelInboundHandler<ByteBuf> {

        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final int id;
        private final long seed;
        private final long[] ends;
        private final Queue<Throwable> errors;
        private final Map<AfdPollIoHandler, EventLoop> loops;
        private int chunksSent;
        private volatile long sent;
        private volatile long verified;

        EchoClient(int id, Queue<Throwable> errors, Map<AfdPollIoHandler, EventLoop> loops) {
            this.id = id;
            this.seed = 0x5EEDL + id;
            this.ends = chunkEnds(seed);
            this.errors = errors;
            this.loops = loops;
        }

        long total() {
            return ends[ends.length - 1];
        }

        long sent() {
            return sent;
        }

        long verified() {
            return verified;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            noteLoop(ctx, loops);
            sendWhatTheWindowAllows(ctx);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            int length = msg.readableBytes();
            long at = verified;
            if (at + length > total()) {
                failed(ctx, new AssertionError("connection " + id + " got " + (at + length) + " bytes back but sent "
                        + total()));
                return;
            }
            // One bulk copy: the build's paranoid leak detector records a stack trace at every buffer access.
            byte[] echoed = new byte[length];
            msg.getBytes(msg.readerIndex(), echoed);
            for (int i = 0; i < length; i++) {
                byte expected = streamByte(seed, at + i);
                if (echoed[i] != expected) {
                    failed(ctx, new AssertionError("connection " + id + ": echoed byte " + (at + i) + " is "
                            + echoed[i] + ", sent " + expected));
                    return;
                }
            }
            verified = at + length;
            sendWhatTheWindowAllows(ctx);
            if (verified == total()) {
                done.complete(null);
            }
        }

        private void sendWhatTheWindowAllows(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (chunksSent < ends.length && (chunksSent < WINDOW || verified >= ends[chunksSent - WINDOW])) {
                long start = chunksSent == 0 ? 0 : ends[chunksSent - 1];
                int size = (int) (ends[chunksSent] - start);
                byte[] bytes = new byte[size];
                for (int i = 0; i < size; i++) {
                    bytes[i] = streamByte(seed, start + i);
                }
                ctx.write(ctx.alloc().buffer(size).writeBytes(bytes)).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        sent += size;
                    } else {
                        failed(ctx, f.cause());
                    }
                });
                chunksSent++;
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done.isDone()) {
                failed(ctx, new AssertionError("connection " + id + " closed with " + verified + " of " + total()
                        + " bytes echoed"));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(ctx, cause);
        }

        private void failed(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
            done.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public String toString() {
            return "connection " + id + " (" + chunksSent + " of " + ends.length + " chunks written, " + sent
                    + " bytes sent, " + verified + " of " + total() + " echoed)";
        }
    }
}
