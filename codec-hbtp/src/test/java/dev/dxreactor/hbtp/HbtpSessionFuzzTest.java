package dev.dxreactor.hbtp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole HBTP session played by an attacker against the server pipeline of {@link HbtpServerInitializer}:
 * a server configuration, a HELLO (valid or mangled, with or without a real X25519 key), the key exchange
 * finished on the attacker's side when the server agreed to encryption, then any sequence of frames, sealed
 * properly, in plaintext, with a wrong key or tampered, delivered in chunks whose sizes the fuzzer picks.
 *
 * <p>Every route and the client-event handler record each invocation with the session's state at that
 * moment, and every call or event the attacker sends carries a payload id, so that the invariants below can
 * be checked on the handlers' side rather than inferred from what the server wrote:
 * <ul>
 *   <li>no handler runs before the server has written HELLO_ACK;
 *   <li>once encryption is agreed, a handler sees only payloads the attacker sealed properly: nothing sent in
 *       plaintext, sealed with a wrong key or tampered with, and nothing the attacker's raw bytes made up;
 *   <li>with a pre-shared key the attacker does not know, and with encryption REQUIRED but not agreed, no
 *       handler runs at all;
 *   <li>nothing is thrown out of the pipeline, a connection the server ends is ended with CLOSE (never
 *       INTERNAL_ERROR), every frame after an agreement opens with the agreed key, and every buffer is
 *       released once the channel is closed.
 * </ul>
 *
 * <p>Without {@code JAZZER_FUZZ} the target only replays the inputs under
 * {@code src/test/resources/dev/dxreactor/hbtp/HbtpSessionFuzzTestInputs/session/}.
 *
 * <p>Input layout, for writing seeds by hand: {@link FuzzedDataProvider} hands out byte strings from the
 * front of the input and control values from its end, so a seed is the byte strings in order of use
 * followed by the control bytes in reverse order of use. Every control value here is one byte {@code b},
 * read as {@code min + b % (max - min + 1)}; a boolean is {@code b & 1}. In order of use:
 * <ol>
 *   <li>server: encryption (0..2: OFF, OPTIONAL, REQUIRED), pre-shared key (boolean, forces REQUIRED),
 *       the attacker's pre-shared key (0..2: none, the server's, a wrong one), ZSTD offered (boolean), small
 *       frames (boolean: maxFrameLength 64 instead of 1024);
 *   <li>HELLO: kind (0..8: 0-3 valid, 4 fragmented, 5 extra flags, 6 wrong size, 7 a public key taken from
 *       the front of the input (32 bytes), 8 no HELLO), capabilities (0..255), small frames for the attacker
 *       (boolean: maxFrameLength 64 instead of 65536), a parameter (0..255: where to fragment, which flags,
 *       how many bytes too many or too few);
 *   <li>steps while input remains, each a kind (0..11) and its values: for the frame kinds 0-8 (RPC_CALL,
 *       CLIENT_EVENT, SUBSCRIBE, UNSUBSCRIBE, PING, PONG, CANCEL, CLOSE, HELLO) the sealing (0..7: 0-4 as the
 *       session stands, 5 plaintext, 6 a wrong key, 7 tampered), the shape (0..255: bit 0 COMPRESSED, 1
 *       fragmented, 2 EXPECTS_RESPONSE, 3 a metadata block), a parameter (0..255: fragment size, byte to
 *       flip), the sequence (0..7), for RPC_CALL the route (0..3: inline, async, blocking, none) and for
 *       CLIENT_EVENT whether it has a handler (boolean), then a length (0..255) of bytes taken from the
 *       front to append to the payload; 9 raw bytes (a length, bytes from the front); 10 deliver what was
 *       sent so far; 11 one second passes;
 *   <li>for each delivery, one value per chunk: its size (0..255, 0 = all the rest). Whatever the attacker
 *       sent after the last delivery is delivered at the end.
 * </ol>
 */
class HbtpSessionFuzzTest {

    private static final int INLINE_ROUTE = 1;
    private static final int ASYNC_ROUTE = 2;
    private static final int BLOCKING_ROUTE = 3;
    private static final int[] ROUTES = {INLINE_ROUTE, ASYNC_ROUTE, BLOCKING_ROUTE, 9};
    private static final int RECORDED_EVENT = 1;
    private static final int UNHANDLED_EVENT = 2;
    private static final int TOPIC = 1;
    /** The top half of every payload id; a payload a handler sees without it came from nowhere the attacker meant. */
    private static final int ID_MAGIC = 0x5EA1_0000;

