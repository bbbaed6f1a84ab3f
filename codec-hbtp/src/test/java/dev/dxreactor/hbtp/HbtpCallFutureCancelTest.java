package dev.dxreactor.hbtp;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@link HbtpCallFuture#cancel} from threads other than the client's event loop, over loopback: the calls
 * in flight are the event loop's alone, whatever thread cancels.
 */
class HbtpCallFutureCancelTest {

    private static final int ECHO = 1;
    private static final int NEVER = 2;

    private static final List<HbtpCall> neverCalls = new CopyOnWriteArrayList<>();
    private static final Queue<CompletableFuture<ByteBuf>> neverAnswers = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger duplicateCancels = new AtomicInteger();
    private static DxReactor serverReactor;
    private static DxReactor clientReactor;
    private static Channel listener;
    private static HbtpClient client;

    /** What a try does with one call. */
    enum Plan {
        ANSWERED, ANSWERED_AND_CANCELLED, UNANSWERED_AND_CANCELLED
    }

    @BeforeContainer
    static void start() throws InterruptedException {
        serverReactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(1)).build();
        clientReactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(1)).build();
        HbtpRouter router = new HbtpRouter()
                .route(ECHO, call -> call.payload().retain())
                .routeAsync(NEVER, call -> {
                    neverCalls.add(call);
                    CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
                    neverAnswers.add(answer);
                    return answer;
                });
        listener = serverReactor.serverBootstrap()
                .childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()) {
                    @Override
                    protected void initChannel(Channel ch) {
                        super.initChannel(ch);
                        ch.pipeline().addBefore("hbtp-session", "cancel-counter", new CancelCounter());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        client = connect(clientReactor);
    }

    @AfterContainer
    static void stop() throws InterruptedException {
        releaseUnanswered();
        client.close();
        listener.close().sync();
        clientReactor.close();
        serverReactor.close();
    }

    private static HbtpClient connect(DxReactor reactor) {
        return HbtpClient.connect(listener.localAddress(), HbtpClientConfig.builder()
                .eventLoop(reactor.group(), reactor.transport().socketChannelClass()).build());
    }

    @Example
    void cancelOffTheEventLoopLeavesTheCallsInFlightToTheLoop() throws Exception {
        HbtpClientHandler handler = client.channel().pipeline().get(HbtpClientHandler.class);
        try {
            HbtpCallFuture call = client.call(NEVER, Unpooled.wrappedBuffer(new byte[]{1}));
            awaitUntil(() -> neverCalls.size() == 1);

            CountDownLatch loopHeld = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            client.channel().eventLoop().execute(() -> {
                loopHeld.countDown();
                awaitQuietly(release);
            });
            loopHeld.await();
            try {
                // The loop is parked in the task above, so reading its map from here races with nothing.
                assertThat(handler.inFlight()).isEqualTo(1);
                assertThat(call.cancel(true)).isTrue();
                assertThat(handler.inFlight()).as("the map changed on the cancelling thread, not on the loop")
                        .isEqualTo(1);
            } finally {
                release.countDown();
            }
            awaitUntil(() -> neverCalls.getFirst().isCancelled());
            assertThat(client.inFlight()).isZero();
            assertThat(call).isCancelled();
        } finally {
            releaseUnanswered();
        }
    }

    @Example
    void cancelAfterTheEventLoopStoppedDoesNotThrow() throws Exception {
        DxReactor ownReactor = DxReactor.builder().transport("nio").workers(WorkerStrategy.fixed(1)).build();
        try {
            HbtpCallFuture inFlight = connect(ownReactor).call(NEVER, Unpooled.wrappedBuffer(new byte[]{2}));
            awaitUntil(() -> neverCalls.size() == 1);

            ownReactor.close();
            assertThat(ownReactor.group().isTerminated()).isTrue();

            assertThatCode(() -> inFlight.cancel(true)).doesNotThrowAnyException();
            assertThat(inFlight).isDone();
        } finally {
            releaseUnanswered();
        }
    }

    /**
     * Calls are made from the test thread while other threads all cancel some of them at once, and the
     * server answers the others: every call ends exactly once, with its own answer or cancelled; no call is
     * cancelled twice on the wire; what reached the server unanswered is cancelled there; and nothing stays
     * in flight.
     */
    @Property(tries = 100)
    void cancelsFromManyThreadsWhileAnswersArriveEndEveryCallExactlyOnce(
            @ForAll("plans") List<Plan> plans, @ForAll @IntRange(min = 2, max = 4) int cancellers)
            throws Exception {
        int n = plans.size();
        List<HbtpCallFuture> calls = new ArrayList<>(n);
        List<CompletableFuture<ByteBuf>> counted = new ArrayList<>(n);
        AtomicIntegerArray completions = new AtomicIntegerArray(n);
        AtomicIntegerArray cancelsWon = new AtomicIntegerArray(n);
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        List<LinkedBlockingQueue<Integer>> work = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < cancellers; t++) {
            LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
            work.add(queue);
            threads.add(Thread.ofPlatform().start(() -> cancelUntilDone(queue, calls, cancelsWon, thrown)));
        }

        for (int i = 0; i < n; i++) {
            int route = plans.get(i) == Plan.UNANSWERED_AND_CANCELLED ? NEVER : ECHO;
            HbtpCallFuture call = client.call(route, Unpooled.buffer(4).writeIntLE(i));
            int index = i;
            counted.add(call.whenComplete((body, error) -> completions.incrementAndGet(index)));
            synchronized (calls) {
                calls.add(call);
            }
            if (plans.get(i) != Plan.ANSWERED) {
                for (LinkedBlockingQueue<Integer> queue : work) {
                    queue.add(i);
                }
            }
        }
        for (LinkedBlockingQueue<Integer> queue : work) {
            queue.add(-1);
        }
        try {
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(thrown).isEmpty();
            CompletableFuture.allOf(counted.toArray(CompletableFuture[]::new)).handle((v, e) -> null)
                    .get(30, TimeUnit.SECONDS);

            int unanswered = 0;
            for (int i = 0; i < n; i++) {
                HbtpCallFuture call = calls.get(i);
                assertThat(completions.get(i)).as("completions of call %d", i).isEqualTo(1);
                    assertThat(cancelsWon.get(i) > 0).as("a cancel returned true for call %d", i)
                        .isEqualTo(call.isCancelled());
                switch (plans.get(i)) {
                    case ANSWERED -> assertAnsweredWith(call, i);
                    case ANSWERED_AND_CANCELLED -> {
                        if (!call.isCancelled()) {
                            assertAnsweredWith(call, i);
                        }
                    }
                    case UNANSWERED_AND_CANCELLED -> {
                        assertThat(call).isCancelled();
                        unanswered++;
                    }
                }
            }
            assertThat(client.inFlight()).isZero();
            // The server reads in order, so once this answer is back it has read every call and CANCEL before
            // it; a call cancelled before the loop wrote it never reaches the server.
            client.call(ECHO, Unpooled.buffer(4).writeIntLE(-1)).get(30, TimeUnit.SECONDS).release();
            assertThat(neverCalls).hasSizeLessThanOrEqualTo(unanswered).allMatch(HbtpCall::isCancelled);
            assertThat(duplicateCancels).as("calls cancelled twice on the wire").hasValue(0);
        } finally {
            for (HbtpCallFuture call : calls) {
                if (call.isDone() && !call.isCompletedExceptionally()) {
                    call.join().release();
                }
            }
            releaseUnanswered();
        }
    }

    @Provide
    Arbitrary<List<Plan>> plans() {
        return Arbitraries.of(Plan.class).list().ofMinSize(1).ofMaxSize(300);
    }

    private static void cancelUntilDone(LinkedBlockingQueue<Integer> queue, List<HbtpCallFuture> calls,
                                        AtomicIntegerArray cancelsWon, List<Throwable> thrown) {
        try {
            for (int index; (index = queue.take()) >= 0; ) {
                HbtpCallFuture call;
                synchronized (calls) {
                    call = calls.get(index);
                }
                if (call.cancel(true)) {
                    cancelsWon.incrementAndGet(index);
                }
            }
        } catch (Throwable e) {
            thrown.add(e);
        }
    }

    /** The call's own answer (released by the property once it is done). */
    private static void assertAnsweredWith(HbtpCallFuture call, int index) {
        ByteBuf body = call.join();
        assertThat(body.readableBytes()).isEqualTo(4);
        assertThat(body.getIntLE(body.readerIndex())).isEqualTo(index);
    }

    /** Counts CANCELs that arrive at the server for a call already cancelled since its RPC_CALL. */
    private static final class CancelCounter extends ChannelInboundHandlerAdapter {
        private final Map<Integer, Integer> cancelsSinceCall = new HashMap<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HbtpFrame frame) {
                if (frame.opcode() == HbtpOpcode.RPC_CALL) {
                    cancelsSinceCall.put(frame.sequence(), 0);
                } else if (frame.opcode() == HbtpOpcode.CANCEL
                        && cancelsSinceCall.merge(frame.sequence(), 1, Integer::sum) > 1) {
                    duplicateCancels.incrementAndGet();
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Lets the server's handlers of unanswered calls return, so that they free their in-flight slots. */
    private static void releaseUnanswered() {
        for (CompletableFuture<ByteBuf> answer; (answer = neverAnswers.poll()) != null; ) {
            answer.complete(Unpooled.EMPTY_BUFFER);
        }
        neverCalls.clear();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(2);
        }
    }
}
