package dev.dxreactor.hbtp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds whatever a peer could send into the HBTP decoder: once into a bare {@link HbtpFrameCodec}, once into
 * the full server pipeline of {@link HbtpServerInitializer}, in chunks whose sizes the fuzzer picks.
 *
 * <p>Without {@code JAZZER_FUZZ} each target only replays the inputs under
 * {@code src/test/resources/dev/dxreactor/hbtp/HbtpDecoderFuzzTestInputs/<method>/}; see the README's
 * Fuzzing section.
 *
 * <p>Input layout, for writing seeds by hand: the fuzzer's {@link FuzzedDataProvider} hands out the bytes
 * sent from the front of the input and the control values from its end, so a seed is the wire bytes
 * followed by the control bytes in reverse order of use. Control values, as used: for
 * {@code serverPipeline} one byte (bit 0: start with {@link #CLIENT_HELLO}), then per chunk two bytes of
 * chunk size (high byte first, 1..{@value #MAX_CHUNK}), one byte for {@link #copies} and one action byte;
 * for {@code frameCodec} the same per chunk without the action byte.
 */
class HbtpDecoderFuzzTest {

    private static final int MAX_FRAME_LENGTH = 4096;
    private static final int MAX_MESSAGE_LENGTH = 16384;
    private static final int MAX_METADATA_SIZE = 512;
    private static final int MAX_FRAGMENTS = 64;
    /** A chunk can hold one largest frame and most of the next header, or split anything anywhere. */
    private static final int MAX_CHUNK = MAX_FRAME_LENGTH + 2 * HbtpHeader.SIZE;

    private static final int ECHO_ROUTE = 1;
    private static final int ASYNC_ROUTE = 2;
    private static final int BLOCKING_ROUTE = 3;
    private static final int ECHO_EVENT = 1;
    private static final int CLOSE_EVENT = 2;
    private static final int PUSHED_EVENT = 3;
    private static final int TOPIC = 1;

    /**
     * HELLO with ZSTD, METADATA and STATE and the limits above, so that the rest of an input is
     * post-handshake and COMPRESSED frames reach the decompressor.
     */
    private static final byte[] CLIENT_HELLO = {
            0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
            'H', 'B', 'T', 'P', 0x01, 0x00, 0x0D, 0x00,
            0x00, 0x10, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00,
    };

    /** What a server may send; anything else in its output is a bug. */
    private static final Set<HbtpOpcode> SERVER_OPCODES = EnumSet.of(HbtpOpcode.PING, HbtpOpcode.PONG,
            HbtpOpcode.CLOSE, HbtpOpcode.HELLO_ACK, HbtpOpcode.STATE_SYNC, HbtpOpcode.STATE_DELTA,
            HbtpOpcode.RPC_RESPONSE, HbtpOpcode.RPC_ERROR, HbtpOpcode.SERVER_EVENT);

    // ---- bare codec ------------------------------------------------------------------------------------

    /**
     * The codec alone, fed in chunks, must decode exactly what it decodes from the same bytes in one write:
     * a decoder that depends on where reads split a stream fails on real networks only.
     */
    @FuzzTest
    void frameCodec(FuzzedDataProvider data) throws Exception {
        TrackingAllocator alloc = new TrackingAllocator();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();

        EmbeddedChannel chunked = channel(alloc, new HbtpFrameCodec(MAX_FRAME_LENGTH, MAX_MESSAGE_LENGTH,
                MAX_FRAGMENTS));
        CodecRecorder chunkedRecord = new CodecRecorder();
        while (data.remainingBytes() > 0) {
            int size = data.consumeInt(1, MAX_CHUNK);
            int copies = copies(data.consumeInt(0, 255));
            byte[] chunk = data.consumeBytes(size);
            for (int i = 0; i < copies; i++) {
                stream.writeBytes(chunk);
                chunkedRecord.feed(chunked, alloc, chunk);
            }
        }
        chunkedRecord.finish(chunked);

        EmbeddedChannel whole = channel(alloc, new HbtpFrameCodec(MAX_FRAME_LENGTH, MAX_MESSAGE_LENGTH,
                MAX_FRAGMENTS));
        CodecRecorder wholeRecord = new CodecRecorder();
        wholeRecord.feed(whole, alloc, stream.toByteArray());
        wholeRecord.finish(whole);

        assertThat(chunkedRecord.violations).as("codec fed in chunks").isEmpty();
        assertThat(wholeRecord.violations).as("codec fed in one write").isEmpty();
        assertThat(chunkedRecord.events).as("decoded in chunks vs. in one write")
                .containsExactlyElementsOf(wholeRecord.events);
        alloc.assertAllReleased();
    }

    /** What one codec channel decoded and which failure ended it, in order. */
    private static final class CodecRecorder {
        final List<String> events = new ArrayList<>();
        final List<String> violations = new ArrayList<>();
        private boolean failed;

        void feed(EmbeddedChannel channel, ByteBufAllocator alloc, byte[] bytes) {
            if (bytes.length == 0) {
                return;
            }
            HbtpProtocolException failure = null;
            try {
                channel.writeInbound(alloc.buffer(bytes.length).writeBytes(bytes));
            } catch (HbtpProtocolException e) {
                failure = e;
            }
            // Frames decoded before the failure in the same read come first, as the pipeline saw them.
            drainInbound(channel);
            recordFailure(failure);
        }

        /** Closes the channel: the end of the stream is input too (a cut-off frame is an error). */
        void finish(EmbeddedChannel channel) {
            drainInbound(channel);
            int decodedBeforeClose = events.size();
            HbtpProtocolException failure = null;
            try {
                channel.finish();
            } catch (HbtpProtocolException e) {
                failure = e;
            }
            drainInbound(channel);
            if (events.size() != decodedBeforeClose) {
                // Every complete frame is decoded as soon as its last byte arrives, never later.
                violations.add("frames decoded only when the channel closed: "
                        + events.subList(decodedBeforeClose, events.size()));
            }
            recordFailure(failure);
            if (channel.releaseOutbound()) {
                violations.add("a decoder that was only read from wrote something");
            }
            channel.finishAndReleaseAll();
        }

        private void drainInbound(EmbeddedChannel channel) {
            for (Object msg; (msg = channel.readInbound()) != null; ) {
                try {
                    if (!(msg instanceof HbtpFrame frame)) {
                        violations.add("decoded a " + msg.getClass().getName());
                        continue;
                    }
                    violations.addAll(checkDecoded(frame));
                    if (failed) {
                        violations.add("decoded " + frame + " after the protocol failure " + events.getLast());
                    }
                    ByteBuf payload = frame.payload();
                    events.add(frame.opcode() + " " + HbtpFlags.toString(frame.flags()) + " seq "
                            + frame.sequence() + " " + ByteBufUtil.hexDump(payload));
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }
        }

        private void recordFailure(HbtpProtocolException failure) {
            if (failure == null) {
                return;
            }
            if (failed) {
                violations.add("a second protocol failure after the codec had failed: " + failure);
            }
            failed = true;
            events.add("failure " + failure.closeCode() + ": " + failure.reason());
        }
    }

    /**
     * How often a chunk is sent: mostly once, a quarter of the time up to 64 times. libFuzzer keeps inputs
     * to 4 KiB by default, so without repeats no input could reach maxMessageLength.
     */
    private static int copies(int control) {
        return control < 192 ? 1 : 1 + (control & 63);
    }

    /** Limits every decoded frame must respect, whatever came in. */
    private static List<String> checkDecoded(HbtpFrame frame) {
        List<String> problems = new ArrayList<>();
        if (frame.payload().readableBytes() > MAX_MESSAGE_LENGTH) {
            problems.add("decoded " + frame + " exceeds maxMessageLength " + MAX_MESSAGE_LENGTH);
        }
        if (!frame.hasFlag(HbtpFlags.FINAL)) {
            problems.add("decoded " + frame + " without FINAL: fragments must be reassembled first");
        }
        return problems;
    }

    // ---- server pipeline -------------------------------------------------------------------------------

    /**
     * The whole server behind the codec, with routes, events and a topic that reach every kind of handling
     * (inline, async, offloaded, cancel, deadlines, backpressure, close handshake). Between chunks the
     * fuzzer also moves time, completes async calls, publishes to the topic and pushes events, so that
     * replies and input interleave.
     */
    @FuzzTest
    void serverPipeline(FuzzedDataProvider data) throws Exception {
        TrackingAllocator alloc = new TrackingAllocator();
        Deque<AsyncCall> unanswered = new ArrayDeque<>();
        TopicPublisher publisher = new TopicPublisher();
        InboundCheck inboundCheck = new InboundCheck();

        HbtpRouter router = new HbtpRouter()
                .route(ECHO_ROUTE, call -> call.payload().retain())
                .routeAsync(ASYNC_ROUTE, call -> {
                    AsyncCall async = new AsyncCall(call.expectsResponse(), new CompletableFuture<>());
                    unanswered.add(async);
                    return async.answer();
                })
                .routeBlocking(BLOCKING_ROUTE, call -> {
                    ByteBuf request = call.payload();
                    // Only where an error is answered: a failed fire-and-forget call is logged with its stack.
                    if (!request.isReadable() && call.expectsResponse()) {
                        throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, "empty request");
                    }
                    return call.alloc().buffer(request.readableBytes())
                            .writeBytes(request, request.readerIndex(), request.readableBytes());
                });
        HbtpServerConfig config = HbtpServerConfig.builder()
                .router(router)
                .topics(publisher.topics)
                .onClientEvent(ECHO_EVENT, (session, event, payload) ->
                        session.sendEvent(event, payload.retainedDuplicate()))
                .onClientEvent(CLOSE_EVENT, (session, event, payload) ->
                        session.close(HbtpCloseCode.NORMAL, "asked to"))
                .middleware(() -> inboundCheck)
                // The embedded event loop runs everything on this thread, which keeps every input replayable.
                .offloadExecutor(Runnable::run)
                .maxFrameLength(MAX_FRAME_LENGTH)
                .maxMessageLength(MAX_MESSAGE_LENGTH)
                .maxFragments(MAX_FRAGMENTS)
                .maxMetadataSize(MAX_METADATA_SIZE)
                // Small, so that a handful of unanswered async calls reaches the backpressure code.
                .maxInFlight(4)
                .idleTimeout(Duration.ZERO)
                .helloTimeout(Duration.ofSeconds(2))
                .pongTimeout(Duration.ofSeconds(1))
                .build();
        publisher.snapshot(8);

        EmbeddedChannel channel = channel(alloc, new HbtpServerInitializer(config));
        ServerRun run = new ServerRun(channel);

        if (data.consumeBoolean()) {
            run.feed(alloc, CLIENT_HELLO);
        }
        while (data.remainingBytes() > 0 && channel.isOpen()) {
            int size = data.consumeInt(1, MAX_CHUNK);
            int copies = copies(data.consumeInt(0, 255));
            int action = data.consumeInt(0, 255);
            byte[] chunk = data.consumeBytes(size);
            for (int i = 0; i < copies; i++) {
                run.feed(alloc, chunk);
            }
            int param = action & 0x1F;
            switch (action >>> 5) {
                case 4 -> run.guard(() -> {
                    channel.advanceTimeBy(100L * (param + 1), TimeUnit.MILLISECONDS);
                    channel.runPendingTasks();
                });
                case 5 -> run.guard(() -> answerOldest(unanswered, alloc, param));
                case 6 -> run.guard(() -> {
                    // Snapshots up to 4650 bytes, so some are split into several STATE_SYNC frames.
                    if ((param & 1) == 0) {
                        publisher.snapshot(1 + 300 * (param >>> 1));
                    } else {
                        publisher.delta(param);
                    }
                    channel.runPendingTasks();
                });
                case 7 -> run.guard(() -> {
                    HbtpServerSession session = HbtpServerSession.of(channel);
                    if (session != null) {
                        int length = 200 * param;
                        try {
                            session.sendEvent(PUSHED_EVENT, alloc.buffer(length).writeZero(length));
                        } catch (IllegalArgumentException tooLargeForThisClient) {
                            // Refused up front, payload released: the documented answer to an oversize push.
                        }
                    }
                });
                default -> {
                    // Most chunks just arrive: the decoder is the point.
                }
            }
        }

        // The application answers every call it still holds, as a real one eventually must.
        while (!unanswered.isEmpty()) {
            run.guard(() -> answerOldest(unanswered, alloc, 0));
        }
        HbtpServerSession session = HbtpServerSession.of(channel);
        run.checkOutput(session == null ? null : session.peerHello());
        int strayInbound = channel.inboundMessages().size();
        channel.releaseInbound();
        boolean openBeforeClose = channel.isOpen();
        // Closing is input too (a cut-off frame is a protocol error): the session must release what it
        // holds, and nothing can be written any more.
        boolean appearedOnClose = false;
        try {
            appearedOnClose = channel.finishAndReleaseAll();
        } catch (HbtpProtocolException endedInsideAFrame) {
            // The connection is closing anyway; what the session held is checked below.
        }

        assertThat(inboundCheck.unexpected).as("exceptions other than protocol errors").isEmpty();
        assertThat(inboundCheck.violations).as("frames the codec handed to the session").isEmpty();
        assertThat(run.violations).as("what the server wrote").isEmpty();
        assertThat(strayInbound).as("messages the session passed on instead of consuming").isZero();
        assertThat(appearedOnClose).as("messages that appeared when the channel closed").isFalse();
        if (run.escapedBeforeClose != null) {
            assertThat(openBeforeClose).as("connection still open after " + run.escapedBeforeClose).isFalse();
        }
        alloc.assertAllReleased();
        publisher.assertReleased();
    }

    // ---- encrypted server pipeline ---------------------------------------------------------------------

    /**
     * The server after a real encrypted handshake (ZSTD agreed too), with the test as the client holding the
     * keys. Keys are never fuzzed; each chunk is used one of three ways, chosen by its control byte:
     * <ul>
     *   <li>sealed: the chunk's first four bytes are opcode, flags and sequence and the rest the payload of
     *       one frame, sealed with the client's key, so fuzzed flags (COMPRESSED, fragments, METADATA) and
     *       payloads reach decryption, decompression and the session;
     *   <li>tampered: the same, with one byte of the sealed frame flipped, which must close with 1008;
     *   <li>raw: the bytes as they are, which can only be rejected (1002, 1003, 1008 or 1009) or wait for
     *       more.
     * </ul>
     * Whatever happens, every frame the server writes must open with the client's key, and nothing of a
     * frame that did not authenticate may reach the session.
     */
    @FuzzTest
    void encryptedServerPipeline(FuzzedDataProvider data) throws Exception {
        TrackingAllocator alloc = new TrackingAllocator();
        InboundCheck inboundCheck = new InboundCheck();
        HbtpServerConfig config = HbtpServerConfig.builder()
                .router(new HbtpRouter().route(ECHO_ROUTE, call -> call.payload().retain()))
                .onClientEvent(ECHO_EVENT, (session, event, payload) ->
                        session.sendEvent(event, payload.retainedDuplicate()))
                .middleware(() -> inboundCheck)
                .compressionThreshold(64)
                .maxFrameLength(MAX_FRAME_LENGTH)
                .maxMessageLength(MAX_MESSAGE_LENGTH)
                .maxFragments(MAX_FRAGMENTS)
                .maxMetadataSize(MAX_METADATA_SIZE)
                .idleTimeout(Duration.ZERO)
                .build();
        EmbeddedChannel channel = channel(alloc, new HbtpServerInitializer(config));
        ServerRun run = new ServerRun(channel);
        EncryptedClient client = new EncryptedClient(alloc);
        client.handshake(run);

        // Whether the server has read whole frames only: after raw bytes, or a length made larger, it may be
        // inside a frame, and a tampered frame then only adds to that frame's payload.
        boolean aligned = true;
        while (data.remainingBytes() > 0 && channel.isOpen()) {
            int size = data.consumeInt(1, MAX_CHUNK);
            int mode = data.consumeInt(0, 255);
            int flip = data.consumeInt(0, MAX_CHUNK + HbtpFrameCipher.TAG_SIZE);
            byte[] chunk = data.consumeBytes(size);
            if (mode < 160 && chunk.length >= 4) {
                ByteBuf sealed = client.seal(chunk);
                if (sealed == null) {
                    continue;
                }
                if (mode >= 128) {
                    int at = flip % sealed.readableBytes();
                    sealed.setByte(at, sealed.getByte(at) ^ 1);
                    boolean lengthByte = at >= HbtpHeader.LENGTH_OFFSET && at < HbtpHeader.SIZE;
                    client.expectClose |= aligned && !lengthByte;
                    aligned &= !lengthByte;
                }
                run.feedBuffer(sealed);
            } else {
                run.feed(alloc, chunk);
                aligned = false;
            }
        }

        client.checkOutput(run);
        channel.releaseInbound();
        try {
            channel.finishAndReleaseAll();
        } catch (HbtpProtocolException endedInsideAFrame) {
            // The connection is closing anyway.
        }
        client.close();

        assertThat(inboundCheck.unexpected).as("exceptions other than protocol errors").isEmpty();
        assertThat(inboundCheck.violations).as("frames the codec handed to the session").isEmpty();
        assertThat(run.violations).as("what the server wrote").isEmpty();
        alloc.assertAllReleased();
    }

    /** The client side of {@link #encryptedServerPipeline}: a codec of its own that seals and opens. */
    private static final class EncryptedClient {
        private final HbtpFrameCodec codec = new HbtpFrameCodec(1 << 20, 16 << 20, 4096);
        private final EmbeddedChannel channel = new EmbeddedChannel(codec);
        private final ByteBufAllocator alloc;
        /** A tampered frame was sent: the server must have closed the connection. */
        boolean expectClose;

        EncryptedClient(ByteBufAllocator alloc) {
            this.alloc = alloc;
        }

        void handshake(ServerRun run) {
            HbtpKeyExchange exchange = HbtpKeyExchange.start();
            HbtpHello hello = new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.ZSTD | HbtpCapabilities.ENCRYPTION
                    | HbtpCapabilities.METADATA, MAX_FRAME_LENGTH, MAX_MESSAGE_LENGTH, exchange.publicKey());
            run.feedBuffer(hello.frame(alloc, HbtpOpcode.HELLO, 0));
            ByteBuf ackFrame = run.channel.readOutbound();
            channel.writeInbound(ackFrame);
            HbtpFrame ack = channel.readInbound();
            try {
                codec.startEncryption(exchange.finish(true, hello, HbtpHello.read(ack.payload()), null));
            } finally {
                ack.release();
            }
        }

        /** One frame of the chunk's header fields and payload, sealed; {@code null} when it is no frame. */
        ByteBuf seal(byte[] chunk) {
            HbtpOpcode opcode = HbtpOpcode.of(chunk[0] & 0xFF);
            int flags = chunk[1] & 0xFF & ~HbtpFlags.RESERVED_MASK & ~HbtpFlags.ENCRYPTED;
            if (opcode == null) {
                return null;
            }
            int sequence = (chunk[2] & 0xFF) | (chunk[3] & 0xFF) << 8;
            channel.writeOutbound(new HbtpFrame(opcode, flags, sequence,
                    alloc.buffer(chunk.length - 4).writeBytes(chunk, 4, chunk.length - 4)));
            ByteBuf sealed = channel.readOutbound();
            ByteBuf copy = alloc.buffer(sealed.readableBytes()).writeBytes(sealed);
            sealed.release();
            return copy;
        }

        /** Every frame the server wrote opens with the client's key, and a tampered frame closed the connection. */
        void checkOutput(ServerRun run) {
            Integer closeCode = null;
            for (Object msg; (msg = run.channel.readOutbound()) != null; ) {
                try {
                    channel.writeInbound(msg);
                } catch (HbtpProtocolException e) {
                    run.violations.add("the client cannot open what the server sealed: " + e.getMessage());
                    return;
                }
                for (HbtpFrame frame; (frame = channel.readInbound()) != null; ) {
                    try {
                        if (!SERVER_OPCODES.contains(frame.opcode())) {
                            run.violations.add("server sent " + frame);
                        }
                        if (closeCode != null) {
                            run.violations.add("server sent " + frame + " after CLOSE");
                        }
                        if (frame.opcode() == HbtpOpcode.CLOSE) {
                            closeCode = frame.payload().getUnsignedShortLE(frame.payload().readerIndex());
                            if (closeCode == HbtpCloseCode.INTERNAL_ERROR) {
                                run.violations.add("server closed with INTERNAL_ERROR");
                            }
                        }
                    } finally {
                        frame.release();
                    }
                }
            }
            if (expectClose && run.channel.isOpen()) {
                run.violations.add("a tampered frame did not close the connection");
            }
        }

        void close() {
            channel.finishAndReleaseAll();
        }
    }

    /** A call to the async route, waiting for the fuzzer (or the end of the input) to answer it. */
    private record AsyncCall(boolean expectsResponse, CompletableFuture<ByteBuf> answer) {
    }

    private static void answerOldest(Deque<AsyncCall> unanswered, ByteBufAllocator alloc, int param) {
        AsyncCall call = unanswered.poll();
        if (call == null) {
            return;
        }
        CompletableFuture<ByteBuf> answer = call.answer();
        // As in the blocking route: errors only where they are answered, not logged.
        if ((param & 1) != 0 && call.expectsResponse()) {
            answer.completeExceptionally(new HbtpRpcException(HbtpStatus.UNAVAILABLE, "not now"));
            return;
        }
        int length = 100 * (param >>> 1);
        ByteBuf body = alloc.buffer(length).writeZero(length);
        if (!answer.complete(body)) {
            // The server cancelled the call (CANCEL, deadline or close): the body never left the route.
            body.release();
        }
    }

    /** One server connection: feeds it, keeps what failed, and checks what it wrote. */
    private static final class ServerRun {
        final EmbeddedChannel channel;
        final List<String> violations = new ArrayList<>();
        /** A protocol error that reached the end of the pipeline: acceptable only if the connection closed. */
        HbtpProtocolException escapedBeforeClose;

        ServerRun(EmbeddedChannel channel) {
            this.channel = channel;
        }

        void feed(ByteBufAllocator alloc, byte[] bytes) {
            if (bytes.length > 0 && channel.isOpen()) {
                guard(() -> channel.writeInbound(alloc.buffer(bytes.length).writeBytes(bytes)));
            }
        }

        void feedBuffer(ByteBuf bytes) {
            if (channel.isOpen()) {
                guard(() -> channel.writeInbound(bytes));
            } else {
                bytes.release();
            }
        }

        /** Runs one step; a protocol error may end the connection, any other exception is a finding. */
        void guard(Runnable step) {
            try {
                step.run();
                channel.checkException();
            } catch (HbtpProtocolException e) {
                if (escapedBeforeClose == null) {
                    escapedBeforeClose = e;
                }
            }
        }

        /**
         * Reads back everything the server wrote, releases it, and checks it is a well-formed HBTP stream
         * from a server: whole frames of server opcodes, nothing but CLOSE before HELLO_ACK, nothing after
         * CLOSE, no INTERNAL_ERROR (the handlers here never fail unexpectedly), and within the limits the
         * client announced once it did.
         */
        void checkOutput(HbtpHello peer) {
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            for (Object msg; (msg = channel.readOutbound()) != null; ) {
                try {
                    if (msg instanceof ByteBuf buf) {
                        written.writeBytes(ByteBufUtil.getBytes(buf));
                    } else {
                        violations.add("server wrote a " + msg.getClass().getName());
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }
            ByteBuf out = Unpooled.wrappedBuffer(written.toByteArray());
            boolean acknowledged = false;
            boolean closed = false;
            HbtpOpcode messageOpcode = null;
            int messageSequence = 0;
            long messageLength = 0;
            while (out.isReadable()) {
                int at = out.readerIndex();
                if (closed) {
                    violations.add("server wrote after CLOSE: " + ByteBufUtil.hexDump(out));
                    return;
                }
                if (out.readableBytes() < HbtpHeader.SIZE) {
                    violations.add("server output ends inside a frame header: " + ByteBufUtil.hexDump(out));
                    return;
                }
                HbtpOpcode opcode = HbtpOpcode.of(HbtpHeader.opcode(out, at));
                int flags = HbtpHeader.flags(out, at);
                int sequence = HbtpHeader.sequence(out, at);
                long length = HbtpHeader.length(out, at);
                String frame = opcode + " " + HbtpFlags.toString(flags) + " seq " + sequence + " length " + length;
                if (opcode == null || !SERVER_OPCODES.contains(opcode)) {
                    violations.add("server sent opcode 0x" + Integer.toHexString(HbtpHeader.opcode(out, at)));
                    return;
                }
                if ((flags & HbtpFlags.RESERVED_MASK) != 0) {
                    violations.add("server set reserved flags: " + frame);
                }
                if (length > out.readableBytes() - HbtpHeader.SIZE) {
                    violations.add("server output ends inside the payload of " + frame);
                    return;
                }
                out.skipBytes(HbtpHeader.SIZE);
                ByteBuf payload = out.readSlice((int) length);

                if (!acknowledged && opcode != HbtpOpcode.HELLO_ACK && opcode != HbtpOpcode.CLOSE) {
                    violations.add("server sent " + frame + " before HELLO_ACK");
                }
                if (opcode == HbtpOpcode.HELLO_ACK) {
                    if (acknowledged) {
                        violations.add("second HELLO_ACK");
                    }
                    acknowledged = true;
                }
                if (messageOpcode != null && (opcode != messageOpcode || sequence != messageSequence)) {
                    violations.add(frame + " interrupts the fragmented " + messageOpcode + " seq "
                            + messageSequence);
                }
                messageLength = (messageOpcode != null ? messageLength : 0) + length;
                messageOpcode = (flags & HbtpFlags.FINAL) != 0 ? null : opcode;
                messageSequence = sequence;
                if (peer != null && length > peer.maxFrameLength()) {
                    violations.add(frame + " exceeds the client's maxFrameLength " + peer.maxFrameLength());
                }
                if (peer != null && messageLength > peer.maxMessageLength()) {
                    violations.add(frame + " ends a message over the client's maxMessageLength "
                            + peer.maxMessageLength());
                }
                if (opcode == HbtpOpcode.CLOSE) {
                    closed = true;
                    if (payload.readableBytes() < 2) {
                        violations.add("CLOSE without a close code");
                    } else if (payload.getUnsignedShortLE(payload.readerIndex()) == HbtpCloseCode.INTERNAL_ERROR) {
                        violations.add("server closed with INTERNAL_ERROR (see its WARN log for the stack trace): "
                                + payload.toString(payload.readerIndex() + 2, payload.readableBytes() - 2,
                                StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    /**
     * Sits between codec and session: checks each frame the session receives and keeps exceptions that are
     * not protocol errors, which the session would otherwise turn into a CLOSE and hide.
     */
    private static final class InboundCheck extends ChannelInboundHandlerAdapter {
        final List<String> violations = new ArrayList<>();
        final List<Throwable> unexpected = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HbtpFrame frame) {
                violations.addAll(checkDecoded(frame));
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof HbtpProtocolException)) {
                unexpected.add(cause);
            }
            ctx.fireExceptionCaught(cause);
        }
    }

    /**
     * Publishes to {@link #TOPIC} and remembers every buffer handed over, to check afterwards that the
     * topic and the session released each copy: only the current snapshot and its deltas may still be held,
     * once each, by the topic.
     */
    private static final class TopicPublisher {
        final HbtpTopics topics = new HbtpTopics(2);
        private final List<ByteBuf> current = new ArrayList<>();
        private final List<ByteBuf> replaced = new ArrayList<>();

        void snapshot(int length) {
            ByteBuf snapshot = Unpooled.wrappedBuffer(new byte[length]);
            topics.publish(TOPIC, snapshot);
            replaced.addAll(current);
            current.clear();
            current.add(snapshot);
        }

        void delta(int length) {
            // Unpooled.wrappedBuffer of an empty array is the shared EMPTY_BUFFER, which never reaches 0.
            ByteBuf delta = Unpooled.wrappedBuffer(new byte[length + 1]);
            try {
                topics.publishDelta(TOPIC, delta);
                current.add(delta);
            } catch (IllegalStateException historyFull) {
                replaced.add(delta);
            }
        }

        void assertReleased() {
            for (ByteBuf buf : replaced) {
                assertThat(buf.refCnt()).as("replaced topic buffer of " + buf.capacity() + " bytes").isZero();
            }
            for (ByteBuf buf : current) {
                assertThat(buf.refCnt()).as("current topic buffer of " + buf.capacity() + " bytes").isOne();
            }
        }
    }

    // ---- shared ----------------------------------------------------------------------------------------

    /** An embedded channel whose buffers all come from {@code alloc}, on a clock that moves only when told. */
    private static EmbeddedChannel channel(TrackingAllocator alloc, ChannelHandler handler) throws Exception {
        EmbeddedChannel channel = EmbeddedChannel.builder().register(false).handlers(handler).build();
        channel.config().setAllocator(alloc);
        channel.register();
        // Freezing needs the event loop, so it comes after registration; the HELLO timer scheduled then is
        // microseconds off the frozen clock, far below the 100 ms steps the fuzzer moves it by.
        channel.freezeTime();
        return channel;
    }

    /**
     * Keeps every buffer the channel allocates, so a leak fails the input that caused it, at once: the
     * paranoid leak detector only notices after a garbage collection, long after the input is gone.
     */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> allocated = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
            return track(super.compositeHeapBuffer(maxNumComponents));
        }

        @Override
        public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
            return track(super.compositeDirectBuffer(maxNumComponents));
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        private <B extends ByteBuf> B track(B buf) {
            allocated.add(buf);
            return buf;
        }

        void assertAllReleased() {
            List<String> leaks = new ArrayList<>();
            for (int i = 0; i < allocated.size(); i++) {
                ByteBuf buf = allocated.get(i);
                if (buf.refCnt() != 0) {
                    // From index 0: by now the reader has usually consumed everything it wrote.
                    leaks.add("allocation #" + i + ": " + buf.getClass().getSimpleName() + " refCnt " + buf.refCnt()
                            + ", " + buf.writerIndex() + " bytes written, starting "
                            + HexFormat.of().formatHex(ByteBufUtil.getBytes(buf, 0, Math.min(buf.writerIndex(), 64))));
                }
            }
            assertThat(leaks).as("buffers not released after the channel closed").isEmpty();
        }
    }
}
