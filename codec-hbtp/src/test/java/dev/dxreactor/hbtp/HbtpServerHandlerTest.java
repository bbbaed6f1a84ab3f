package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class HbtpServerHandlerTest {

    private static HbtpServerConfig.Builder config() {
        return HbtpServerConfig.builder().idleTimeout(Duration.ZERO);
    }

    @Test
    void helloIsAnsweredWithTheIntersectionOfCapabilities() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            HbtpHello ack = server.handshake(HbtpCapabilities.METADATA | HbtpCapabilities.STATE
                    | HbtpCapabilities.ZSTD);
            // No topics configured: STATE drops out.
            assertThat(ack.capabilities()).isEqualTo(HbtpCapabilities.METADATA | HbtpCapabilities.ZSTD);
            assertThat(ack.maxFrameLength()).isEqualTo(HbtpFrameCodec.DEFAULT_MAX_FRAME_LENGTH);
            assertThat(server.channel.isOpen()).isTrue();
        }
    }

    @Test
    void aFrameBeforeHelloClosesWithProtocolError() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            server.call(1, 1, new byte[0]);
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
            assertThat(server.channel.isOpen()).isFalse();
        }
    }

    @Test
    void anotherVersionIsUnsupported() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            ByteBuf hello = Unpooled.buffer();
            new HbtpHello(2, 0, 4096, 4096).write(hello);
            server.send(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, hello);
            HbtpFrame close = server.next();
            assertThat(close.opcode()).isEqualTo(HbtpOpcode.CLOSE);
            assertThat(close.payload().getUnsignedShortLE(0)).isEqualTo(HbtpCloseCode.UNSUPPORTED);
            assertThat(ServerHarness.reasonOf(close)).contains("version 2 is not supported");
            close.release();
        }
    }

    @Test
    void helloMustArriveInTime() throws InterruptedException {
        try (ServerHarness server = new ServerHarness(config().helloTimeout(Duration.ofMillis(20)).build())) {
            Thread.sleep(50);
            server.channel.runScheduledPendingTasks();
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
            assertThat(server.channel.isOpen()).isFalse();
        }
    }

    @Property(tries = 100)
    void eachCallReachesExactlyItsRoutesHandler(
            @ForAll @Size(min = 1, max = 12) @UniqueElements List<@IntRange(min = 0, max = 300) Integer> routes,
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 310) Integer> calls) {
        HbtpRouter router = new HbtpRouter();
        for (int route : routes) {
            router.route(route, call -> call.alloc().buffer(4).writeIntLE(call.route()));
        }
        Set<Integer> registered = Set.copyOf(routes);
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            for (int i = 0; i < calls.size(); i++) {
                server.call(i, calls.get(i), new byte[]{1});
            }
            for (int i = 0; i < calls.size(); i++) {
                HbtpFrame reply = server.next();
                try {
                    assertThat(reply.sequence()).isEqualTo(i);
                    if (registered.contains(calls.get(i))) {
                        assertThat(reply.opcode()).isEqualTo(HbtpOpcode.RPC_RESPONSE);
                        assertThat(reply.payload().readIntLE()).isEqualTo(calls.get(i));
                    } else {
                        assertThat(reply.opcode()).isEqualTo(HbtpOpcode.RPC_ERROR);
                        assertThat(reply.payload().readUnsignedShortLE()).isEqualTo(HbtpStatus.UNKNOWN_ROUTE);
                    }
                } finally {
                    reply.release();
                }
            }
        }
    }

    @Test
    void aHandlerExceptionAnswersInternalWithoutDetails() {
        HbtpRouter router = new HbtpRouter()
                .route(1, call -> {
                    throw new IllegalStateException("database password is hunter2");
                })
                .route(2, call -> {
                    throw new HbtpRpcException(HbtpStatus.PERMISSION_DENIED, "not yours");
                });
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(1, 1, new byte[0]);
            server.call(2, 2, new byte[0]);
            HbtpFrame internal = server.next();
            HbtpFrame denied = server.next();
            assertThat(internal.payload().readUnsignedShortLE()).isEqualTo(HbtpStatus.INTERNAL);
            assertThat(internal.payload().toString(StandardCharsets.UTF_8)).isEqualTo("internal error");
            assertThat(denied.payload().readUnsignedShortLE()).isEqualTo(HbtpStatus.PERMISSION_DENIED);
            assertThat(denied.payload().toString(StandardCharsets.UTF_8)).isEqualTo("not yours");
            internal.release();
            denied.release();
            assertThat(server.channel.isOpen()).isTrue();
        }
    }

    @Test
    void pingIsAnsweredWithPongOfTheSameBytesAndSequence() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.send(HbtpOpcode.PING, HbtpFlags.FINAL, 77, Unpooled.wrappedBuffer(new byte[]{9, 8, 7}));
            HbtpFrame pong = server.next();
            assertThat(pong.opcode()).isEqualTo(HbtpOpcode.PONG);
            assertThat(pong.sequence()).isEqualTo(77);
            assertThat(HbtpFrameCodecTest.bytes(pong.payload())).containsExactly(9, 8, 7);
            pong.release();
        }
    }

    @Test
    void futuresAlreadyCompletedAreAnsweredInTheSameReadAndAReadOnlyBodyIsSentWhole() {
        byte[] bytes = "a cached answer".getBytes(StandardCharsets.UTF_8);
        ByteBuf shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
        HbtpRouter router = new HbtpRouter()
                .routeAsync(1, call -> CompletableFuture.completedFuture(shared))
                .routeAsync(2, call -> CompletableFuture.failedFuture(
                        new HbtpRpcException(HbtpStatus.NOT_MODIFIED, "not modified")))
                .routeAsync(3, call -> CompletableFuture.completedStage(shared));
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            for (int route : new int[]{1, 3}) {
                server.channel.writeInbound(server.wire(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE, route,
                        Unpooled.buffer().writeShortLE(route), 1 << 20));
                ByteBuf out = server.channel.readOutbound();
                assertThat(out).as("answered within the read, route %d", route).isNotNull();
                server.sendRawToClientDecoder(out);
                HbtpFrame answer = server.next();
                assertThat(answer.opcode()).isEqualTo(HbtpOpcode.RPC_RESPONSE);
                assertThat(answer.sequence()).isEqualTo(route);
                assertThat(answer.payload().toString(StandardCharsets.UTF_8)).isEqualTo("a cached answer");
                answer.release();
            }
            assertThat(shared.readerIndex()).as("the body's indices do not move").isZero();

            server.call(7, 2, new byte[0]);
            HbtpFrame error = server.next();
            assertThat(error.opcode()).isEqualTo(HbtpOpcode.RPC_ERROR);
            assertThat(error.sequence()).isEqualTo(7);
            assertThat(error.payload().readUnsignedShortLE()).isEqualTo(HbtpStatus.NOT_MODIFIED);
            assertThat(error.payload().toString(StandardCharsets.UTF_8)).isEqualTo("not modified");
            error.release();
        }
    }

    @Test
    void cancelAnswersCancelledAndFlagsTheCall() {
        CompletableFuture<ByteBuf> pending = new CompletableFuture<>();
        List<HbtpCall> calls = new java.util.ArrayList<>();
        HbtpRouter router = new HbtpRouter().routeAsync(1, call -> {
            calls.add(call);
            return pending;
        });
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(5, 1, new byte[]{1});
            assertThat(server.next()).isNull();

            server.send(HbtpOpcode.CANCEL, HbtpFlags.FINAL, 5, Unpooled.EMPTY_BUFFER);
            HbtpFrame cancelled = server.next();
            assertThat(cancelled.opcode()).isEqualTo(HbtpOpcode.RPC_ERROR);
            assertThat(cancelled.payload().readUnsignedShortLE()).isEqualTo(HbtpStatus.CANCELLED);
            cancelled.release();
            assertThat(calls.getFirst().isCancelled()).isTrue();
            // A second CANCEL for the same (now finished) call is ignored.
            server.send(HbtpOpcode.CANCEL, HbtpFlags.FINAL, 5, Unpooled.EMPTY_BUFFER);
            assertThat(server.next()).isNull();
            pending.complete(Unpooled.EMPTY_BUFFER);
        }
    }

    @Test
    void anAnswerAfterCancelIsDroppedAndReleased() {
        CompletableFuture<ByteBuf> pending = new CompletableFuture<>();
        HbtpRouter router = new HbtpRouter().routeAsync(1, call -> pending.thenApply(b -> b));
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(5, 1, new byte[]{1});
            server.send(HbtpOpcode.CANCEL, HbtpFlags.FINAL, 5, Unpooled.EMPTY_BUFFER);
            server.next().release();
            ByteBuf late = Unpooled.directBuffer().writeInt(1);
            pending.complete(late);
            server.channel.runPendingTasks();
            assertThat(server.next()).isNull();
            assertThat(late.refCnt()).isZero();
        }
    }

    @Test
    void reusingASequenceInFlightIsAProtocolError() {
        CompletableFuture<ByteBuf> pending = new CompletableFuture<>();
        HbtpRouter router = new HbtpRouter().routeAsync(1, call -> pending);
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(5, 1, new byte[0]);
            server.call(5, 1, new byte[0]);
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
            // The handler finishes after the close: its request and answer are still released.
            pending.complete(Unpooled.directBuffer().writeByte(1));
            server.channel.runPendingTasks();
        }
    }

    @Test
    void tooManyCallsInFlightStopReadingUntilOneFinishes() {
        List<CompletableFuture<ByteBuf>> answers = new java.util.ArrayList<>();
        HbtpRouter router = new HbtpRouter().routeAsync(1, call -> {
            CompletableFuture<ByteBuf> f = new CompletableFuture<>();
            answers.add(f);
            return f;
        });
        try (ServerHarness server = new ServerHarness(config().router(router).maxInFlight(3).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(1, 1, new byte[0]);
            server.call(2, 1, new byte[0]);
            assertThat(server.channel.config().isAutoRead()).isTrue();
            server.call(3, 1, new byte[0]);
            assertThat(server.channel.config().isAutoRead()).isFalse();

            answers.getFirst().complete(Unpooled.EMPTY_BUFFER);
            server.channel.runPendingTasks();
            assertThat(server.channel.config().isAutoRead()).isTrue();
            HbtpFrame reply = server.next();
            assertThat(reply.sequence()).isEqualTo(1);
            reply.release();
            answers.subList(1, 3).forEach(f -> f.complete(Unpooled.EMPTY_BUFFER));
            server.drain().forEach(HbtpFrame::release);
        }
    }

    @Test
    void peerCloseWaitsForCallsInFlightThenAnswersAndCloses() {
        CompletableFuture<ByteBuf> pending = new CompletableFuture<>();
        HbtpRouter router = new HbtpRouter().routeAsync(1, call -> pending);
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(9, 1, new byte[0]);
            server.send(HbtpOpcode.CLOSE, HbtpFlags.FINAL, 0, Unpooled.buffer().writeShortLE(HbtpCloseCode.NORMAL));
            assertThat(server.next()).isNull();
            assertThat(server.channel.isOpen()).isTrue();

            pending.complete(Unpooled.wrappedBuffer(new byte[]{42}));
            server.channel.runPendingTasks();
            HbtpFrame response = server.next();
            assertThat(response.opcode()).isEqualTo(HbtpOpcode.RPC_RESPONSE);
            response.release();
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.NORMAL);
            assertThat(server.channel.isOpen()).isFalse();
        }
    }

    @Test
    void whenBothSidesCloseWithACallInFlightOnlyOneCloseIsSent() {
        CompletableFuture<ByteBuf> pending = new CompletableFuture<>();
        HbtpRouter router = new HbtpRouter().routeAsync(1, call -> pending);
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(9, 1, new byte[0]);
            server.send(HbtpOpcode.CLOSE, HbtpFlags.FINAL, 0, Unpooled.buffer().writeShortLE(HbtpCloseCode.NORMAL));
            HbtpServerSession.of(server.channel).close(HbtpCloseCode.GOING_AWAY, "shutting down");
            server.channel.runPendingTasks();
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.GOING_AWAY);

            pending.complete(Unpooled.directBuffer().writeByte(1));
            server.channel.runPendingTasks();
            assertThat(server.drain()).isEmpty();
            assertThat(server.channel.isOpen()).isFalse();
        }
    }

    @Test
    void anEventLargerThanTheClientAcceptsIsRefusedAtOnce() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            ByteBuf hello = Unpooled.buffer();
            new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.METADATA, 256, 266).write(hello);
            server.send(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, hello);
            server.next().release();
            ByteBuf big = Unpooled.directBuffer(300).writeZero(300);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> HbtpServerSession.of(server.channel).sendEvent(3, big))
                    .hasMessageContaining("event of 300 bytes exceeds the client's maximum message length of 266");
            assertThat(big.refCnt()).isZero();
        }
    }

    @Test
    void aCompressedCallIsAnsweredWithACompressedResponse() {
        HbtpRouter router = new HbtpRouter().route(1, call -> call.payload().retain());
        byte[] request = "all work and no play makes a dull protocol. ".repeat(200).getBytes(StandardCharsets.US_ASCII);
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA | HbtpCapabilities.ZSTD);
            ByteBuf body = Unpooled.buffer().writeShortLE(1).writeBytes(request);
            ByteBuf compressed = HbtpCompression.compress(io.netty.buffer.ByteBufAllocator.DEFAULT, body, 0);
            body.release();
            server.send(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE | HbtpFlags.COMPRESSED, 3, compressed);

            HbtpFrame response = server.next();
            try {
                assertThat(response.hasFlag(HbtpFlags.COMPRESSED)).isTrue();
                assertThat(response.payload().readableBytes()).isLessThan(request.length / 4);
                ByteBuf plain = HbtpCompression.decompress(io.netty.buffer.ByteBufAllocator.DEFAULT,
                        response.payload(), 1 << 20);
                assertThat(HbtpFrameCodecTest.bytes(plain)).isEqualTo(request);
                plain.release();
            } finally {
                response.release();
            }
        }
    }

    @Test
    void compressionWithoutTheCapabilityIsAProtocolError() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.send(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE | HbtpFlags.COMPRESSED, 3,
                    Unpooled.buffer().writeShortLE(1));
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void aDecompressionBombClosesWithTooLarge() {
        try (ServerHarness server = new ServerHarness(config().maxMessageLength(1 << 20).build())) {
            server.handshake(HbtpCapabilities.METADATA | HbtpCapabilities.ZSTD);
            ByteBuf zeros = Unpooled.wrappedBuffer(new byte[8 << 20]);
            ByteBuf bomb = HbtpCompression.compress(io.netty.buffer.ByteBufAllocator.DEFAULT, zeros, 0);
            server.send(HbtpOpcode.RPC_CALL, HbtpFlags.EXPECTS_RESPONSE | HbtpFlags.COMPRESSED, 3, bomb);
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.TOO_LARGE);
            assertThat(server.channel.isOpen()).isFalse();
        }
    }

    @Test
    void oversizeMetadataClosesWithTooLarge() {
        HbtpRouter router = new HbtpRouter().route(1, call -> null);
        try (ServerHarness server = new ServerHarness(config().router(router).maxMetadataSize(64).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(1, 1, new byte[0], HbtpMetadata.builder().put("trace-id", new byte[100]).build(), true);
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.TOO_LARGE);
            assertThat(server.channel.isOpen()).isFalse();
        }
    }

    @Test
    void aBadDeadlineIsABadRequest() {
        HbtpRouter router = new HbtpRouter().route(1, call -> null);
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(1, 1, new byte[0], HbtpMetadata.builder().put(HbtpMetadata.DEADLINE_MS, "soon").build(), true);
            HbtpFrame error = server.next();
            assertThat(error.payload().readUnsignedShortLE()).isEqualTo(HbtpStatus.BAD_REQUEST);
            error.release();
        }
    }

    @Test
    void clientEventsReachTheirHandlerAndUnknownOnesAreDropped() {
        List<String> seen = new java.util.ArrayList<>();
        HbtpServerConfig cfg = config().onClientEvent(4, (session, event, payload) ->
                seen.add(event + ":" + payload.toString(StandardCharsets.UTF_8))).build();
        try (ServerHarness server = new ServerHarness(cfg)) {
            server.handshake(HbtpCapabilities.METADATA);
            server.send(HbtpOpcode.CLIENT_EVENT, HbtpFlags.FINAL, 0,
                    Unpooled.buffer().writeShortLE(4).writeBytes("hi".getBytes(StandardCharsets.UTF_8)));
            server.send(HbtpOpcode.CLIENT_EVENT, HbtpFlags.FINAL, 0, Unpooled.buffer().writeShortLE(5));
            assertThat(seen).containsExactly("4:hi");
            assertThat(server.next()).isNull();
            assertThat(server.channel.isOpen()).isTrue();
        }
    }

    @Test
    void subscribeIsAnsweredWithTheStateOrTheMissingDeltas() {
        HbtpTopics topics = new HbtpTopics();
        topics.publish(3, Unpooled.copiedBuffer("v1", StandardCharsets.UTF_8));
        topics.publishDelta(3, Unpooled.copiedBuffer("d2", StandardCharsets.UTF_8));
        topics.publishDelta(3, Unpooled.copiedBuffer("d3", StandardCharsets.UTF_8));
        try (ServerHarness server = new ServerHarness(config().topics(topics).build())) {
            server.handshake(HbtpCapabilities.METADATA | HbtpCapabilities.STATE);

            server.send(HbtpOpcode.SUBSCRIBE, HbtpFlags.FINAL, 0, Unpooled.buffer().writeShortLE(3).writeLongLE(2));
            List<HbtpFrame> missing = server.drain();
            assertThat(missing).extracting(HbtpFrame::opcode).containsExactly(HbtpOpcode.STATE_DELTA);
            assertThat(missing.getFirst().payload().getLongLE(2)).isEqualTo(2);
            assertThat(missing.getFirst().payload().getLongLE(10)).isEqualTo(3);
            missing.forEach(HbtpFrame::release);

            server.send(HbtpOpcode.UNSUBSCRIBE, HbtpFlags.FINAL, 0, Unpooled.buffer().writeShortLE(3));
            server.send(HbtpOpcode.SUBSCRIBE, HbtpFlags.FINAL, 0, Unpooled.buffer().writeShortLE(3).writeLongLE(0));
            List<HbtpFrame> full = server.drain();
            assertThat(full).extracting(HbtpFrame::opcode)
                    .containsExactly(HbtpOpcode.STATE_SYNC, HbtpOpcode.STATE_DELTA, HbtpOpcode.STATE_DELTA);
            assertThat(full.getFirst().payload().getLongLE(2)).isEqualTo(1);
            full.forEach(HbtpFrame::release);

            topics.publishDelta(3, Unpooled.copiedBuffer("d4", StandardCharsets.UTF_8));
            server.channel.runPendingTasks();
            HbtpFrame live = server.next();
            assertThat(live.opcode()).isEqualTo(HbtpOpcode.STATE_DELTA);
            assertThat(live.payload().getLongLE(10)).isEqualTo(4);
            live.release();
        }
        assertThat(topics.subscriberCount(3)).isZero();
    }

    @Test
    void topicsWithoutTheStateCapabilityAreAProtocolError() {
        try (ServerHarness server = new ServerHarness(config().build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.send(HbtpOpcode.SUBSCRIBE, HbtpFlags.FINAL, 0, Unpooled.buffer().writeShortLE(3).writeLongLE(0));
            assertThat(server.expectClose()).isEqualTo(HbtpCloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void aDeadlineTooLargeForTheClockIsCappedAndNeverWraps() {
        CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
        long[] deadline = new long[1];
        HbtpRouter router = new HbtpRouter().routeAsync(1, call -> {
            deadline[0] = call.deadlineNanos();
            return answer;
        });
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            server.call(1, 1, new byte[0], HbtpMetadata.builder()
                    .put(HbtpMetadata.DEADLINE_MS, Long.toString(Long.MAX_VALUE)).build(), true);
            // Uncapped, nanoTime + Long.MAX_VALUE ms wrapped to a deadline that reads as long past.
            assertThat(deadline[0]).isGreaterThan(System.nanoTime());
            assertThat(server.next()).isNull();
            answer.complete(Unpooled.wrappedBuffer(new byte[]{7}));
            HbtpFrame response = server.next();
            try {
                assertThat(response.opcode()).isEqualTo(HbtpOpcode.RPC_RESPONSE);
            } finally {
                response.release();
            }
        }
        assertThat(CallDispatcher.parseDeadline(Long.toString(Long.MAX_VALUE))).isEqualTo(CallDispatcher.MAX_DEADLINE_MS);
        assertThat(CallDispatcher.parseDeadline("250")).isEqualTo(250);
        assertThat(CallDispatcher.parseDeadline("0")).isEqualTo(-1);
    }

    @Test
    void aHandlerThatConsumesItsPayloadGivesBackEveryByteItHeld() {
        // Handlers that read their request with readBytes move its reader index; what the call held must
        // still be given back whole, or the connection's in-flight bytes creep up until it stops reading.
        HbtpRouter router = new HbtpRouter().route(1, call -> {
            call.payload().skipBytes(call.payload().readableBytes());
            return null;
        });
        try (ServerHarness server = new ServerHarness(config().router(router).maxInFlightBytes(1 << 20).build())) {
            server.handshake(HbtpCapabilities.METADATA);
            for (int i = 0; i < 40; i++) {
                server.call(i, 1, new byte[64 * 1024]);
                HbtpFrame answer = server.next();
                try {
                    assertThat(answer).as("answer to call %d", i).isNotNull();
                    assertThat(answer.opcode()).isEqualTo(HbtpOpcode.RPC_RESPONSE);
                } finally {
                    ReferenceCountUtil.release(answer);
                }
            }
        }
    }

    @Test
    void theResponseSizeCheckCountsTheResponseMetadata() {
        byte[] answer = new byte[1000];
        HbtpRouter router = new HbtpRouter().route(1, call -> {
            call.responseMetadata(HbtpMetadata.builder().put("trace-id", new String(new char[100]).replace('\0', 't'))
                    .build());
            return Unpooled.wrappedBuffer(answer);
        });
        try (ServerHarness server = new ServerHarness(config().router(router).build())) {
            // A client that takes messages of at most 1050 bytes: the body fits, body and metadata do not.
            ByteBuf hello = Unpooled.wrappedBuffer(new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.METADATA, 1050,
                    1050).body());
            server.send(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, hello);
            server.next().release();
            server.call(1, 1, new byte[0]);
            HbtpFrame error = server.next();
            try {
                assertThat(error.opcode()).isEqualTo(HbtpOpcode.RPC_ERROR);
                assertThat(error.payload().readUnsignedShortLE()).isEqualTo(HbtpStatus.INTERNAL);
            } finally {
                error.release();
            }
        }
    }

    @Test
    void theMessageLengthAdvertisedIsWhatFragmentsAndInFlightBytesCanCarry() {
        try (ServerHarness server = new ServerHarness(config().maxFrameLength(4096).maxFragments(4).build())) {
            assertThat(server.handshake(HbtpCapabilities.METADATA).maxMessageLength()).isEqualTo(4 * 4096);
        }
        try (ServerHarness server = new ServerHarness(config().maxInFlightBytes(2 << 20).build())) {
            assertThat(server.handshake(HbtpCapabilities.METADATA).maxMessageLength()).isEqualTo(2 << 20);
        }
    }

    @Test
    void everyMistakeInTheAttackBoundsIsReportedAtOnce() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HbtpServerConfig.builder()
                        .maxInFlightBytes(1000).maxOutboundBytes(0).maxBlockingCalls(0).maxQueuedBlockingCalls(-1)
                        .maxConnections(0).frameTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("6 invalid HbtpServerConfig setting(s)")
                .hasMessageContaining("maxInFlightBytes = 1000 (allowed: 1048576 or more)")
                .hasMessageContaining("maxOutboundBytes = 0")
                .hasMessageContaining("maxBlockingCalls = 0")
                .hasMessageContaining("maxQueuedBlockingCalls = -1")
                .hasMessageContaining("maxConnections = 0")
                .hasMessageContaining("frameTimeout = PT-1S");
    }

    @Test
    void aConfigWithSeveralMistakesReportsThemAll() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HbtpServerConfig.builder()
                        .maxFrameLength(10).maxInFlight(0).pongTimeout(Duration.ZERO).build())
                .hasMessageContaining("3 invalid HbtpServerConfig setting(s)")
                .hasMessageContaining("maxFrameLength = 10")
                .hasMessageContaining("maxInFlight = 0")
                .hasMessageContaining("pongTimeout = PT0S");
    }
}