    private static final byte[] SERVER_PSK = "the server's pre-shared key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRONG_PSK = "a guessed pre-shared key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRONG_KEY = new byte[HbtpKeySchedule.KEY_SIZE];

    static {
        Arrays.fill(WRONG_KEY, (byte) 0x42);
    }

    /** How the attacker put a call or event on the wire; only {@link #PROPER} may reach a handler once encrypted. */
    private enum Sealing { PROPER, PLAINTEXT, WRONG_KEY, TAMPERED }

    private static final HbtpOpcode[] FRAME_STEPS = {HbtpOpcode.RPC_CALL, HbtpOpcode.CLIENT_EVENT,
            HbtpOpcode.SUBSCRIBE, HbtpOpcode.UNSUBSCRIBE, HbtpOpcode.PING, HbtpOpcode.PONG, HbtpOpcode.CANCEL,
            HbtpOpcode.CLOSE, HbtpOpcode.HELLO};
    private static final int RAW_STEP = 9;
    private static final int DELIVER_STEP = 10;
    private static final int TIME_STEP = 11;

    @FuzzTest
    void session(FuzzedDataProvider data) throws Exception {
        HbtpDecoderFuzzTest.TrackingAllocator alloc = new HbtpDecoderFuzzTest.TrackingAllocator();
        HbtpEncryptionMode mode = HbtpEncryptionMode.values()[data.consumeInt(0, 2)];
        byte[] serverPsk = data.consumeBoolean() ? SERVER_PSK : null;
        byte[] attackerPsk = switch (data.consumeInt(0, 2)) {
            case 0 -> null;
            case 1 -> serverPsk;
            default -> WRONG_PSK;
        };
        boolean zstd = data.consumeBoolean();
        int maxFrameLength = data.consumeBoolean() ? 64 : 1024;

        Recorder recorder = new Recorder();
        ByteBuf snapshot = Unpooled.wrappedBuffer(new byte[16]);
        HbtpTopics topics = new HbtpTopics(2);
        topics.publish(TOPIC, snapshot);
        HbtpServerConfig.Builder builder = HbtpServerConfig.builder()
                .router(new HbtpRouter()
                        .route(INLINE_ROUTE, call -> {
                            recorder.record("inline route", call.payload());
                            return call.payload().retain();
                        })
                        .routeAsync(ASYNC_ROUTE, call -> {
                            recorder.record("async route", call.payload());
                            return CompletableFuture.completedFuture(call.payload().retainedDuplicate());
                        })
                        .routeBlocking(BLOCKING_ROUTE, call -> {
                            recorder.record("blocking route", call.payload());
                            return call.alloc().buffer().writeBytes(call.payload(), call.payload().readerIndex(),
                                    call.payload().readableBytes());
                        }))
                .onClientEvent(RECORDED_EVENT, (session, event, payload) -> recorder.record("event handler", payload))
                .topics(topics)
                // Blocking routes run on the event loop's own thread, so every input replays the same way.
                .offloadExecutor(Runnable::run)
                .compressionThreshold(zstd ? 64 : 0)
                .maxFrameLength(maxFrameLength)
                .maxMessageLength(4096)
                .maxFragments(8)
                .maxMetadataSize(256)
                .maxInFlight(2)
                .idleTimeout(Duration.ZERO)
                .helloTimeout(Duration.ofSeconds(2))
                .pongTimeout(Duration.ofSeconds(1));
        if (serverPsk != null) {
            builder.encryption(HbtpEncryptionMode.REQUIRED).preSharedKey(serverPsk);
        } else {
            builder.encryption(mode);
        }
        HbtpServerConfig config = builder.build();

        AckWatch ackWatch = new AckWatch();
        EmbeddedChannel channel = EmbeddedChannel.builder().register(false)
                .handlers(ackWatch, new HbtpServerInitializer(config)).build();
        channel.config().setAllocator(alloc);
        channel.register();
        // Only the fuzzer moves the clock: the HELLO and PONG timers fire when an input says so.
        channel.freezeTime();
        recorder.watch(channel, ackWatch);

        Attacker attacker = new Attacker(alloc, channel, attackerPsk, Arrays.equals(attackerPsk, serverPsk));
        attacker.hello(data);
        while (data.remainingBytes() > 0 && channel.isOpen()) {
            int step = data.consumeInt(0, TIME_STEP);
            if (step < FRAME_STEPS.length) {
                attacker.frame(data, FRAME_STEPS[step]);
            } else if (step == RAW_STEP) {
                attacker.pending.writeBytes(data.consumeBytes(data.consumeInt(0, 255)));
            } else if (step == DELIVER_STEP) {
                attacker.deliver(data);
            } else {
                attacker.guard(() -> {
                    channel.advanceTimeBy(1, TimeUnit.SECONDS);
                    channel.runPendingTasks();
                });
                attacker.output.take(channel, attacker);
            }
        }
        attacker.deliver(data);

        boolean serverClosed = !channel.isOpen();
        int strayInbound = channel.inboundMessages().size();
        channel.releaseInbound();
        attacker.guard(channel::finishAndReleaseAll);
        attacker.output.release();

        HbtpHello ack = attacker.output.ack;
        boolean agreed = ack != null && (ack.capabilities() & HbtpCapabilities.ENCRYPTION) != 0;
        List<String> violations = new ArrayList<>(attacker.output.violations);
        for (Invocation invocation : recorder.invocations) {
            if (!invocation.ackWritten()) {
                violations.add(invocation + " before the server wrote HELLO_ACK");
            }
            if (!invocation.sessionOpen()) {
                violations.add(invocation + " without a session on an open connection");
            }
            if (invocation.serverEncrypting() != agreed) {
                violations.add(invocation + " while the server's codec " + (agreed ? "did not open" : "opened")
                        + " frames, though encryption was " + (agreed ? "" : "not ") + "agreed");
            }
            Sealing sealing = attacker.sent.get(invocation.id());
            if (agreed && sealing != Sealing.PROPER) {
                violations.add(invocation + " after encryption was agreed, for a payload sent "
                        + (sealing == null ? "by no call or event of the attacker" : sealing.toString()));
            }
        }
        if (serverPsk != null && !attacker.keysRight && !recorder.invocations.isEmpty()) {
            violations.add("handlers ran for an attacker without the pre-shared key: " + recorder.invocations);
        }
        if (config.encryption() == HbtpEncryptionMode.REQUIRED && !agreed && !recorder.invocations.isEmpty()) {
            violations.add("handlers ran without encryption, which the server requires: " + recorder.invocations);
        }
        if (config.encryption() == HbtpEncryptionMode.OFF && agreed) {
            violations.add("encryption agreed by a server that has it OFF");
        }
        if (attacker.helloRefused && ack != null) {
            violations.add("the server acknowledged a malformed HELLO with " + ack);
        }
        if (serverClosed && !attacker.output.closeSeen) {
            violations.add("the server closed the connection without sending CLOSE");
        }
        for (Throwable escaped : attacker.escaped) {
            violations.add("thrown out of the pipeline: " + escaped);
        }

        assertThat(violations).as("session invariants").isEmpty();
        assertThat(strayInbound).as("messages the session passed on instead of consuming").isZero();
        alloc.assertAllReleased();
        assertThat(snapshot.refCnt()).as("topic snapshot, held once by the topic").isOne();
    }

