package dev.dxreactor.hbtp;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.Transports;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HBTP over real loopback sockets, on every transport this machine offers: the server and the client
 * each run on a {@link DxReactor} of that transport.
 */
class HbtpEndToEndTest {

    private static final int ECHO = 1;
    private static final int ASYNC_UPPER = 2;
    private static final int BLOCKING = 3;
    private static final int NEVER = 4;
    private static final int SLOW = 5;
    private static final int COUNT = 6;
    private static final int BIG = 7;
    private static final int TAGGED = 8;
    private static final int TAGGED_ERROR = 9;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger fireAndForgetCount = new AtomicInteger();
    private final List<HbtpCall> neverAnswered = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<ByteBuf>> neverFutures = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicReference<Thread> blockingThread = new AtomicReference<>();
    private final AtomicReference<HbtpServerSession> lastSession = new AtomicReference<>();
    private final List<String> clientEvents = new CopyOnWriteArrayList<>();

    private DxReactor serverReactor;
    private DxReactor clientReactor;
    private HbtpTopics topics;
    private Channel listener;

    static Stream<String> transports() {
        return Transports.available().stream().map(TransportProvider::name);
    }

    static Stream<Arguments> badInputs() {
        List<Arguments> cases = new ArrayList<>();
        transports().forEach(t -> {
            cases.add(Arguments.of(t, "reserved flag bit", frame(0x00, 0x08 | 0x40, 1, new byte[0]),
                    HbtpCloseCode.PROTOCOL_ERROR, "reserved flag bits"));
            cases.add(Arguments.of(t, "unknown opcode", frame(0x7E, 0x08, 1, new byte[0]),
                    HbtpCloseCode.UNSUPPORTED, "unknown opcode 0x7e"));
            cases.add(Arguments.of(t, "length over the limit", header(0x30, 0x0C, 1, 0xFFFF_FFF0L),
                    HbtpCloseCode.TOO_LARGE, "exceeds the maximum of"));
            cases.add(Arguments.of(t, "fragment with a different opcode",
                    concat(frame(0x30, 0x04, 9, new byte[]{1, 0}), frame(0x40, 0x0C, 9, new byte[]{1, 0})),
                    HbtpCloseCode.PROTOCOL_ERROR, "interrupts the fragmented RPC_CALL"));
            cases.add(Arguments.of(t, "oversize metadata",
                    frame(0x30, 0x1C, 2, concat(metadataOf(3000), new byte[]{1, 0})),
                    HbtpCloseCode.TOO_LARGE, "metadata block exceeds"));
            cases.add(Arguments.of(t, "second HELLO", frame(0x03, 0x08, 0, helloBody()),
                    HbtpCloseCode.PROTOCOL_ERROR, "second HELLO"));
        });
        return cases.stream();
    }

