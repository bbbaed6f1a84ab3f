package dev.dxreactor.benchmarks.windows;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop echo load on loopback, running on its own from {@link #start} to {@link #close}: a server
 * that writes back what it reads (flushing once per read burst) and {@code connections} clients that each
 * keep {@code window} messages of {@value EchoMessage#SIZE} bytes in flight, sending the next one as soon
 * as an echo comes back and checking every echo byte for byte. One event loop serves the server, another
 * the clients. {@link #awaitEchoes} waits, parked, until a number of further echoes has been checked.
 */
final class EchoLoad implements AutoCloseable {

    private static final long STALL_SECONDS = 60;

    private final EchoTransport transport;
    private final EventLoopGroup serverGroup;
    private final EventLoopGroup clientGroup;
    private final List<Channel> clients = new ArrayList<>();
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Goal goal = new Goal(Long.MAX_VALUE, new CompletableFuture<>());
    private volatile boolean stopping;
    private Channel server;

    private EchoLoad(EchoTransport transport) {
        this.transport = transport;
        this.serverGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("echo-server"),
                transport.ioHandlerFactory());
        this.clientGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("echo-client"),
                transport.ioHandlerFactory());
    }

    /** Connects every client; each starts sending at once. */
    static EchoLoad start(EchoTransport transport, int connections, int window) throws InterruptedException {
        if (connections < 1 || window < 1) {
            throw new IllegalArgumentException("connections = " + connections + ", window = " + window
                    + " (both at least 1)");
        }
        EchoLoad load = new EchoLoad(transport);
        try {
            load.connect(connections, window);
        } catch (InterruptedException | RuntimeException e) {
            load.close();
            throw e;
        }
        return load;
    }

    private void connect(int connections, int window) throws InterruptedException {
        EchoServer echo = new EchoServer();
        server = new ServerBootstrap().group(serverGroup).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, Math.max(128, connections))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(echo)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        Bootstrap bootstrap = new Bootstrap().group(clientGroup).channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true);
        List<ChannelFuture> connects = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            int id = i;
            connects.add(bootstrap.clone().handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new FixedLengthFrameDecoder(EchoMessage.SIZE), new Client(id, window));
                }
            }).connect(server.localAddress()));
        }
        for (ChannelFuture connect : connects) {
            clients.add(connect.sync().channel());
        }
    }

    /**
     * Waits until {@code count} more echoes than so far have come back and been checked.
     *
     * @throws IllegalStateException when an echo was wrong, a channel failed, or nothing came back for a minute
     */
    void awaitEchoes(long count) throws InterruptedException {
        Goal next = new Goal(echoes.get() + count, new CompletableFuture<>());
        goal = next;
        Throwable cause = failure.get();
        if (cause != null) {
            next.reached.completeExceptionally(cause);
        } else if (echoes.get() >= next.echoes) {
            next.reached.complete(null);
        }
        try {
            next.reached.get(STALL_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the echo load failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the echo load stalled: " + (next.echoes - echoes.get()) + " of " + count
                    + " echoes missing after " + STALL_SECONDS + " s on " + transport.parameter());
        }
    }

    /** Echoes checked since the start. */
    long echoes() {
        return echoes.get();
    }

    private void echoed() {
        long count = echoes.incrementAndGet();
        // Read after counting: a goal set before this echo counted is seen; one set later checks the count itself.
        Goal current = goal;
        if (count >= current.echoes) {
            current.reached.complete(null);
        }
    }

    private void failed(Throwable cause) {
        if (!stopping && failure.compareAndSet(null, cause)) {
            goal.reached.completeExceptionally(cause);
        }
    }

    /** What {@link #awaitEchoes} waits for: the echo count, and the future completed when it is reached. */
    private record Goal(long echoes, CompletableFuture<Void> reached) {
    }

    /**
     * Stops the load and releases its threads.
     *
     * @throws IllegalStateException when an echo was wrong or a channel failed while the load ran
     */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Channel client : clients) {
            client.close().await();
        }
        if (server != null) {
            server.close().await();
        }
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
        Throwable cause = failure.get();
        if (cause != null) {
            throw new IllegalStateException("the echo load failed on " + transport.parameter(), cause);
        }
    }

    /** Writes back whatever it reads; one flush per read burst. */
    @ChannelHandler.Sharable
    private final class EchoServer extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(cause);
            ctx.close();
        }
    }

    /** One connection: {@code window} messages in flight, the next sent as each echo is checked. */
    private final class Client extends SimpleChannelInboundHandler<ByteBuf> {

        private final int id;
        private final int window;
        private long nextToSend;
        private long nextExpected;

        Client(int id, int window) {
            this.id = id;
            this.window = window;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            for (int i = 0; i < window; i++) {
                send(ctx);
            }
            ctx.flush();
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf echo) {
            if (!EchoMessage.matches(echo, id, nextExpected)) {
                failed(new IllegalStateException("connection " + id + ": echo of message " + nextExpected
                        + " differs from the message sent"));
                ctx.close();
                return;
            }
            nextExpected++;
            echoed();
            send(ctx);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        private void send(ChannelHandlerContext ctx) {
            ByteBuf message = ctx.alloc().ioBuffer(EchoMessage.SIZE);
            EchoMessage.write(message, id, nextToSend++);
            ctx.write(message, ctx.voidPromise());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            failed(new IllegalStateException("connection " + id + " closed while the load ran"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(cause);
            ctx.close();
        }
    }
}
