package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Calls answered through an {@link HbtpResponseHandler} instead of a future. */
class HbtpResponseHandlerTest {

    private static final int ECHO = 1;
    private static final int FAILS = 2;
    private static final int NEVER = 3;

    private final CompletableFuture<ByteBuf> never = new CompletableFuture<>();
    private LoopbackServer server;

    @BeforeEach
    void start() throws InterruptedException {
        HbtpRouter router = new HbtpRouter()
                .route(ECHO, call -> call.payload().retain())
                .route(FAILS, call -> {
                    throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, "not like that");
                })
                .routeAsync(NEVER, call -> never);
        server = new LoopbackServer(HbtpServerConfig.builder().router(router).build());
    }

    @AfterEach
    void stop() {
        never.complete(Unpooled.EMPTY_BUFFER);
        server.close();
    }

    @Test
    void theAnswerGoesToTheHandlerOnTheEventLoopAndTheHandlerOwnsIt() throws Exception {
        try (HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.defaults())) {
            Answer answer = new Answer();
            client.call(ECHO, 5, out -> out.writeCharSequence("hello", StandardCharsets.UTF_8), answer);
            assertThat(answer.body.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
            assertThat(answer.onLoop).isTrue();
        }
    }

    @Test
    void anRpcErrorATimeoutAndAClosedClientEachFailThroughTheHandlerOnce() throws Exception {
        HbtpClientConfig config = HbtpClientConfig.builder().callTimeout(Duration.ofMillis(200)).build();
        HbtpClient client = HbtpClient.connect(server.address(), config);
        try {
            Answer refused = new Answer();
            client.call(FAILS, 0, out -> { }, refused);
            assertThatThrownBy(() -> refused.body.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(HbtpRpcException.class,
                            e -> assertThat(e.status()).isEqualTo(HbtpStatus.BAD_REQUEST));

            Answer late = new Answer();
            client.call(NEVER, 0, out -> { }, late);
            assertThatThrownBy(() -> late.body.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(HbtpTimeoutException.class);
            assertThat(late.calls).isEqualTo(1);
            // The server finishes the call, so that it answers the client's CLOSE at once.
            never.complete(Unpooled.EMPTY_BUFFER);
        } finally {
            client.close();
        }
        Answer closed = new Answer();
        client.call(ECHO, 0, out -> { }, closed);
        assertThatThrownBy(() -> closed.body.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(HbtpException.class);
    }

    @Test
    void aBodyWriterThatThrowsMakesNoCallAndCallsNoHandler() throws Exception {
        try (HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.defaults())) {
            Answer answer = new Answer();
            assertThatThrownBy(() -> client.call(ECHO, 8, out -> {
                throw new IllegalStateException("no body today");
            }, answer)).hasMessage("no body today");
            assertThat(answer.calls).isZero();
            assertThat(client.inFlight()).isZero();
        }
    }

    /** Records what the handler was told: the body as text, or the failure. */
    private static final class Answer implements HbtpResponseHandler {
        final CompletableFuture<String> body = new CompletableFuture<>();
        volatile boolean onLoop;
        volatile int calls;

        @Override
        public void onResponse(ByteBuf response) {
            calls++;
            // Netty's event loops run on FastThreadLocalThreads; the test's own thread is not one.
            onLoop = Thread.currentThread() instanceof FastThreadLocalThread;
            try {
                body.complete(response.toString(StandardCharsets.UTF_8));
            } finally {
                response.release();
            }
        }

        @Override
        public void onFailure(Throwable error) {
            calls++;
            body.completeExceptionally(error);
        }
    }
}
