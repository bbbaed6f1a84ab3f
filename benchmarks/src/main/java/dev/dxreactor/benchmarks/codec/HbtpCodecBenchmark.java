package dev.dxreactor.benchmarks.codec;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.hbtp.HbtpCapabilities;
import dev.dxreactor.hbtp.HbtpCompression;
import dev.dxreactor.hbtp.HbtpFlags;
import dev.dxreactor.hbtp.HbtpFrame;
import dev.dxreactor.hbtp.HbtpFrameCodec;
import dev.dxreactor.hbtp.HbtpHeader;
import dev.dxreactor.hbtp.HbtpHello;
import dev.dxreactor.hbtp.HbtpKeyExchange;
import dev.dxreactor.hbtp.HbtpOpcode;
import dev.dxreactor.hbtp.HbtpSessionKeys;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * HBTP frame codec against plain Netty length-field framing over the same bytes, and what zstd compression
 * and ChaCha20-Poly1305 encryption add to the plain HBTP codec.
 *
 * <p>Every side runs inside an {@link EmbeddedChannel}, so each pays the same pipeline costs a real channel
 * pays, and only the handlers differ. One operation is one frame: every invocation handles
 * {@link #FRAMES} frames so that the per-call channel overhead is spread thin, and JMH divides by it. The
 * body of every frame is the same {@link #jsonPayload JSON text}: framing and the cipher never look at the
 * bytes, zstd does, and a body that compresses like a real response keeps its figures honest.
 *
 * <ul>
 *   <li>decode: {@link #FRAMES} frames of {@code payloadSize} bytes, encoded once into one direct buffer,
 *       enter the channel as a single read (a retained duplicate, so the bytes are never rewritten). HBTP
 *       validates each header and emits an {@link HbtpFrame} holding a retained slice of the payload; the
 *       baseline {@link LengthFieldBasedFrameDecoder} reads the length at offset 4 and emits a retained
 *       slice of the whole frame, header included, without looking at the other header fields.
 *   <li>encode: {@link #FRAMES} writes and one flush. HBTP is handed a new {@link HbtpFrame} per write
 *       (its allocation counts) and writes header and payload into one buffer of exact size; the baseline
 *       {@link RawFrameEncoder} is handed the payload buffer itself and writes the same 8-byte header and
 *       payload into one buffer of exact size.
 * </ul>
 *
 * <p>The compressed and encrypted variants are compared with the plain HBTP codec on the same body, not
 * with a Netty baseline: the question they answer is what turning the feature on costs per frame, and a
 * baseline calling the same zstd and JDK cipher would only add a second copy of those costs.
 *
 * <ul>
 *   <li>compressed encode: per write, {@link HbtpCompression#compress} with the servers' default
 *       threshold ({@value HbtpCompression#DEFAULT_THRESHOLD} B), then the codec frames the zstd body with
 *       COMPRESSED set, or the body itself when compress declines. That is a server's work per response
 *       ({@code ResponseBuffer} copies the zstd body into its burst buffer where this copies it into the
 *       frame's buffer). A body under the threshold is not compressed: at 64 B the figure is the threshold
 *       check and plain framing, which is what a server with default settings does.
 *   <li>compressed encode, threshold 1: the same with a compression attempt on every body, which shows
 *       what the threshold saves on small bodies. At 64 B zstd's own frame overhead leaves nothing to gain
 *       on this body, so the attempt is thrown away and the body sent plain (the results file gives the
 *       sizes). From the threshold up it does what the previous one does.
 *   <li>compressed decode: the bytes compressed encode writes, encoded once, enter as one read; each
 *       frame the codec emits with COMPRESSED set is decompressed (bounded by the default maximum message
 *       length, as the session handlers bound it) into a new {@link HbtpFrame} with the flag cleared, as
 *       the session handlers do after the codec, and the compressed frame is released.
 *   <li>encrypted encode: as plain encode, on a codec after {@link HbtpFrameCodec#startEncryption} with a
 *       client's keys: each frame is sealed into one buffer of exact size (header with ENCRYPTED,
 *       ciphertext, 16-byte tag).
 *   <li>encrypted decode: the nonce is each direction's frame counter, so a sealed frame opens once, on a
 *       decoder that has opened exactly the frames sealed before it; replaying one stream, as plain decode
 *       does, fails on its second read. Instead, trial set-up seals a ring of many invocations' worth of
 *       frames (at least {@link #ENCRYPTED_RING_BYTES} bytes and {@link #MIN_ENCRYPTED_CHUNKS} reads) with
 *       the client's keys, and each invocation hands the next {@link #FRAMES} frames as one read to a
 *       codec with the matching server keys: a real pair, client seals, server opens. When the ring is
 *       used up, the invocation replaces the server's channel with a new one whose counter starts at 0
 *       again; that is timed, but it happens once per ring and takes microseconds, against the ten
 *       milliseconds and more that opening a ring takes. Sealing in the measured call would time the
 *       sealer as well, and JMH's per-invocation set-up would add two timestamps and a set-up call to
 *       every {@link #FRAMES} frames. The ring's bytes come from further down the cache hierarchy than the
 *       stream plain decode re-reads; the cipher reads them in order, at a small fraction of memory
 *       bandwidth.
 * </ul>
 *
 * Every output is handed to a {@link Blackhole} and released; the frame count is checked on every
 * invocation, and before anything is measured each fork checks plain HBTP, the baseline and the variant it
 * measures once: every decoder returns the stream's frames with the original body, and every encoder
 * writes exactly the expected bytes (zstd at a fixed level and ChaCha20-Poly1305 under fixed keys and
 * counters are deterministic).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(HbtpCodecBenchmark.FRAMES)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {HbtpCodecBenchmark.NATIVE_ACCESS, HbtpCodecBenchmark.NO_LEAK_DETECTION})
public class HbtpCodecBenchmark {

    /** Frames per invocation: one read of this many frames, or this many writes and one flush. */
    public static final int FRAMES = 64;

    /** The flag every test JVM of the build runs with (parent pom), so the same Netty code paths load. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Tests track every buffer; a benchmark would measure the tracking, so it is off. */
    public static final String NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";

    /** The threshold of the attempt-every-body variant: every body is at least one byte. */
    static final int NO_THRESHOLD = 1;
    /** Bytes of sealed frames prepared per trial for encrypted decode, so that a ring lasts milliseconds. */
    static final int ENCRYPTED_RING_BYTES = 4 << 20;
    /** Reads per ring at least, so that the ring of large frames still spreads the decoder's replacement. */
    static final int MIN_ENCRYPTED_CHUNKS = 16;
    /** The Poly1305 tag behind every sealed payload (the codec's own constant is not public). */
    static final int ENCRYPTION_TAG = 16;

    static final HbtpOpcode OPCODE = HbtpOpcode.RPC_CALL;
    static final int FLAGS = HbtpFlags.FINAL;
    /** Any fixed seed: every fork, and the report, make the same body. */
    private static final long PAYLOAD_SEED = 0x4842_5450L;

    @Param({"64", "1024", "16384"})
    public int payloadSize;

    private ByteBuf payload;
    private ByteBuf stream;
    private ByteBuf compressedStream;
    private ByteBuf encryptedRing;
    private int encryptedChunks;
    private int nextEncryptedChunk;
    private HbtpSessionKeys serverKeys;
    private EmbeddedChannel hbtp;
    private EmbeddedChannel baseline;
    private EmbeddedChannel sealing;
    private EmbeddedChannel opening;

    /**
     * Builds and checks the plain and baseline sides, which are cheap, and the compressed or encrypted side
     * only in the fork of a benchmark that uses it: each fork runs one benchmark, and zstd and the cipher
     * run through thousands of frames here, which would leave a plain fork with a JIT queue and profiles
     * of shared code that the plain benchmarks do not make.
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        ForkEnvironment.recordIfRequested();
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        payload = jsonPayload(alloc, payloadSize);
        stream = encodeStream(alloc, payload, FRAMES);
        hbtp = new EmbeddedChannel(new HbtpFrameCodec());
        baseline = new EmbeddedChannel(newBaselineDecoder(), new RawFrameEncoder(OPCODE.code(), FLAGS));
        verify();

        if (method.startsWith("hbtpCompressed")) {
            compressedStream = compressedStream(alloc, payload, HbtpCompression.DEFAULT_THRESHOLD, FRAMES);
            verifyCompressed();
        } else if (method.startsWith("hbtpEncrypted")) {
            HbtpKeyExchange client = HbtpKeyExchange.start();
            HbtpKeyExchange server = HbtpKeyExchange.start();
            HbtpHello hello = new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.ENCRYPTION,
                    HbtpFrameCodec.DEFAULT_MAX_FRAME_LENGTH, HbtpFrameCodec.DEFAULT_MAX_MESSAGE_LENGTH, client.publicKey());
            HbtpHello helloAck = new HbtpHello(HbtpHello.VERSION, HbtpCapabilities.ENCRYPTION,
                    HbtpFrameCodec.DEFAULT_MAX_FRAME_LENGTH, HbtpFrameCodec.DEFAULT_MAX_MESSAGE_LENGTH, server.publicKey());
            HbtpSessionKeys clientKeys = client.finish(true, hello, helloAck, null);
            serverKeys = server.finish(false, hello, helloAck, null);
            sealing = encryptingChannel(clientKeys);
            opening = encryptingChannel(serverKeys);
            // Encrypted encode only needs the bytes of one read to compare with.
            int chunkBytes = FRAMES * encryptedFrameLength();
            encryptedChunks = !method.equals("hbtpEncryptedDecode") ? 1
                    : Math.max(MIN_ENCRYPTED_CHUNKS, (ENCRYPTED_RING_BYTES + chunkBytes - 1) / chunkBytes);
            encryptedRing = sealRing(alloc, clientKeys);
            verifyEncrypted();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        boolean leftovers = false;
        for (EmbeddedChannel ch : new EmbeddedChannel[] {hbtp, baseline, sealing, opening}) {
            leftovers |= ch != null && ch.finishAndReleaseAll();
        }
        StringBuilder refs = new StringBuilder();
        boolean held = false;
        for (ByteBuf buf : new ByteBuf[] {payload, stream, compressedStream, encryptedRing}) {
            refs.append(' ').append(buf == null ? "-" : buf.refCnt());
            if (buf != null) {
                held |= buf.refCnt() != 1;
                buf.release();
            }
        }
        if (leftovers || held) {
            throw new IllegalStateException("buffers left behind: leftovers=" + leftovers
                    + ", refCnt of payload, stream, compressed stream, encrypted ring:" + refs);
        }
    }

    @Benchmark
    public void hbtpDecode(Blackhole bh) {
        decodeAll(hbtp, stream.retainedDuplicate(), bh);
    }

    @Benchmark
    public void baselineDecode(Blackhole bh) {
        decodeAll(baseline, stream.retainedDuplicate(), bh);
    }

    @Benchmark
    public void hbtpEncode(Blackhole bh) {
        EmbeddedChannel ch = hbtp;
        for (int i = 0; i < FRAMES; i++) {
            ch.write(new HbtpFrame(OPCODE, FLAGS, i, payload.retain()), ch.voidPromise());
        }
        ch.flushOutbound();
        drainOutbound(ch, bh);
    }

    @Benchmark
    public void baselineEncode(Blackhole bh) {
        EmbeddedChannel ch = baseline;
        for (int i = 0; i < FRAMES; i++) {
            ch.write(payload.retain(), ch.voidPromise());
        }
        ch.flushOutbound();
        drainOutbound(ch, bh);
    }

    @Benchmark
    public void hbtpCompressedDecode(Blackhole bh) {
        EmbeddedChannel ch = hbtp;
        ch.writeInbound(compressedStream.retainedDuplicate());
        int frames = 0;
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            HbtpFrame frame = inflate(ch.alloc(), (HbtpFrame) msg);
            bh.consume(frame);
            frame.release();
            frames++;
        }
        checkCount(frames);
    }

    @Benchmark
    public void hbtpCompressedEncode(Blackhole bh) {
        writeCompressed(hbtp, HbtpCompression.DEFAULT_THRESHOLD);
        drainOutbound(hbtp, bh);
    }

    @Benchmark
    public void hbtpCompressedEncodeNoThreshold(Blackhole bh) {
        writeCompressed(hbtp, NO_THRESHOLD);
        drainOutbound(hbtp, bh);
    }

    @Benchmark
    public void hbtpEncryptedDecode(Blackhole bh) {
        if (nextEncryptedChunk == encryptedChunks) {
            // The server's counter has passed the ring's last frame; a new codec counts from 0 again.
            if (opening.finishAndReleaseAll()) {
                throw new IllegalStateException("the encrypted decoder left messages behind");
            }
            opening = encryptingChannel(serverKeys);
            nextEncryptedChunk = 0;
        }
        int chunkBytes = FRAMES * encryptedFrameLength();
        decodeAll(opening, encryptedRing.retainedSlice(nextEncryptedChunk++ * chunkBytes, chunkBytes), bh);
    }

    @Benchmark
    public void hbtpEncryptedEncode(Blackhole bh) {
        EmbeddedChannel ch = sealing;
        for (int i = 0; i < FRAMES; i++) {
            ch.write(new HbtpFrame(OPCODE, FLAGS, i, payload.retain()), ch.voidPromise());
        }
        ch.flushOutbound();
        drainOutbound(ch, bh);
    }

    /**
     * The baseline decoder over HBTP's header layout: u32 little-endian length at offset 4 counting the
     * payload only, so a frame is length + 8 bytes; nothing stripped, so the slice includes the header.
     */
    static LengthFieldBasedFrameDecoder newBaselineDecoder() {
        return new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, Integer.MAX_VALUE,
                HbtpHeader.LENGTH_OFFSET, 4, 0, 0, true);
    }

    /**
     * {@code size} bytes of US-ASCII JSON: an array of user records (numeric id, name, e-mail, a boolean, a
     * balance, a role, a timestamp) drawn from a fixed seed and cut off at {@code size}. The field names and
     * the shape repeat from record to record and the values mostly do not, as in a typical API response;
     * a byte pattern with a short period would let zstd shrink it far more than real bodies shrink.
     */
    static ByteBuf jsonPayload(ByteBufAllocator alloc, int size) {
        String[] names = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"};
        String[] roles = {"reader", "writer", "admin", "auditor"};
        SplittableRandom random = new SplittableRandom(PAYLOAD_SEED);
        StringBuilder json = new StringBuilder(size + 256).append('[');
        while (json.length() < size) {
            int id = random.nextInt(1_000_000);
            String name = names[random.nextInt(names.length)];
            json.append("{\"id\":").append(id)
                    .append(",\"name\":\"").append(name).append(' ').append((char) ('A' + random.nextInt(26)))
                    .append(".\",\"email\":\"").append(name).append(id).append("@example.com\"")
                    .append(",\"active\":").append(random.nextBoolean())
                    .append(",\"balance\":").append(random.nextInt(100_000)).append('.')
                    .append(random.nextInt(10)).append(random.nextInt(10))
                    .append(",\"roles\":[\"").append(roles[random.nextInt(roles.length)]).append("\"]")
                    .append(",\"updated\":\"2026-").append(twoDigits(1 + random.nextInt(12))).append('-')
                    .append(twoDigits(1 + random.nextInt(28))).append('T').append(twoDigits(random.nextInt(24)))
                    .append(':').append(twoDigits(random.nextInt(60))).append(':')
                    .append(twoDigits(random.nextInt(60))).append("Z\"},");
        }
        byte[] bytes = json.substring(0, size).getBytes(StandardCharsets.US_ASCII);
        return alloc.directBuffer(size).writeBytes(bytes);
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : String.valueOf(value);
    }

    /** {@code frames} frames carrying {@code payload}, sequence 0, 1, 2, ..., as one buffer. */
    static ByteBuf encodeStream(ByteBufAllocator alloc, ByteBuf payload, int frames) {
        return encodeStream(alloc, payload, FLAGS, frames);
    }

    private static ByteBuf encodeStream(ByteBufAllocator alloc, ByteBuf payload, int flags, int frames) {
        int length = payload.readableBytes();
        ByteBuf out = alloc.directBuffer(frames * (HbtpHeader.SIZE + length));
        for (int i = 0; i < frames; i++) {
            HbtpHeader.write(out, OPCODE.code(), flags, i & HbtpHeader.MAX_SEQUENCE, length);
            out.writeBytes(payload, payload.readerIndex(), length);
        }
        return out;
    }

    /**
     * What compressed encode writes for {@code frames} frames of {@code payload} at {@code threshold}:
     * COMPRESSED frames of the zstd body, or plain frames when {@link HbtpCompression#compress} declines.
     */
    private static ByteBuf compressedStream(ByteBufAllocator alloc, ByteBuf payload, int threshold, int frames) {
        ByteBuf body = HbtpCompression.compress(alloc, payload, threshold);
        if (body == null) {
            return encodeStream(alloc, payload, FLAGS, frames);
        }
        try {
            return encodeStream(alloc, body, FLAGS | HbtpFlags.COMPRESSED, frames);
        } finally {
            body.release();
        }
    }

    private int encryptedFrameLength() {
        return HbtpHeader.SIZE + payloadSize + ENCRYPTION_TAG;
    }

    private static EmbeddedChannel encryptingChannel(HbtpSessionKeys keys) {
        HbtpFrameCodec codec = new HbtpFrameCodec();
        EmbeddedChannel ch = new EmbeddedChannel(codec);
        codec.startEncryption(keys);
        return ch;
    }

    /**
     * {@link #encryptedChunks} copies of the plain stream sealed in order under {@code clientKeys} by a
     * codec of its own, so that the benchmark's sealer still starts at counter 0 for {@link #verify}.
     */
    private ByteBuf sealRing(ByteBufAllocator alloc, HbtpSessionKeys clientKeys) {
        EmbeddedChannel sealer = encryptingChannel(clientKeys);
        int chunkBytes = FRAMES * encryptedFrameLength();
        ByteBuf ring = alloc.directBuffer(encryptedChunks * chunkBytes);
        try {
            for (int c = 0; c < encryptedChunks; c++) {
                sealer.writeOutbound(stream.retainedDuplicate());
                ByteBuf sealed = sealer.readOutbound();
                try {
                    if (sealed.readableBytes() != chunkBytes) {
                        throw new IllegalStateException("sealing the stream gave " + sealed.readableBytes()
                                + " bytes, expected " + chunkBytes);
                    }
                    ring.writeBytes(sealed);
                } finally {
                    sealed.release();
                }
            }
            return ring;
        } catch (RuntimeException e) {
            ring.release();
            throw e;
        } finally {
            sealer.finishAndReleaseAll();
        }
    }

    /**
     * The frame the session handlers go on with: a COMPRESSED frame's body decompressed, the flag
     * cleared, and {@code frame} released; any other frame as it is.
     */
    private static HbtpFrame inflate(ByteBufAllocator alloc, HbtpFrame frame) {
        if (!frame.hasFlag(HbtpFlags.COMPRESSED)) {
            return frame;
        }
        try {
            ByteBuf body = HbtpCompression.decompress(alloc, frame.payload(),
                    HbtpFrameCodec.DEFAULT_MAX_MESSAGE_LENGTH);
            return new HbtpFrame(frame.opcode(), frame.flags() & ~HbtpFlags.COMPRESSED, frame.sequence(), body);
        } finally {
            frame.release();
        }
    }

    /** {@link #FRAMES} bodies compressed at {@code threshold} when that pays, written, and one flush. */
    private void writeCompressed(EmbeddedChannel ch, int threshold) {
        for (int i = 0; i < FRAMES; i++) {
            ByteBuf body = HbtpCompression.compress(ch.alloc(), payload, threshold);
            HbtpFrame frame = body == null
                    ? new HbtpFrame(OPCODE, FLAGS, i, payload.retain())
                    : new HbtpFrame(OPCODE, FLAGS | HbtpFlags.COMPRESSED, i, body);
            ch.write(frame, ch.voidPromise());
        }
        ch.flushOutbound();
    }

    private static void decodeAll(EmbeddedChannel ch, ByteBuf input, Blackhole bh) {
        ch.writeInbound(input);
        int frames = 0;
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            bh.consume(msg);
            ReferenceCountUtil.release(msg);
            frames++;
        }
        checkCount(frames);
    }

    private static void drainOutbound(EmbeddedChannel ch, Blackhole bh) {
        int frames = 0;
        Object msg;
        while ((msg = ch.readOutbound()) != null) {
            bh.consume(msg);
            ReferenceCountUtil.release(msg);
            frames++;
        }
        checkCount(frames);
    }

    private static void checkCount(int frames) {
        if (frames != FRAMES) {
            throw new IllegalStateException(frames + " frames instead of " + FRAMES);
        }
    }

    /**
     * Checks, before anything is timed, that plain HBTP and the baseline decode the stream's frames and
     * encode exactly the stream's bytes ({@link #verifyCompressed} and {@link #verifyEncrypted} do the same
     * for the variants): a benchmark that does not check its answers can be fast for the wrong reason.
     */
    private void verify() {
        List<Object> decoded = new ArrayList<>();
        try {
            hbtp.writeInbound(stream.retainedDuplicate());
            drainInto(hbtp, true, decoded);
            checkFrames("hbtp", decoded);

            baseline.writeInbound(stream.retainedDuplicate());
            drainInto(baseline, true, decoded);
            int frameLength = HbtpHeader.SIZE + payloadSize;
            for (int i = 0; i < FRAMES; i++) {
                ByteBuf frame = (ByteBuf) decoded.get(i);
                if (frame.readableBytes() != frameLength
                        || !ByteBufUtil.equals(frame, 0, stream, i * frameLength, frameLength)) {
                    throw new IllegalStateException("baseline decoded " + frame + " as frame " + i);
                }
            }
            release(decoded);

            for (int i = 0; i < FRAMES; i++) {
                hbtp.write(new HbtpFrame(OPCODE, FLAGS, i, payload.retain()), hbtp.voidPromise());
            }
            hbtp.flushOutbound();
            checkWire("hbtp", hbtp, stream, decoded);

            // A fresh encoder, so that its sequence counter starts at 0 like the stream's.
            EmbeddedChannel fresh = new EmbeddedChannel(new RawFrameEncoder(OPCODE.code(), FLAGS));
            try {
                for (int i = 0; i < FRAMES; i++) {
                    fresh.write(payload.retain(), fresh.voidPromise());
                }
                fresh.flushOutbound();
                checkWire("baseline", fresh, stream, decoded);
            } finally {
                fresh.finishAndReleaseAll();
            }
        } finally {
            release(decoded);
        }
    }

    /** {@link #verify} for compressed decode and both compressed encodes. */
    private void verifyCompressed() {
        List<Object> scratch = new ArrayList<>();
        ByteBuf attempted = compressedStream(ByteBufAllocator.DEFAULT, payload, NO_THRESHOLD, FRAMES);
        try {
            hbtp.writeInbound(compressedStream.retainedDuplicate());
            drainInto(hbtp, true, scratch);
            scratch.replaceAll(frame -> inflate(hbtp.alloc(), (HbtpFrame) frame));
            checkFrames("compressed decode", scratch);

            writeCompressed(hbtp, HbtpCompression.DEFAULT_THRESHOLD);
            checkWire("compressed encode", hbtp, compressedStream, scratch);

            writeCompressed(hbtp, NO_THRESHOLD);
            checkWire("compressed encode at threshold " + NO_THRESHOLD, hbtp, attempted, scratch);
        } finally {
            attempted.release();
            release(scratch);
        }
    }

    /**
     * {@link #verify} for encrypted encode (its first read must equal the ring's, sealed by another codec
     * with the same keys) and decode (the whole ring, in order, as the measured calls open it).
     */
    private void verifyEncrypted() {
        List<Object> scratch = new ArrayList<>();
        int chunkBytes = FRAMES * encryptedFrameLength();
        ByteBuf firstChunk = encryptedRing.retainedSlice(0, chunkBytes);
        try {
            for (int i = 0; i < FRAMES; i++) {
                sealing.write(new HbtpFrame(OPCODE, FLAGS, i, payload.retain()), sealing.voidPromise());
            }
            sealing.flushOutbound();
            checkWire("encrypted encode", sealing, firstChunk, scratch);

            for (int c = 0; c < encryptedChunks; c++) {
                opening.writeInbound(encryptedRing.retainedSlice(c * chunkBytes, chunkBytes));
                drainInto(opening, true, scratch);
                checkFrames("encrypted decode, read " + c, scratch);
            }
        } finally {
            firstChunk.release();
            release(scratch);
        }
        // Every frame of the ring is opened: the first measured call starts a new server codec.
        nextEncryptedChunk = encryptedChunks;
    }

    /** Checks that {@code frames} are the stream's frames with the plain payload, and releases them. */
    private void checkFrames(String side, List<Object> frames) {
        for (int i = 0; i < FRAMES; i++) {
            HbtpFrame frame = (HbtpFrame) frames.get(i);
            if (frame.opcode() != OPCODE || frame.flags() != FLAGS || frame.sequence() != i
                    || !ByteBufUtil.equals(frame.payload(), payload)) {
                throw new IllegalStateException(side + " decoded " + frame + " as frame " + i);
            }
        }
        release(frames);
    }

    private void checkWire(String side, EmbeddedChannel ch, ByteBuf expected, List<Object> out) {
        drainInto(ch, false, out);
        int frameLength = expected.readableBytes() / FRAMES;
        ByteBuf wire = ByteBufAllocator.DEFAULT.heapBuffer(expected.readableBytes());
        try {
            for (Object o : out) {
                ByteBuf buf = (ByteBuf) o;
                if (buf.readableBytes() != frameLength) {
                    throw new IllegalStateException(side + " encoded a frame of " + buf.readableBytes()
                            + " bytes into one buffer, expected " + frameLength);
                }
                wire.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
            }
            if (!ByteBufUtil.equals(wire, expected)) {
                throw new IllegalStateException(side + " encoded bytes that differ from the expected stream");
            }
        } finally {
            wire.release();
            release(out);
        }
    }

    private static void drainInto(EmbeddedChannel ch, boolean inbound, List<Object> out) {
        Object msg;
        while ((msg = inbound ? ch.readInbound() : ch.readOutbound()) != null) {
            out.add(msg);
        }
        if (out.size() != FRAMES) {
            throw new IllegalStateException((inbound ? "decoded " : "encoded ") + out.size()
                    + " frames instead of " + FRAMES);
        }
    }

    private static void release(List<Object> messages) {
        for (Object msg : messages) {
            ReferenceCountUtil.release(msg);
        }
        messages.clear();
    }
}
