package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The slow-call log and the MDC around handlers, over loopback. */
class HbtpServerOpsTest {

    private static final int ECHO = 1;
    private static final int SLOW = 7;
    private static final int SLOW_REFUSED = 8;
    private static final int INLINE = 10;
    private static final int ASYNC = 11;
    private static final int BLOCKING = 12;

    private static MDCAdapter originalAdapter;
    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * slf4j-simple, the test binding, keeps no MDC (its adapter drops every put); a working adapter is put in
     * for these tests through SLF4J's own (package-private) setter, and the original put back after.
     */
    @BeforeAll
    static void useAWorkingMdc() throws Exception {
        originalAdapter = MDC.getMDCAdapter();
        setMdcAdapter(new BasicMDCAdapter());
    }

    @AfterAll
    static void restoreMdc() throws Exception {
        setMdcAdapter(originalAdapter);
    }

    private static void setMdcAdapter(MDCAdapter adapter) throws Exception {
        Method set = MDC.class.getDeclaredMethod("setMDCAdapter", MDCAdapter.class);
        set.setAccessible(true);
        set.invoke(null, adapter);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void aSlowRouteLogsOneWarningPerIntervalWithRouteTimeAndStatus() throws Exception {
        HbtpRouter router = new HbtpRouter()
                .route(ECHO, call -> call.payload().retain())
                .routeBlocking(SLOW, call -> {
                    Thread.sleep(120);
                    return Unpooled.EMPTY_BUFFER;
                })
                .routeBlocking(SLOW_REFUSED, call -> {
                    Thread.sleep(120);
                    throw new HbtpRpcException(HbtpStatus.RESOURCE_EXHAUSTED, "later");
                });
        String log = capturingStderr(() -> {
            LoopbackServer server = start(HbtpServerConfig.builder().router(router)
                    .slowCallThreshold(Duration.ofMillis(100)));
            HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.defaults());
            resources.add(client);
            for (int i = 0; i < 3; i++) {
                client.call(SLOW, Unpooled.EMPTY_BUFFER).get(10, TimeUnit.SECONDS).release();
            }
            assertThatThrownBy(() -> client.call(SLOW_REFUSED, Unpooled.EMPTY_BUFFER).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(HbtpRpcException.class);
        });
        List<String> lines = log.lines().filter(l -> l.contains("HBTP slow call")).toList();
        // Three slow calls to one route: one line, the other two counted for the next line. The other route
        // has a line of its own.
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("WARN", "route " + SLOW + " took", "threshold 100 ms", "status OK");
        assertThat(lines.get(1)).contains("route " + SLOW_REFUSED + " took", "status RESOURCE_EXHAUSTED");
    }

    @Test
    void slowCallThresholdMustNotBeNegative() {
        assertThatThrownBy(() -> HbtpServerConfig.builder().slowCallThreshold(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowCallThreshold");
        assertThat(HbtpServerConfig.builder().build().slowCallThreshold()).isZero();
    }

    @Test
    void handlersSeeTheCallInTheMdcOnTheLoopAndOnTheOffloadExecutorAndItIsRemovedAfter() throws Exception {
        Map<Integer, Map<String, String>> seen = new ConcurrentHashMap<>();
        ExecutorService offload = Executors.newSingleThreadExecutor();
        resources.add(offload::shutdownNow);
        AtomicReference<HbtpServerSession> session = new AtomicReference<>();
        HbtpRouter router = new HbtpRouter()
                .route(INLINE, call -> record(seen, call))
                .routeAsync(ASYNC, call -> CompletableFuture.completedFuture(record(seen, call)))
                .routeBlocking(BLOCKING, call -> record(seen, call));
        LoopbackServer server = start(HbtpServerConfig.builder().router(router).mdc(true)
                .offloadExecutor(offload).onSession(session::set));
        HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.defaults());
        resources.add(client);

        for (int route : new int[]{INLINE, ASYNC, BLOCKING}) {
            HbtpCallFuture call = client.call(route, Unpooled.EMPTY_BUFFER);
            call.get(10, TimeUnit.SECONDS).release();
            Map<String, String> mdc = seen.get(route);
            assertThat(mdc).as("MDC in route %d", route)
                    .containsEntry(HbtpMdc.ROUTE, Integer.toString(route))
                    .containsEntry(HbtpMdc.SEQUENCE, Integer.toString(call.sequence))
                    .containsEntry(HbtpMdc.CONNECTION, session.get().channel().id().asShortText());
        }
        Map<String, String> afterOnLoop = session.get().channel().eventLoop()
                .submit(MDC::getCopyOfContextMap).get(10, TimeUnit.SECONDS);
        Map<String, String> afterOffload = offload.submit(MDC::getCopyOfContextMap).get(10, TimeUnit.SECONDS);
        assertThat(afterOnLoop == null ? Map.of() : afterOnLoop).as("event loop MDC after the calls").isEmpty();
        assertThat(afterOffload == null ? Map.of() : afterOffload).as("offload MDC after the call").isEmpty();
    }

    @Test
    void withoutMdcHandlersSeeNone() throws Exception {
        Map<Integer, Map<String, String>> seen = new ConcurrentHashMap<>();
        LoopbackServer server = start(HbtpServerConfig.builder()
                .router(new HbtpRouter().route(INLINE, call -> record(seen, call))));
        HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.defaults());
        resources.add(client);
        client.call(INLINE, Unpooled.EMPTY_BUFFER).get(10, TimeUnit.SECONDS).release();
        assertThat(seen.get(INLINE)).isEmpty();
    }

    private static ByteBuf record(Map<Integer, Map<String, String>> seen, HbtpCall call) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        seen.put(call.route(), mdc == null ? Map.of() : mdc);
        return Unpooled.EMPTY_BUFFER;
    }

    private LoopbackServer start(HbtpServerConfig.Builder config) throws InterruptedException {
        LoopbackServer server = new LoopbackServer(config.build());
        resources.add(server);
        return server;
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    /** What {@code body} and every thread meanwhile wrote to standard error (where slf4j-simple logs). */
    private static String capturingStderr(Body body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}