    // ---- the attacker ------------------------------------------------------------------------------------

    /** Builds what it sends into {@link #pending}, and hands it to the server in fuzzed chunks on delivery. */
    private static final class Attacker {
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        final Map<Integer, Sealing> sent = new HashMap<>();
        final List<Throwable> escaped = new ArrayList<>();
        final ServerOutput output = new ServerOutput();
        /** Whether the attacker's pre-shared key, or its absence, is the server's. */
        final boolean keysRight;
        /** A HELLO the server must refuse was sent. */
        boolean helloRefused;

        private final ByteBufAllocator alloc;
        private final EmbeddedChannel channel;
        private final byte[] psk;
        private HbtpKeyExchange exchange;
        /** The HELLO as sent, when the attacker can finish a key exchange for it. */
        private HbtpHello hello;
        private HbtpFrameCipher sealer;
        private final HbtpFrameCipher wrongSealer = new HbtpFrameCipher(WRONG_KEY);
        private int nextId;

        Attacker(ByteBufAllocator alloc, EmbeddedChannel channel, byte[] psk, boolean keysRight) {
            this.alloc = alloc;
            this.channel = channel;
            this.psk = psk;
            this.keysRight = keysRight;
        }

        void hello(FuzzedDataProvider data) {
            int kind = data.consumeInt(0, 8);
            int capabilities = data.consumeInt(0, 255);
            long maxFrame = data.consumeBoolean() ? 64 : 65536;
            int param = data.consumeInt(0, 255);
            if (kind == 8) {
                return;
            }
            boolean encryption = (capabilities & HbtpCapabilities.ENCRYPTION) != 0;
            byte[] publicKey = null;
            if (kind == 7 && encryption) {
                publicKey = Arrays.copyOf(data.consumeBytes(HbtpKeyExchange.PUBLIC_KEY_SIZE),
                        HbtpKeyExchange.PUBLIC_KEY_SIZE);
            } else if (encryption) {
                exchange = HbtpKeyExchange.start();
                publicKey = exchange.publicKey();
            }
            HbtpHello sent = new HbtpHello(HbtpHello.VERSION, capabilities, maxFrame, 1 << 20, publicKey);
            byte[] body = sent.body();
            helloRefused = kind >= 4 && kind <= 6;
            hello = kind < 4 ? sent : null;
            ByteBuf wire = alloc.buffer();
            switch (kind) {
                case 4 -> HbtpWire.writeMessage(wire, HbtpOpcode.HELLO, 0, 0, Unpooled.wrappedBuffer(body),
                        1 + param % (body.length - 1));
                case 5 -> {
                    int extra = param & ~HbtpFlags.FINAL;
                    HbtpHeader.write(wire, HbtpOpcode.HELLO.code(), HbtpFlags.FINAL
                            | (extra != 0 ? extra : HbtpFlags.EXPECTS_RESPONSE), 0, body.length);
                    wire.writeBytes(body);
                }
                case 6 -> {
                    // Up to 16 bytes short or long: a key cut off, or one where none belongs.
                    int delta = (param & 0x0F) + 1;
                    int length = (param & 0x10) != 0 ? body.length + delta : body.length - delta;
                    HbtpHeader.write(wire, HbtpOpcode.HELLO.code(), HbtpFlags.FINAL, 0, length);
                    wire.writeBytes(Arrays.copyOf(body, length));
                }
                default -> HbtpWire.writeMessage(wire, HbtpOpcode.HELLO, 0, 0, Unpooled.wrappedBuffer(body),
                        1 << 20);
            }
            take(wire);
        }

