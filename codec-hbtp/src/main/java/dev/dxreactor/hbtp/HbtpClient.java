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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>A lost connection stays lost unless the config has a {@link ReconnectPolicy}
 * ({@link HbtpClientConfig.Builder#reconnect}): then the client connects again in the background, calls made
 * meanwhile fail at once with {@link HbtpErrorCategory#UNAVAILABLE}, and subscriptions resume from the versions
 * their listeners hold.
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

    private static final Logger LOG = LoggerFactory.getLogger(HbtpClient.class);

    private final SocketAddress address;
    private final HbtpClientConfig config;
    private final EventLoopGroup ownGroup;
    /** Makes this client's connections, all on one event loop: the first and every one after a loss. */
    private final Bootstrap bootstrap;
    private final ClientState state;
    /** {@code null} when the config does not reconnect. */
    private final Reconnector reconnector;
    /** The handler of the current connection (after a loss, the lost one's until a new one is made). */
    private volatile HbtpClientHandler handler;
    private volatile boolean closed;

    private HbtpClient(SocketAddress address, HbtpClientConfig config, EventLoopGroup ownGroup, Bootstrap bootstrap,
                       ClientState state, HbtpClientHandler handler) {
        this.address = address;
        this.config = config;
        this.ownGroup = ownGroup;
        this.bootstrap = bootstrap;
        this.state = state;
        this.handler = handler;
        this.reconnector = config.reconnect().enabled()
                ? new Reconnector(config.reconnect(), handler.channel().eventLoop(), address, state,
                        () -> open(bootstrap, address, config, state), this::reconnected, () -> closed)
                : null;
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
            throw cause instanceof HbtpException h ? h
                    : new HbtpException(HbtpErrorCategory.of(cause), "cannot connect to " + address, cause);
        } catch (TimeoutException e) {
            client.cancel(false);
            throw new HbtpException(HbtpErrorCategory.TIMEOUT, "no handshake with " + address + " within "
                    + 2 * config.connectTimeout().toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HbtpException(HbtpErrorCategory.NETWORK, false, "interrupted while connecting to " + address, e);
        }
    }

    /**
     * Connects without blocking; completes once HELLO_ACK has arrived. The first connection is not retried,
     * whatever the config's reconnect policy: a wrong address fails at once.
     */
    public static CompletableFuture<HbtpClient> connectAsync(SocketAddress address, HbtpClientConfig config) {
        EventLoopGroup ownGroup = config.group() == null ? new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("hbtp-client", true), NioIoHandler.newFactory()) : null;
        EventLoopGroup group = ownGroup != null ? ownGroup : config.group();
        Class<? extends Channel> channelClass = ownGroup != null ? NioSocketChannel.class : config.channelClass();
        // One loop for every connection of this client: the state they share is that loop's alone.
        Bootstrap bootstrap = new Bootstrap().group(group.next()).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
        ClientState state = new ClientState();

        CompletableFuture<HbtpClient> result = new CompletableFuture<>();
        open(bootstrap, address, config, state).whenComplete((handler, error) -> {
            if (error != null) {
                shutdown(ownGroup);
                result.completeExceptionally(error);
                return;
            }
            HbtpClient client = new HbtpClient(address, config, ownGroup, bootstrap, state, handler);
            if (!result.complete(client)) {
                handler.channel().close();
                shutdown(ownGroup);
                return;
            }
            client.watch(handler);
        });
        return result;
    }

    /**
     * One connection and its handshake: completes with its handler once HELLO_ACK has arrived (and, with
     * encryption, the server's first sealed frame has opened), or fails with an {@link HbtpException}.
     */
    private static CompletableFuture<HbtpClientHandler> open(Bootstrap template, SocketAddress address,
                                                             HbtpClientConfig config, ClientState state) {
        HbtpClientHandler handler = new HbtpClientHandler(config, state);
        Bootstrap bootstrap = template.clone()
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (config.sslContext() != null) {
                            ch.pipeline().addLast("ssl", address instanceof InetSocketAddress inet
                                    ? config.sslContext().newHandler(ch.alloc(), inet.getHostString(), inet.getPort())
                                    : config.sslContext().newHandler(ch.alloc()));
                        }
                        if (config.webSocketPath() != null) {
                            WebSocketClientPipeline.add(ch.pipeline(), address, config);
                        }
                        if (config.metrics() != null) {
                            ch.pipeline().addLast("hbtp-metrics", config.metrics().newWireCounter());
                        }
                        ch.pipeline().addLast("hbtp-codec", config.newCodec());
                        ch.pipeline().addLast("hbtp-client", handler);
                    }
                });

        CompletableFuture<HbtpClientHandler> result = new CompletableFuture<>();
        bootstrap.connect(address).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new HbtpException(HbtpErrorCategory.NETWORK, "cannot connect to "
                        + address + ": " + f.cause().getMessage(), f.cause()));
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
                    result.completeExceptionally(new HbtpException(HbtpErrorCategory.of(error),
                            "handshake with " + address + " failed: " + error.getMessage(), error));
                } else if (!result.complete(handler)) {
                    channel.close();
                }
            });
        });
        return result;
    }

    /** Reconnects, if the config says so, once {@code connection} is lost, unless the client was closed. */
    private void watch(HbtpClientHandler connection) {
        connection.closed.whenComplete((v, e) -> {
            if (!closed && reconnector != null && connection == handler) {
                reconnector.connectionLost();
            }
        });
    }

    /** A new connection after a loss, its subscriptions already asked for again; on the client's loop. */
    private boolean reconnected(HbtpClientHandler connection) {
        if (closed) {
            return false;
        }
        handler = connection;
        if (config.metrics() != null) {
            config.metrics().reconnected();
        }
        watch(connection);
        return true;
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
        HbtpClientHandler connection = handler;
        HbtpCallFuture future = new HbtpCallFuture(connection, route);
        long timeoutNanos = timeout.toNanos();
        if (connection.channel().eventLoop().inEventLoop()) {
            connection.call(future, route, payload, metadata, timeoutNanos);
        } else {
            onLoop(() -> connection.call(future, route, payload, metadata, timeoutNanos), payload,
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
        HbtpClientHandler connection = handler;
        return callInPlace(connection, new HbtpCallFuture(connection, route), route, sizeHint, body, timeout);
    }

    /**
     * As {@link #call(int, int, BodyWriter)}, with the answer handed to {@code answer} on the event loop instead of
     * a future: the leanest way to make many calls (no future, no completion stage per call).
     *
     * @throws RuntimeException what {@code body} threw, the call not made and {@code answer} not called
     */
    public void call(int route, int sizeHint, BodyWriter body, HbtpResponseHandler answer) {
        if (answer == null) {
            throw new NullPointerException("answer");
        }
        HbtpClientHandler connection = handler;
        callInPlace(connection, new HbtpCallFuture.ToHandler(connection, route, answer), route, sizeHint, body,
                config.callTimeout());
    }

    private HbtpCallFuture callInPlace(HbtpClientHandler connection, HbtpCallFuture future, int route, int sizeHint,
                                       BodyWriter body, Duration timeout) {
        if (route < 0 || route > 0xFFFF) {
            throw new IllegalArgumentException("route id " + route + " is outside 0..65535");
        }
        if (sizeHint < 0) {
            throw new IllegalArgumentException("size hint " + sizeHint + " is negative");
        }
        ByteBuf frame = connection.channel().alloc().ioBuffer(IN_PLACE_HEADROOM + sizeHint);
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
        long timeoutNanos = timeout.toNanos();
        if (connection.channel().eventLoop().inEventLoop()) {
            // The common case under load, a call made from an answer's callback: no task to hand over.
            connection.callInPlace(future, route, frame, timeoutNanos);
        } else {
            onLoop(() -> connection.callInPlace(future, route, frame, timeoutNanos), frame,
                    future::completeExceptionally);
        }
        return future;
    }

    /** Calls without waiting for an answer; completes once the call is written. */
    public CompletableFuture<Void> callAndForget(int route, ByteBuf payload) {
        checkId("route", route, payload);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        HbtpClientHandler connection = handler;
        onLoop(() -> connection.callAndForget(sent, route, payload), payload, sent::completeExceptionally);
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
        loop().execute(() -> handler.onServerEvent(event, listener));
    }

    /**
     * Subscribes to {@code topic}: the listener gets the current state, then each change in order.
     *
     * @throws HbtpException when the server does not serve topics or the topic is already subscribed
     */
    public HbtpSubscription subscribe(int topic, HbtpTopicListener listener) {
        checkId("topic", topic, null);
        HbtpSubscription subscription = new HbtpSubscription(this::unsubscribe, topic, listener);
        EventExecutor loop = loop();
        if (loop.inEventLoop()) {
            // Called from a listener: waiting for the loop here would wait for ourselves.
            handler.subscribe(subscription);
            return subscription;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
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
            throw e.getCause() instanceof HbtpException h ? h
                    : new HbtpException(HbtpErrorCategory.of(e.getCause()), "subscribe failed", e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new HbtpException("subscribe to topic " + topic + " did not complete", e);
        }
        return subscription;
    }

    /** Unsubscribes on the connection the client has when the task runs. */
    private void unsubscribe(HbtpSubscription subscription) {
        try {
            loop().execute(() -> handler.unsubscribe(subscription));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The client's loop has stopped: there is no connection to unsubscribe on.
        }
    }

    /** The event loop every connection of this client runs on. */
    private EventExecutor loop() {
        return handler.channel().eventLoop();
    }

    /** The server's HELLO_ACK: its limits and the agreed capabilities. */
    public HbtpHello serverHello() {
        return handler.serverHello();
    }

    /** The capabilities both sides agreed on. */
    public int capabilities() {
        return handler.capabilities();
    }

    /** Whether the client has a connection now (a reconnecting client between two has none). */
    public boolean isOpen() {
        return handler.channel().isActive();
    }

    /** The channel of the current connection: after a reconnect, another one than before. */
    public Channel channel() {
        return handler.channel();
    }

    /** Calls waiting for an answer now (read on the event loop; an estimate elsewhere). */
    public int inFlight() {
        EventExecutor loop = loop();
        if (loop.inEventLoop()) {
            return handler.inFlight();
        }
        try {
            return loop.submit(() -> handler.inFlight()).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Closes with the CLOSE handshake: the server finishes the calls in flight, answers, and the connection
     * closes; calls still waiting then fail with {@link HbtpException}.
     */
    public CompletableFuture<Void> closeAsync() {
        closed = true;
        state.reconnecting = false;
        HbtpClientHandler current = handler;
        if (reconnector != null) {
            reconnector.stop();
        }
        if (current.channel().isActive()) {
            current.channel().eventLoop().execute(current::startClose);
        }
        return current.closed.whenComplete((v, e) -> shutdown(ownGroup));
    }

    /** {@link #closeAsync()} and wait for it, at most twice the pong timeout. */
    @Override
    public void close() {
        try {
            closeAsync().get(2 * config.pongTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            handler.channel().close();
            shutdown(ownGroup);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handler.channel().close();
        }
    }

    private void onLoop(Runnable task, ByteBuf payload, Consumer<Throwable> onRejected) {
        EventExecutor loop = loop();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ReferenceCountUtil.release(payload);
            onRejected.accept(new HbtpException(HbtpErrorCategory.NETWORK, false, "client is closed", e));
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
        return "HbtpClient(" + address + ")";
    }
}
