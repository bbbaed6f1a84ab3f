package dev.dxreactor.hbtp.cli;

import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import dev.dxreactor.hbtp.HbtpStatus;
import dev.dxreactor.hbtp.HbtpTopics;
import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HBTP server for the CLI to talk to, on loopback:
 * <ul>
 *   <li>route 1: echo (or, for {@link #wrongEcho}, the request with its first byte flipped)</li>
 *   <li>route 2: fails with PERMISSION_DENIED</li>
 *   <li>route 3: answers after two seconds (for timeouts)</li>
 *   <li>route 4: answers with the request's metadata, one {@code key=value} line each</li>
 *   <li>route 5: answers with {@link #GREETING} as a teleport message</li>
 *   <li>topic 1: state {@code state-1}, then deltas {@code delta-2} and {@code delta-3}</li>
 *   <li>client event 1 is recorded in {@link #events}; client event 2 is answered with SERVER_EVENT 7
 *       carrying {@code re:} and the payload</li>
 * </ul>
 */
final class TestServer implements AutoCloseable {

    static final int ECHO = 1;
    static final int DENIED = 2;
    static final int SLOW = 3;
    static final int METADATA = 4;
    static final int GREETING_ROUTE = 5;
    static final int TOPIC = 1;
    static final int EVENT_RECORDED = 1;
    static final int EVENT_ANSWERED = 2;
    static final int SERVER_EVENT = 7;

    static final Greeting GREETING = new Greeting(42, "hello, json", Greeting.Mood.HAPPY, new int[] {3, 1, 4},
            new byte[] {1, 2, 3}, new Greeting.Tag("first", 1),
            List.of(new Greeting.Tag("a", 10), new Greeting.Tag("b\u00e9", 20)));

    /** Client events of id 1, as UTF-8 text. */
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Channel listener;

    private TestServer(DxReactor reactor, HbtpServerConfig.Builder config, boolean wrongEcho)
            throws InterruptedException {
        HbtpTopics topics = new HbtpTopics();
        topics.publish(TOPIC, text("state-1"));
        topics.publishDelta(TOPIC, text("delta-2"));
        topics.publishDelta(TOPIC, text("delta-3"));
        HbtpRouter router = new HbtpRouter()
                .route(ECHO, call -> wrongEcho ? flipFirstByte(call.payload()) : call.payload().retain())
                .route(DENIED, call -> {
                    throw new HbtpRpcException(HbtpStatus.PERMISSION_DENIED, "not for you");
                })
                .routeAsync(SLOW, call -> CompletableFuture.supplyAsync(() -> Unpooled.EMPTY_BUFFER,
                        CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS)))
                .route(METADATA, call -> text(lines(call.metadata())))
                .route(GREETING_ROUTE, call -> {
                    TeleportBuffer out = TeleportBuffer.allocate(call.alloc());
                    GreetingTeleport.write(out, GREETING);
                    return out.finish();
                });
        config.router(router).topics(topics)
                .onClientEvent(EVENT_RECORDED, (session, event, payload) ->
                        events.add(payload.toString(StandardCharsets.UTF_8)))
                .onClientEvent(EVENT_ANSWERED, (session, event, payload) ->
                        session.sendEvent(SERVER_EVENT, text("re:" + payload.toString(StandardCharsets.UTF_8))));
        listener = reactor.serverBootstrap().childHandler(new HbtpServerInitializer(config.build()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static TestServer start(DxReactor reactor, HbtpServerConfig.Builder config) throws InterruptedException {
        return new TestServer(reactor, config, false);
    }

    /** A server whose echo route answers wrong bytes. */
    static TestServer startWrongEcho(DxReactor reactor, HbtpServerConfig.Builder config)
            throws InterruptedException {
        return new TestServer(reactor, config, true);
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** {@code --host 127.0.0.1 --port <port>}. */
    String[] address() {
        return new String[] {"--host", "127.0.0.1", "--port", Integer.toString(port())};
    }

    private static ByteBuf flipFirstByte(ByteBuf request) {
        ByteBuf answer = request.retainedDuplicate();
        if (answer.isReadable()) {
            ByteBuf copy = Unpooled.copiedBuffer(answer);
            answer.release();
            copy.setByte(0, copy.getByte(0) ^ 0xFF);
            return copy;
        }
        return answer;
    }

    private static String lines(HbtpMetadata metadata) {
        StringBuilder text = new StringBuilder();
        metadata.entries().forEach(e -> text.append(e).append('\n'));
        return text.toString();
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }
}