        /** Once the server's HELLO_ACK is read: the keys, when the attacker offered a key of its own. */
        void onAck(HbtpHello ack) {
            if (hello == null || exchange == null || (ack.capabilities() & HbtpCapabilities.ENCRYPTION) == 0) {
                return;
            }
            HbtpSessionKeys keys = exchange.finish(true, hello, ack, psk);
            sealer = keys.newSealer();
            if (keysRight) {
                output.opener = keys.newOpener();
            }
        }

        void frame(FuzzedDataProvider data, HbtpOpcode opcode) {
            int sealingChoice = data.consumeInt(0, 7);
            int shape = data.consumeInt(0, 255);
            int param = data.consumeInt(0, 255);
            int sequence = data.consumeInt(0, 7);
            int flags = (shape & 4) != 0 ? HbtpFlags.EXPECTS_RESPONSE : 0;

            ByteBuf body = alloc.buffer();
            Integer id = null;
            switch (opcode) {
                case RPC_CALL -> {
                    int route = ROUTES[data.consumeInt(0, 3)];
                    if ((shape & 8) != 0) {
                        HbtpMetadata.builder().put(HbtpMetadata.TRACE_ID, "t").build().write(body);
                        flags |= HbtpFlags.METADATA;
                    }
                    id = nextId++;
                    body.writeShortLE(route).writeInt(ID_MAGIC | id);
                }
                case CLIENT_EVENT -> {
                    id = nextId++;
                    body.writeShortLE(data.consumeBoolean() ? RECORDED_EVENT : UNHANDLED_EVENT).writeInt(ID_MAGIC | id);
                }
                case SUBSCRIBE -> body.writeShortLE(TOPIC).writeLongLE(0);
                case UNSUBSCRIBE -> body.writeShortLE(TOPIC);
                case CLOSE -> body.writeShortLE(HbtpCloseCode.NORMAL);
                case HELLO -> body.writeBytes(new HbtpHello(HbtpHello.VERSION, 0, 65536, 1 << 20).body());
                default -> {
                    // PING, PONG and CANCEL carry only what the fuzzer appends.
                }
            }
            body.writeBytes(data.consumeBytes(data.consumeInt(0, 255)));

            ByteBuf message = body;
            if ((shape & 1) != 0) {
                flags |= HbtpFlags.COMPRESSED;
                // A body zstd cannot shrink goes as it is, COMPRESSED still set: a corrupt zstd frame.
                ByteBuf compressed = HbtpCompression.compress(alloc, body, 0);
                if (compressed != null) {
                    body.release();
                    message = compressed;
                }
            }
            ByteBuf plain = alloc.buffer();
            HbtpWire.writeMessage(plain, opcode, flags, sequence, message,
                    (shape & 2) != 0 ? 1 + param % 32 : 1 << 20);
            message.release();

            Sealing sealing;
            ByteBuf wire;
            if (sealingChoice == 5 || (sealingChoice < 5 && sealer == null)) {
                sealing = Sealing.PLAINTEXT;
                wire = plain;
            } else if (sealingChoice < 5) {
                sealing = keysRight ? Sealing.PROPER : Sealing.WRONG_KEY;
                wire = seal(plain, sealer);
            } else if (sealingChoice == 6) {
                sealing = Sealing.WRONG_KEY;
                wire = seal(plain, wrongSealer);
            } else {
                sealing = Sealing.TAMPERED;
                wire = seal(plain, sealer != null ? sealer : wrongSealer);
                int at = param % wire.readableBytes();
                wire.setByte(at, wire.getByte(at) ^ 1);
            }
            if (id != null) {
                sent.put(id, sealing);
            }
            take(wire);
        }

