package dev.dxreactor.examples.hbtp;

import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import dev.dxreactor.hbtp.HbtpServerSession;
import dev.dxreactor.hbtp.HbtpStatus;
import dev.dxreactor.hbtp.HbtpTopics;
import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.transport.Transports;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An HBTP server on {@link DxReactor}: three routes, a ticking topic and server events.
 *
 * <ul>
 *   <li>route 1 {@code echo}: answers with the request, on the event loop</li>
 *   <li>route 2 {@code time}: the server's clock as ISO-8601 text</li>
 *   <li>route 3 {@code sum}: adds comma-separated integers; a blocking route, so it runs off the loop</li>
 *   <li>topic 1 {@code ticker}: a snapshot every 10 ticks, a delta on each tick in between</li>
 *   <li>client event 1 {@code hello} is answered with server event 2 {@code notice}</li>
 * </ul>
 */
public final class HbtpExampleServer {

    public static final int DEFAULT_PORT = 7008;
    public static final int ROUTE_ECHO = 1;
    public static final int ROUTE_TIME = 2;
    public static final int ROUTE_SUM = 3;
    public static final int TOPIC_TICKER = 1;
    public static final int EVENT_HELLO = 1;
    public static final int EVENT_NOTICE = 2;

    private final Channel listener;
    private final ScheduledFuture<?> ticker;
    private final Set<HbtpServerSession> sessions;
    private final HbtpTopics topics;

    private HbtpExampleServer(Channel listener, ScheduledFuture<?> ticker, Set<HbtpServerSession> sessions,
                              HbtpTopics topics) {
        this.listener = listener;
        this.ticker = ticker;
        this.sessions = sessions;
        this.topics = topics;
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : DEFAULT_PORT;
        DxReactor reactor = DxReactor.builder().build();
        HbtpExampleServer server = start(reactor, new InetSocketAddress(port), Duration.ofSeconds(1));

        System.out.println(Transports.describe());
        System.out.printf("HBTP example server on %s (transport %s, %d workers).%n"
                        + "Try it from another terminal:%n"
                        + "  mvn -B -q -pl examples exec:exec -Dexample.main=%s%n"
                        + "Ctrl-C stops the server.%n",
                server.address(), reactor.transport().name(), reactor.workerCount(),
                HbtpExampleClient.class.getName());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            reactor.shutdownGracefully(Duration.ofMillis(100), Duration.ofSeconds(5)).join();
        }));
        server.listener.closeFuture().sync();
    }

    /** Binds the server and starts the ticker; {@link #stop()} undoes both. */
    public static HbtpExampleServer start(DxReactor reactor, InetSocketAddress address, Duration tickEvery)
            throws InterruptedException {
        HbtpTopics topics = new HbtpTopics();
        Set<HbtpServerSession> sessions = ConcurrentHashMap.newKeySet();
        HbtpRouter router = new HbtpRouter()
                .route(ROUTE_ECHO, call -> call.payload().retain())
                .route(ROUTE_TIME, call -> text(Instant.now().toString()))
                .routeBlocking(ROUTE_SUM, call -> text(Long.toString(sum(call.payload()))));
        HbtpServerConfig config = HbtpServerConfig.builder()
                .router(router)
                .topics(topics)
                .offloadExecutor(reactor.offload())
                .onSession(session -> {
                    sessions.add(session);
                    session.channel().closeFuture().addListener(f -> sessions.remove(session));
                })
                .onClientEvent(EVENT_HELLO, (session, event, payload) ->
                        session.sendEvent(EVENT_NOTICE, text("welcome, " + payload.toString(StandardCharsets.UTF_8))))
                .build();
        Channel listener = reactor.serverBootstrap()
                .childHandler(new HbtpServerInitializer(config))
                .bind(address).sync().channel();

        long[] tick = {0};
        topics.publish(TOPIC_TICKER, text("tick 0"));
        ScheduledFuture<?> ticker = listener.eventLoop().scheduleAtFixedRate(() -> {
            tick[0]++;
            if (tick[0] % 10 == 0) {
                topics.publish(TOPIC_TICKER, text("tick " + tick[0]));
            } else {
                topics.publishDelta(TOPIC_TICKER, text("+1 -> tick " + tick[0]));
            }
        }, tickEvery.toMillis(), tickEvery.toMillis(), TimeUnit.MILLISECONDS);
        return new HbtpExampleServer(listener, ticker, sessions, topics);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Connected sessions, for pushing events to all of them. */
    public Set<HbtpServerSession> sessions() {
        return sessions;
    }

    public void stop() {
        ticker.cancel(false);
        listener.close().syncUninterruptibly();
        // On the ticker's loop, so a tick running now finishes before the topics let go of their buffers.
        listener.eventLoop().submit(topics::close).syncUninterruptibly();
    }

    private static long sum(ByteBuf request) {
        String text = request.toString(StandardCharsets.UTF_8).trim();
        long total = 0;
        for (String part : text.split(",")) {
            try {
                total = Math.addExact(total, Long.parseLong(part.trim()));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, "sum takes comma-separated integers, got '"
                        + text + "'");
            }
        }
        return total;
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