    private void start(String transport, HbtpServerConfig.Builder config) throws InterruptedException {
        serverReactor = DxReactor.builder().transport(transport).workers(WorkerStrategy.fixed(2)).build();
        clientReactor = DxReactor.builder().transport(transport).workers(WorkerStrategy.fixed(1)).build();
        resources.add(serverReactor);
        resources.add(clientReactor);
        topics = new HbtpTopics();
        HbtpRouter router = new HbtpRouter()
                .route(ECHO, call -> call.payload().retain())
                .routeAsync(ASYNC_UPPER, call -> {
                    String text = call.payload().toString(StandardCharsets.UTF_8).toUpperCase();
                    ByteBufHolderFuture f = new ByteBufHolderFuture();
                    timer.schedule(() -> f.complete(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)), 5,
                            TimeUnit.MILLISECONDS);
                    return f;
                })
                .routeBlocking(BLOCKING, call -> {
                    blockingThread.set(Thread.currentThread());
                    Thread.sleep(20);
                    return Unpooled.copiedBuffer("slept", StandardCharsets.UTF_8);
                })
                .routeAsync(NEVER, call -> {
                    neverAnswered.add(call);
                    CompletableFuture<ByteBuf> f = new CompletableFuture<>();
                    neverFutures.add(f);
                    return f;
                })
                .routeAsync(SLOW, call -> {
                    int now = running.incrementAndGet();
                    maxRunning.accumulateAndGet(now, Math::max);
                    CompletableFuture<ByteBuf> f = new CompletableFuture<>();
                    timer.schedule(() -> {
                        running.decrementAndGet();
                        f.complete(Unpooled.EMPTY_BUFFER);
                    }, 2, TimeUnit.MILLISECONDS);
                    return f;
                })
                .route(COUNT, call -> {
                    fireAndForgetCount.incrementAndGet();
                    return null;
                })
                .route(BIG, call -> Unpooled.wrappedBuffer(new byte[call.payload().readIntLE()]))
                .route(TAGGED, call -> {
                    call.responseMetadata(HbtpMetadata.builder()
                            .put(HbtpMetadata.VERSION, String.valueOf(call.payload().readableBytes())).build());
                    return call.payload().retain();
                })
                .routeAsync(TAGGED_ERROR, call -> {
                    call.responseMetadata(HbtpMetadata.builder().put(HbtpMetadata.VERSION, "42").build());
                    return CompletableFuture.failedFuture(new HbtpRpcException(HbtpStatus.NOT_MODIFIED, "current"));
                });
        HbtpServerConfig cfg = config.router(router).topics(topics)
                .onSession(lastSession::set)
                .onClientEvent(11, (session, event, payload) ->
                        clientEvents.add(payload.toString(StandardCharsets.UTF_8)))
                .build();
        listener = serverReactor.serverBootstrap().childHandler(new HbtpServerInitializer(cfg))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private HbtpClient connect(HbtpClientConfig.Builder config) {
        HbtpClient client = HbtpClient.connect(listener.localAddress(), config
                .eventLoop(clientReactor.group(), clientReactor.transport().socketChannelClass()).build());
        resources.add(client);
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        neverFutures.forEach(f -> f.complete(Unpooled.EMPTY_BUFFER));
        if (listener != null) {
            listener.close().sync();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        timer.shutdownNow();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void callsOfEveryKindAreAnswered(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder());

        assertThat(text(client.call(ECHO, utf8("ping")))).isEqualTo("ping");
        assertThat(text(client.call(ASYNC_UPPER, utf8("quiet")))).isEqualTo("QUIET");
        assertThat(text(client.call(BLOCKING, utf8("")))).isEqualTo("slept");
        assertThat(blockingThread.get().isVirtual()).as("blocking routes run on the offload executor").isTrue();

        client.callAndForget(COUNT, utf8("x")).get(5, TimeUnit.SECONDS);
        assertThat(text(client.call(ECHO, utf8("after")))).isEqualTo("after");
        assertThat(fireAndForgetCount.get()).isEqualTo(1);

        HbtpCallFuture unknown = client.call(99, utf8(""));
        assertThatThrownBy(() -> unknown.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(HbtpRpcException.class)
                .cause().hasMessage("no route 99");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void manyConcurrentCallsAndLargeMessagesRoundTrip(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder().maxFrameLength(64 * 1024));
        HbtpClient client = connect(HbtpClientConfig.builder().maxFrameLength(16 * 1024));

        List<HbtpCallFuture> calls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            calls.add(client.call(ECHO, utf8("call " + i)));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(text(calls.get(i))).isEqualTo("call " + i);
        }
        // 300 KiB each way: fragmented at 64 KiB towards the server and 16 KiB back.
        byte[] big = new byte[300 * 1024];
        new java.util.Random(7).nextBytes(big);
        ByteBuf echoed = client.call(ECHO, Unpooled.wrappedBuffer(big)).get(10, TimeUnit.SECONDS);
        try {
            assertThat(HbtpFrameCodecTest.bytes(echoed)).isEqualTo(big);
        } finally {
            echoed.release();
        }
        ByteBuf generated = client.call(BIG, Unpooled.buffer().writeIntLE(200_000)).get(10, TimeUnit.SECONDS);
        assertThat(generated.readableBytes()).isEqualTo(200_000);
        generated.release();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void bodiesWrittenInPlaceArriveWhateverTheCallNeeds(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder().maxFrameLength(16 * 1024));
        HbtpClient plain = connect(HbtpClientConfig.builder().compressionThreshold(0));
        HbtpClient compressing = connect(HbtpClientConfig.builder());
        HbtpClient encrypted = connect(HbtpClientConfig.builder().encryption(HbtpEncryptionMode.REQUIRED));
        byte[] large = new byte[100 * 1024];
        new java.util.Random(11).nextBytes(large);
        String compressible = "in place, over and over. ".repeat(400);

        for (HbtpClient client : List.of(plain, compressing, encrypted)) {
            // One frame as written; larger than the hint (the buffer grows); fragmented past the server's
            // 16 KiB frames; compressed when agreed; empty.
            assertThat(text(client.call(ECHO, 4, out -> out.writeCharSequence("ping", StandardCharsets.UTF_8))))
                    .isEqualTo("ping");
            assertThat(text(client.call(ECHO, 1, out -> out.writeCharSequence("grown", StandardCharsets.UTF_8))))
                    .isEqualTo("grown");
            ByteBuf echoed = client.call(ECHO, large.length, out -> out.writeBytes(large)).get(10, TimeUnit.SECONDS);
            try {
                assertThat(HbtpFrameCodecTest.bytes(echoed)).isEqualTo(large);
            } finally {
                echoed.release();
            }
            assertThat(text(client.call(ECHO, 0, out -> out.writeCharSequence(compressible,
                    StandardCharsets.UTF_8)))).isEqualTo(compressible);
            assertThat(text(client.call(ECHO, 0, out -> { }))).isEmpty();
        }
        assertThat(compressing.capabilities() & HbtpCapabilities.ZSTD).isNotZero();
        assertThat(encrypted.capabilities() & HbtpCapabilities.ENCRYPTION).isNotZero();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aBodyWriterThatFailsOrRewindsMakesNoCall(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder());

        assertThatThrownBy(() -> client.call(ECHO, 8, out -> {
            out.writeLong(1);
            throw new IllegalArgumentException("no body today");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("no body today");
        assertThatThrownBy(() -> client.call(ECHO, 8, out -> out.writerIndex(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("headroom");
        assertThatThrownBy(() -> client.call(70_000, 8, out -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");

        assertThat(client.inFlight()).isZero();
        assertThat(text(client.call(ECHO, 2, out -> out.writeCharSequence("ok", StandardCharsets.UTF_8))))
                .isEqualTo("ok");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void compressibleMessagesTravelCompressedBothWays(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder());
        assertThat(client.capabilities() & HbtpCapabilities.ZSTD).isNotZero();
        String text = "the same sentence, over and over. ".repeat(3000);

        assertThat(text(client.call(ECHO, utf8(text)))).isEqualTo(text);

        HbtpClient plain = connect(HbtpClientConfig.builder().compressionThreshold(0));
        assertThat(plain.capabilities() & HbtpCapabilities.ZSTD).isZero();
        assertThat(text(plain.call(ECHO, utf8(text)))).isEqualTo(text);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void responseMetadataTravelsWithResponsesAndErrors(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder());
        String big = "compressible metadata neighbour ".repeat(2000);
        for (String text : List.of("small", big)) {
            HbtpCallFuture call = client.call(TAGGED, utf8(text));
            assertThat(text(call)).isEqualTo(text);
            assertThat(call.responseMetadata().get(HbtpMetadata.VERSION))
                    .isEqualTo(String.valueOf(text.length()));
        }

        HbtpCallFuture failing = client.call(TAGGED_ERROR, utf8(""));
        assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(HbtpRpcException.class, e -> {
                    assertThat(e.status()).isEqualTo(HbtpStatus.NOT_MODIFIED);
                    assertThat(e.getMessage()).isEqualTo("current");
                    assertThat(e.metadata().get(HbtpMetadata.VERSION)).isEqualTo("42");
                });
        assertThat(failing.responseMetadata().get(HbtpMetadata.VERSION)).isEqualTo("42");

        HbtpCallFuture untagged = client.call(ECHO, utf8("plain"));
        assertThat(text(untagged)).isEqualTo("plain");
        assertThat(untagged.responseMetadata().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void eventsFlowBothWays(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder());
        CompletableFuture<String> pushed = new CompletableFuture<>();
        client.onServerEvent(21, (event, payload) -> pushed.complete(payload.toString(StandardCharsets.UTF_8)));

        client.sendEvent(11, utf8("hello server"));
        text(client.call(ECHO, utf8("sync"))); // events and calls share one ordered stream
        assertThat(clientEvents).containsExactly("hello server");

        lastSession.get().sendEvent(21, utf8("hello client"));
        assertThat(pushed.get(5, TimeUnit.SECONDS)).isEqualTo("hello client");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void topicsDeliverStateThenDeltasInOrder(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder());
        topics.publish(5, utf8("a"));
        topics.publishDelta(5, utf8("b"));

        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (HbtpSubscription ignored = client.subscribe(5, new HbtpTopicListener() {
            @Override
            public void onSync(int topic, long version, ByteBuf state) {
                seen.add("sync " + version + " " + state.toString(StandardCharsets.UTF_8));
            }

            @Override
            public void onDelta(int topic, long base, long version, ByteBuf delta) {
                seen.add("delta " + base + "->" + version + " " + delta.toString(StandardCharsets.UTF_8));
                if (version == 4) {
                    done.countDown();
                }
            }
        })) {
            awaitUntil(() -> topics.subscriberCount(5) == 1);
            topics.publishDelta(5, utf8("c"));
            topics.publishDelta(5, utf8("d"));
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).containsExactly("sync 1 a", "delta 1->2 b", "delta 2->3 c", "delta 3->4 d");
        awaitUntil(() -> topics.subscriberCount(5) == 0);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void cancelAndCallTimeoutReachTheServer(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder().callTimeout(Duration.ofMillis(200)));

        HbtpCallFuture cancelled = client.call(NEVER, utf8("1"));
        awaitUntil(() -> neverAnswered.size() == 1);
        assertThat(cancelled.cancel(true)).isTrue();
        awaitUntil(() -> neverAnswered.getFirst().isCancelled());

        HbtpCallFuture timedOut = client.call(NEVER, utf8("2"));
        assertThatThrownBy(() -> timedOut.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        awaitUntil(() -> neverAnswered.size() == 2 && neverAnswered.get(1).isCancelled());
        assertThat(client.inFlight()).isZero();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aDeadlineInMetadataIsEnforcedByTheServer(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder());
        HbtpCallFuture call = client.call(NEVER, utf8(""),
                HbtpMetadata.builder().put(HbtpMetadata.DEADLINE_MS, "50").build(), Duration.ofSeconds(10));
        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(HbtpRpcException.class)
                .satisfies(e -> assertThat(((HbtpRpcException) e).status()).isEqualTo(HbtpStatus.DEADLINE_EXCEEDED));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void closeFinishesCallsInFlightFirst(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder());
        HbtpCallFuture slow = client.call(BLOCKING, utf8(""));
        awaitUntil(() -> blockingThread.get() != null);

        client.closeAsync().get(10, TimeUnit.SECONDS);
        assertThat(text(slow)).isEqualTo("slept");
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(() -> client.call(ECHO, utf8("late")).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(HbtpException.class);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aSlowServerLimitsWorkInFlightAndLosesNothing(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder().maxInFlight(4));
        HbtpClient client = connect(HbtpClientConfig.builder().maxInFlight(200));
        List<HbtpCallFuture> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(client.call(SLOW, utf8("")));
        }
        for (HbtpCallFuture call : calls) {
            call.get(20, TimeUnit.SECONDS).release();
        }
        assertThat(maxRunning.get()).isBetween(1, 4);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void theClientRefusesCallsBeyondItsInFlightLimit(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        HbtpClient client = connect(HbtpClientConfig.builder().maxInFlight(3));
        List<HbtpCallFuture> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(client.call(NEVER, utf8("")));
        }
        awaitUntil(() -> neverAnswered.size() == 3);
        assertThatThrownBy(() -> client.call(NEVER, utf8("")).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(HbtpException.class).hasMessageContaining("too many calls in flight: 3");

        neverFutures.forEach(f -> f.complete(Unpooled.EMPTY_BUFFER));
        for (HbtpCallFuture call : waiting) {
            call.get(5, TimeUnit.SECONDS).release();
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aSilentPeerIsClosedByKeepalive(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder().idleTimeout(Duration.ofMillis(100)).pongTimeout(Duration.ofMillis(200)));
        HbtpClient healthy = connect(HbtpClientConfig.builder().idleTimeout(Duration.ofMillis(100)));
        try (Socket silent = rawClient()) {
            // A short header and then nothing: the server waits without allocating, pings, and gives up.
            silent.getOutputStream().write(new byte[]{0x30, 0x0C, 0x01});
            DataInputStream in = new DataInputStream(silent.getInputStream());
            List<Integer> opcodes = new ArrayList<>();
            int closeCode = readUntilClose(in, opcodes);
            assertThat(opcodes).contains(HbtpOpcode.PING.code());
            assertThat(closeCode).isEqualTo(HbtpCloseCode.GOING_AWAY);
            assertThat(in.read()).isEqualTo(-1);
        }
        // The client that answers PINGs is still there.
        assertThat(text(healthy.call(ECHO, utf8("alive")))).isEqualTo("alive");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badInputs")
    void badInputClosesOnlyThatConnectionWithTheRightCode(String transport, String what, byte[] bytes,
                                                         int expectedCode, String expectedReason) throws Exception {
        start(transport, HbtpServerConfig.builder().maxFrameLength(64 * 1024).maxMetadataSize(1024));
        HbtpClient bystander = connect(HbtpClientConfig.builder());
        assertThat(text(bystander.call(ECHO, utf8("before")))).isEqualTo("before");

        try (Socket offender = rawClient()) {
            offender.getOutputStream().write(bytes);
            DataInputStream in = new DataInputStream(offender.getInputStream());
            AtomicReference<String> reason = new AtomicReference<>();
            int code = readUntilClose(in, new ArrayList<>(), reason);
            assertThat(code).as(what).isEqualTo(expectedCode);
            assertThat(reason.get()).as(what).contains(expectedReason);
            assertThat(in.read()).as("connection closed after CLOSE").isEqualTo(-1);
        }
        assertThat(text(bystander.call(ECHO, utf8("after")))).isEqualTo("after");
        assertThat(listener.isActive()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aFrameBeforeHelloIsRefused(String transport) throws Exception {
        start(transport, HbtpServerConfig.builder());
        try (Socket socket = new Socket()) {
            socket.connect(listener.localAddress(), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(frame(0x30, 0x0C, 1, new byte[]{1, 0}));
            AtomicReference<String> reason = new AtomicReference<>();
            assertThat(readUntilClose(new DataInputStream(socket.getInputStream()), new ArrayList<>(), reason))
                    .isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
            assertThat(reason.get()).contains("RPC_CALL before HELLO");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** A plain socket that has done the handshake. */
    private Socket rawClient() throws IOException {
        Socket socket = new Socket();
        socket.connect(listener.localAddress(), 5000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(frame(0x03, 0x08, 0, helloBody()));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = in.readNBytes(8);
        assertThat(header[0]).isEqualTo((byte) HbtpOpcode.HELLO_ACK.code());
        in.readNBytes(ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        return socket;
    }

    private static int readUntilClose(DataInputStream in, List<Integer> opcodes) throws IOException {
        return readUntilClose(in, opcodes, new AtomicReference<>());
    }

    /** Reads frames until CLOSE; returns its code and stores its reason. */
    private static int readUntilClose(InputStream in, List<Integer> opcodes, AtomicReference<String> reason)
            throws IOException {
        while (true) {
            byte[] header = in.readNBytes(8);
            if (header.length < 8) {
                throw new EOFException("connection closed without CLOSE; saw " + opcodes);
            }
            int opcode = header[0] & 0xFF;
            int length = ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            byte[] payload = in.readNBytes(length);
            opcodes.add(opcode);
            if (opcode == HbtpOpcode.CLOSE.code()) {
                reason.set(new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
                return (payload[0] & 0xFF) | (payload[1] & 0xFF) << 8;
            }
        }
    }

    static byte[] header(int opcode, int flags, int sequence, long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put((byte) opcode).put((byte) flags)
                .putShort((short) sequence).putInt((int) length).array();
    }

    static byte[] frame(int opcode, int flags, int sequence, byte[] payload) {
        return concat(header(opcode, flags, sequence, payload.length), payload);
    }

    static byte[] helloBody() {
        ByteBuf body = Unpooled.buffer();
        new HbtpHello(1, HbtpCapabilities.METADATA | HbtpCapabilities.STATE, 1 << 20, 16 << 20).write(body);
        byte[] bytes = HbtpFrameCodecTest.bytes(body);
        body.release();
        return bytes;
    }

    static byte[] metadataOf(int valueSize) {
        ByteBuf block = Unpooled.buffer();
        HbtpMetadata.builder().put(HbtpMetadata.TRACE_ID, new byte[valueSize]).build().write(block);
        byte[] bytes = HbtpFrameCodecTest.bytes(block);
        block.release();
        return bytes;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static String text(CompletableFuture<ByteBuf> call) throws Exception {
        ByteBuf body;
        try {
            body = call.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("call failed", e.getCause());
        }
        try {
            return body.toString(StandardCharsets.UTF_8);
        } finally {
            body.release();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }

    /** A stage completed from the test's timer thread, like a call into another service. */
    private static final class ByteBufHolderFuture extends CompletableFuture<ByteBuf> {
    }
}