        /** Each frame of {@code plain} (released here) sealed by {@code cipher}, in order. */
        private ByteBuf seal(ByteBuf plain, HbtpFrameCipher cipher) {
            ByteBuf out = alloc.buffer();
            try {
                while (plain.isReadable()) {
                    int at = plain.readerIndex();
                    int length = (int) HbtpHeader.length(plain, at);
                    cipher.sealInto(out, HbtpHeader.opcode(plain, at), HbtpHeader.flags(plain, at),
                            HbtpHeader.sequence(plain, at), plain, at + HbtpHeader.SIZE, length);
                    plain.skipBytes(HbtpHeader.SIZE + length);
                }
            } finally {
                plain.release();
            }
            return out;
        }

        private void take(ByteBuf wire) {
            try {
                pending.writeBytes(ByteBufUtil.getBytes(wire));
            } finally {
                wire.release();
            }
        }

        /** Everything sent since the last delivery, in chunks of fuzzed sizes, reading the answers after each. */
        void deliver(FuzzedDataProvider data) {
            byte[] bytes = pending.toByteArray();
            pending.reset();
            for (int at = 0; at < bytes.length && channel.isOpen(); ) {
                int size = data.consumeInt(0, 255);
                int length = size == 0 ? bytes.length - at : Math.min(size, bytes.length - at);
                ByteBuf chunk = alloc.buffer(length).writeBytes(bytes, at, length);
                at += length;
                guard(() -> channel.writeInbound(chunk));
                output.take(channel, this);
            }
        }

        /** Runs one step; whatever is thrown out of the pipeline is kept as a finding. */
        void guard(Runnable step) {
            try {
                step.run();
                channel.checkException();
            } catch (Throwable t) {
                escaped.add(t);
            }
        }
    }

    // ---- what the server wrote -----------------------------------------------------------------------------

    /**
     * The server's output, read frame by frame from the headers (which are plaintext even when sealed): the
     * first frame is HELLO_ACK or CLOSE, and once the attacker holds the right keys every sealed frame opens.
     */
    private static final class ServerOutput {
        final List<String> violations = new ArrayList<>();
        HbtpHello ack;
        boolean closeSeen;
        HbtpFrameCipher opener;
        private final ByteBuf bytes = Unpooled.buffer();
        private int frames;

