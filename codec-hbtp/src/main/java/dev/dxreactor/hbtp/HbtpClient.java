package dev.dxreactor.hbtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * An HBTP/1 client connection.
 *
 * <pre>{@code
 * try (HbtpClient client = HbtpClient.connect("localhost", 7008, HbtpClientConfig.defaults())) {
 *     ByteBuf answer = client.call(1, Unpooled.copiedBuffer("hi", UTF_8)).get();
 *     ...
 *     answer.release();
 * }
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread. Payloads passed in are owned by the client
 * from then on; response bodies handed out are owned by the caller. Sequence numbers are never reused while
 * a call is in flight.
 *
 * <p>Where calls are many and small, {@link #call(int, int, BodyWriter)} has the caller write the body straight
 * into the buffer that goes out: one buffer per call and no copy, instead of the caller's buffer and the frame
 * it is copied into.
 */
public final class HbtpClient implements AutoCloseable {

    /** Writes a call's body into the buffer the call is sent in. */
    @FunctionalInterface
    public interface BodyWriter {
        /**
         * Appends the body at {@code out}'s writer index. Runs on the calling thread, before
         * {@link #call(int, int, BodyWriter)} returns; {@code out} belongs to the client, so it must not be
         * kept, released or read before the writer index it was given.
         */
        void writeBody(ByteBuf out);
    }

    /** The frame header and the route, left in front of a body written in place and filled in on the loop. */
    static final int IN_PLACE_HEADROOM = HbtpHeader.SIZE + 2;

    private final Channel channel;
    private final HbtpClientHandler handler;
    private final HbtpClientConfig config;
    private final EventLoopGroup ownGroup;

    private HbtpClient(Channel channel, HbtpClientHandler handler, HbtpClientConfig config, EventLoopGroup ownGroup) {
        this.channel = channel;
        this.handler = handler;
        this.config = config;
        this.ownGroup = ownGroup;
    }

    /**
     * Connects and completes the handshake, waiting at most the connect timeout for each.
     *
     * @throws HbtpException if the connection or the handshake fails
     */
    public static HbtpClient connect(String host, int port, HbtpClientConfig config) {
        return connect(new InetSocketAddress(host, port), config);
    }

    /** {@link #connect(String, int, HbtpClientConfig)} to a resolved address. */
    public static HbtpClient connect(SocketAddress address, HbtpClientConfig config) {
        CompletableFuture<HbtpClient> client = connectAsync(address, config);
        try {
            return client.get(2 * config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof HbtpException h ? h : new HbtpException("cannot connect to " + address, cause);
        } catch (TimeoutException e) {
            client.cancel(false);
            throw new HbtpException("no handshake with " + address + " within "
                    + 2 * config.connectTimeout().toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HbtpException("interrupted while connecting to " + address, e);
        }
    }

    /** Connects without blocking; completes once HELLO_ACK has arrived. */
    public static CompletableFuture<HbtpClient> connectAsync(SocketAddress address, HbtpClientConfig config) {
        EventLoopGroup ownGroup = config.group() == null ? new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("hbtp-client", true), NioIoHandler.newFactory()) : null;
        EventLoopGroup group = ownGroup != null ? ownGroup : config.group();
        Class<? extends Channel> channelClass = ownGroup != null ? NioSocketChannel.class : config.channelClass();
        HbtpClientHandler handler = new HbtpClientHandler(config);

        Bootstrap bootstrap = new Bootstrap().group(group).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (config.sslContext() != null) {
                            ch.pipeline().addLast("ssl", address instanceof InetSocketAddress inet
                                    ? config.sslContext().newHandler(ch.alloc(), inet.getHostString(), inet.getPort())
                                    : config.sslContext().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("hbtp-codec", config.newCodec());
                        ch.pipeline().addLast("hbtp-client", handler);
                    }
                });

        CompletableFuture<HbtpClient> result = new CompletableFuture<>();
        bootstrap.connect(address).addListener(f -> {
            if (!f.isSuccess()) {
                shutdown(ownGroup);
                result.completeExceptionally(new HbtpException("cannot connect to " + address + ": "
                        + f.cause().getMessage(), f.cause()));
                return;
            }
            Channel channel = ((io.netty.channel.ChannelFuture) f).channel();
            channel.eventLoop().schedule(() -> {
                if (!handler.handshake.isDone()) {
                    channel.close();
                }
            }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            handler.handshake.whenComplete((hello, error) -> {
                if (error != null) {
                    channel.close();
                    shutdown(ownGroup);
                    result.completeExceptionally(new HbtpException("handshake with " + address + " failed: "
                            + error.getMessage(), error));
                } else if (!result.complete(new HbtpClient(channel, handler, config, ownGroup))) {
                    channel.close();
                    shutdown(ownGroup);
                }
            });
        });
        return result;
    }

    /** Calls {@code route} with {@code payload} (owned by the client from now on), with the default timeout. */
    public HbtpCallFuture call(int route, ByteBuf payload) {
        return call(route, payload, HbtpMetadata.empty(), config.callTimeout());
    }

    /**
     * Calls {@code route} with metadata (for example {@code auth} or {@code deadline-ms}) and a timeout.
     * The future fails at once with {@link HbtpException} when {@code maxInFlight} calls are already waiting.
     */
    public HbtpCallFuture call(int route, ByteBuf payload, HbtpMetadata metadata, Duration timeout) {
        checkId("route", route, payload);
        HbtpCallFuture future = new HbtpCallFuture(handler, route);
        long timeoutNanos = timeout.toNanos();
        if (channel.eventLoop().inEventLoop()) {
            handler.call(future, route, payload, metadata, timeoutNanos);
        } else {
            onLoop(() -> handler.call(future, route, payload, metadata, timeoutNanos), payload,
                    future::completeExceptionally);
        }
        return future;
    }

    /**
     * Calls {@code route} with a body {@code body} writes straight into the buffer the call is sent in, with
     * the default timeout. Without metadata, compression or a body above the server's frame limit the buffer
     * goes out as it is; otherwise the call is sent as {@link #call(int, ByteBuf)} sends it.
     *
     * @param sizeHint the body's expected size in bytes; the buffer grows if the writer writes more
     * @throws RuntimeException what {@code body} threw, the call not made
     */
    public HbtpCallFuture call(int route, int sizeHint, BodyWriter body) {
        return call(route, sizeHint, body, config.callTimeout());
    }

    /** As {@link #call(int, int, BodyWriter)}, with a timeout. */
    public HbtpCallFuture call(int route, int sizeHint, BodyWriter body, Duration timeout) {
        if (route < 0 || route > 0xFFFF) {
            throw new IllegalArgumentException("route id " + route + " is outside 0..65535");
        }
        if (sizeHint < 0) {
            throw new IllegalArgumentException("size hint " + sizeHint + " is negative");
        }
        ByteBuf frame = channel.alloc().ioBuffer(IN_PLACE_HEADROOM + sizeHint);
        try {
            frame.writerIndex(IN_PLACE_HEADROOM);
            body.writeBody(frame);
            if (frame.writerIndex() < IN_PLACE_HEADROOM) {
                throw new IllegalStateException("the body writer moved the writer index back over the headroom "
                        + "the client keeps for the frame header");
            }
            frame.readerIndex(IN_PLACE_HEADROOM);
        } catch (RuntimeException | Error e) {
            frame.release();
            throw e;
        }
        HbtpCallFuture future = new HbtpCallFuture(handler, route);
        long timeoutNanos = timeout.toNanos();
        if (channel.eventLoop().inEventLoop()) {
            // The common case under load, a call made from an answer's callback: no task to hand over.
            handler.callInPlace(future, route, frame, timeoutNanos);
        } else {
            onLoop(() -> handler.callInPlace(future, route, frame, timeoutNanos), frame,
                    future::completeExceptionally);
        }
        return future;
    }

    /** Calls without waiting for an answer; completes once the call is written. */
    public CompletableFuture<Void> callAndForget(int route, ByteBuf payload) {
        checkId("route", route, payload);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        onLoop(() -> handler.callAndForget(sent, route, payload), payload, sent::completeExceptionally);
        return sent;
    }

    /** Sends CLIENT_EVENT {@code event} with {@code payload} (owned by the client from now on). */
    public void sendEvent(int event, ByteBuf payload) {
        checkId("event", event, payload);
        onLoop(() -> handler.sendEvent(event, payload), payload, error -> { });
    }

    /** Calls {@code listener} on the event loop for every SERVER_EVENT {@code event}. */
    public void onServerEvent(int event, HbtpClientEventListener listener) {
        checkId("event", event, null);
        channel.eventLoop().execute(() -> handler.onServerEvent(event, listener));
    }

    /**
     * Subscribes to {@code topic}: the listener gets the current state, then each change in order.
     *
     * @throws HbtpException when the server does not serve topics or the topic is already subscribed
     */
    public HbtpSubscription subscribe(int topic, HbtpTopicListener listener) {
        checkId("topic", topic, null);
        HbtpSubscription subscription = new HbtpSubscription(handler, topic, listener);
        if (channel.eventLoop().inEventLoop()) {
            // Called from a listener: waiting for the loop here would wait for ourselves.
            handler.subscribe(subscription);
            return subscription;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                handler.subscribe(subscription);
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof HbtpException h ? h : new HbtpException("subscribe failed", e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new HbtpException("subscribe to topic " + topic + " did not complete", e);
        }
        return subscription;
    }

    /** The server's HELLO_ACK: its limits and the agreed capabilities. */
    public HbtpHello serverHello() {
        return handler.serverHello();
    }

    /** The capabilities both sides agreed on. */
    public int capabilities() {
        return handler.capabilities();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public Channel channel() {
        return channel;
    }

    /** Calls waiting for an answer now (read on the event loop; an estimate elsewhere). */
    public int inFlight() {
        EventExecutor loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            return handler.inFlight();
        }
        try {
            return loop.submit(handler::inFlight).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Closes with the CLOSE handshake: the server finishes the calls in flight, answers, and the connection
     * closes; calls still waiting then fail with {@link HbtpException}.
     */
    public CompletableFuture<Void> closeAsync() {
        if (channel.isActive()) {
            channel.eventLoop().execute(handler::startClose);
        }
        return handler.closed.whenComplete((v, e) -> shutdown(ownGroup));
    }

    /** {@link #closeAsync()} and wait for it, at most twice the pong timeout. */
    @Override
    public void close() {
        try {
            closeAsync().get(2 * config.pongTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            channel.close();
            shutdown(ownGroup);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
        }
    }

    private void onLoop(Runnable task, ByteBuf payload, Consumer<Throwable> onRejected) {
        EventExecutor loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ReferenceCountUtil.release(payload);
            onRejected.accept(new HbtpException("client is closed", e));
        }
    }

    private static void checkId(String what, int id, ByteBuf payload) {
        if (id < 0 || id > 0xFFFF) {
            ReferenceCountUtil.release(payload);
            throw new IllegalArgumentException(what + " id " + id + " is outside 0..65535");
        }
    }

    private static void shutdown(EventLoopGroup ownGroup) {
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "HbtpClient(" + channel.remoteAddress() + ")";
    }
}