        void take(EmbeddedChannel channel, Attacker attacker) {
            for (Object msg; (msg = channel.readOutbound()) != null; ) {
                try {
                    if (msg instanceof ByteBuf buf) {
                        bytes.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
                    } else {
                        violations.add("the server wrote a " + msg.getClass().getName());
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }
            while (bytes.readableBytes() >= HbtpHeader.SIZE) {
                int at = bytes.readerIndex();
                long length = HbtpHeader.length(bytes, at);
                if (bytes.readableBytes() - HbtpHeader.SIZE < length) {
                    return;
                }
                int code = HbtpHeader.opcode(bytes, at);
                int flags = HbtpHeader.flags(bytes, at);
                int sequence = HbtpHeader.sequence(bytes, at);
                bytes.skipBytes(HbtpHeader.SIZE);
                ByteBuf payload = bytes.readSlice((int) length);
                frame(HbtpOpcode.of(code), code, flags, sequence, payload, attacker);
                bytes.discardReadBytes();
            }
        }

        private void frame(HbtpOpcode opcode, int code, int flags, int sequence, ByteBuf payload, Attacker attacker) {
            if (frames++ == 0 && opcode != HbtpOpcode.HELLO_ACK && opcode != HbtpOpcode.CLOSE) {
                violations.add("the server's first frame is 0x" + Integer.toHexString(code) + ", not HELLO_ACK or CLOSE");
            }
            if (closeSeen) {
                violations.add("the server wrote 0x" + Integer.toHexString(code) + " after CLOSE");
            }
            if (opcode == HbtpOpcode.HELLO_ACK) {
                if (ack != null || flags != HbtpFlags.FINAL) {
                    violations.add("a second or flagged HELLO_ACK: " + HbtpFlags.toString(flags));
                    return;
                }
                try {
                    ack = HbtpHello.read(payload);
                } catch (HbtpProtocolException e) {
                    violations.add("the server's HELLO_ACK does not read: " + e.getMessage());
                    return;
                }
                attacker.onAck(ack);
                return;
            }
            ByteBuf plain = payload;
            if ((flags & HbtpFlags.ENCRYPTED) != 0) {
                if (opener == null) {
                    // The attacker cannot read it; only the header says what it is.
                    closeSeen |= opcode == HbtpOpcode.CLOSE;
                    return;
                }
                try {
                    plain = opener.open(attacker.alloc, code, flags, sequence, payload);
                } catch (HbtpProtocolException e) {
                    violations.add("a server frame 0x" + Integer.toHexString(code) + " does not open with the agreed key");
                    return;
                }
            } else if (opener != null) {
                violations.add("the server sent 0x" + Integer.toHexString(code) + " in plaintext after agreeing to encryption");
            }
            try {
                if (opcode == HbtpOpcode.CLOSE) {
                    closeSeen = true;
                    if (plain.readableBytes() >= 2
                            && plain.getUnsignedShortLE(plain.readerIndex()) == HbtpCloseCode.INTERNAL_ERROR) {
                        violations.add("the server closed with INTERNAL_ERROR: " + plain.toString(StandardCharsets.UTF_8));
                    }
                }
            } finally {
                if (plain != payload) {
                    plain.release();
                }
            }
        }

        void release() {
            bytes.release();
        }
    }

    // ---- the server's side -----------------------------------------------------------------------------------

    /** Sits at the head of the pipeline, where bytes leave for the wire, and notes when HELLO_ACK goes out. */
    private static final class AckWatch extends ChannelOutboundHandlerAdapter {
        boolean ackWritten;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof ByteBuf buf && buf.readableBytes() >= HbtpHeader.SIZE
                    && HbtpHeader.opcode(buf, buf.readerIndex()) == HbtpOpcode.HELLO_ACK.code()) {
                ackWritten = true;
            }
            super.write(ctx, msg, promise);
        }
    }

    /** One handler invocation and the session as it stood then. */
    private record Invocation(String handler, Integer id, boolean ackWritten, boolean serverEncrypting,
                              boolean sessionOpen) {
    }

    /** What every route and the event handler call, with the payload they were given. */
    private static final class Recorder {
        final List<Invocation> invocations = new ArrayList<>();
        private EmbeddedChannel channel;
        private AckWatch ackWatch;

        void watch(EmbeddedChannel channel, AckWatch ackWatch) {
            this.channel = channel;
            this.ackWatch = ackWatch;
        }

        void record(String handler, ByteBuf payload) {
            Integer id = null;
            if (payload.readableBytes() >= 4 && (payload.getInt(payload.readerIndex()) & 0xFFFF_0000) == ID_MAGIC) {
                id = payload.getInt(payload.readerIndex()) & 0xFFFF;
            }
            HbtpFrameCodec codec = channel.pipeline().get(HbtpFrameCodec.class);
            HbtpServerSession session = HbtpServerSession.of(channel);
            invocations.add(new Invocation(handler, id, ackWatch.ackWritten, codec != null && codec.isEncrypting(),
                    session != null && session.isOpen()));
        }
    }
}
