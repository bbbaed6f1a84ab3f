package dev.dxreactor.benchmarks.codec;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.hbtp.HbtpFlags;
import dev.dxreactor.hbtp.HbtpFrame;
import dev.dxreactor.hbtp.HbtpFrameCodec;
import dev.dxreactor.hbtp.HbtpHeader;
import dev.dxreactor.hbtp.HbtpOpcode;
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
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HBTP frame codec against plain Netty length-field framing over the same bytes.
 *
 * <p>Both sides run inside an {@link EmbeddedChannel}, so each pays the same pipeline costs a real channel
 * pays, and only the handlers differ. One operation is one frame: every invocation handles
 * {@link #FRAMES} frames so that the per-call channel overhead is spread thin, and JMH divides by it.
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
 * Every output is handed to a {@link Blackhole} and released; the frame count is checked on every
 * invocation, and the bytes of both sides are checked once per trial before anything is measured.
 *
 * <p>Compressed and encrypted variants belong next to these as their own benchmark methods (or a sibling
 * class sharing {@link #encodeStream}), each paired with a baseline doing the same compression or cipher
 * behind the length-field codec, and listed in {@link HbtpCodecReport#COMPARISONS}.
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

    static final HbtpOpcode OPCODE = HbtpOpcode.RPC_CALL;
    static final int FLAGS = HbtpFlags.FINAL;

    @Param({"64", "1024", "16384"})
    public int payloadSize;

    private ByteBuf payload;
    private ByteBuf stream;
    private EmbeddedChannel hbtp;
    private EmbeddedChannel baseline;

    @Setup(Level.Trial)
    public void setUp() {
        ForkEnvironment.recordIfRequested();
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        payload = alloc.directBuffer(payloadSize);
        for (int i = 0; i < payloadSize; i++) {
            payload.writeByte(i * 31 + 7);
        }
        stream = encodeStream(alloc, payload, FRAMES);
        hbtp = new EmbeddedChannel(new HbtpFrameCodec());
        baseline = new EmbeddedChannel(newBaselineDecoder(), new RawFrameEncoder(OPCODE.code(), FLAGS));
        verify();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        boolean leftovers = hbtp.finishAndReleaseAll() | baseline.finishAndReleaseAll();
        int payloadRefs = payload.refCnt();
        int streamRefs = stream.refCnt();
        payload.release();
        stream.release();
        if (leftovers || payloadRefs != 1 || streamRefs != 1) {
            throw new IllegalStateException("buffers left behind: leftovers=" + leftovers
                    + ", payload refCnt=" + payloadRefs + ", stream refCnt=" + streamRefs);
        }
    }

    @Benchmark
    public void hbtpDecode(Blackhole bh) {
        decodeAll(hbtp, bh);
    }

    @Benchmark
    public void baselineDecode(Blackhole bh) {
        decodeAll(baseline, bh);
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

    /**
     * The baseline decoder over HBTP's header layout: u32 little-endian length at offset 4 counting the
     * payload only, so a frame is length + 8 bytes; nothing stripped, so the slice includes the header.
     */
    static LengthFieldBasedFrameDecoder newBaselineDecoder() {
        return new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, Integer.MAX_VALUE,
                HbtpHeader.LENGTH_OFFSET, 4, 0, 0, true);
    }

    /** {@code frames} frames carrying {@code payload}, sequence 0, 1, 2, ..., as one buffer. */
    static ByteBuf encodeStream(ByteBufAllocator alloc, ByteBuf payload, int frames) {
        int length = payload.readableBytes();
        ByteBuf out = alloc.directBuffer(frames * (HbtpHeader.SIZE + length));
        for (int i = 0; i < frames; i++) {
            HbtpHeader.write(out, OPCODE.code(), FLAGS, i & HbtpHeader.MAX_SEQUENCE, length);
            out.writeBytes(payload, payload.readerIndex(), length);
        }
        return out;
    }

    private void decodeAll(EmbeddedChannel ch, Blackhole bh) {
        ch.writeInbound(stream.retainedDuplicate());
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
     * Checks, before anything is timed, that both sides decode the same frames out of the stream and
     * that both encoders put exactly the stream's bytes on the wire: a benchmark that does not check its
     * answers can be fast for the wrong reason.
     */
    private void verify() {
        List<Object> decoded = new ArrayList<>();
        try {
            hbtp.writeInbound(stream.retainedDuplicate());
            drainInto(hbtp, true, decoded);
            for (int i = 0; i < FRAMES; i++) {
                HbtpFrame frame = (HbtpFrame) decoded.get(i);
                if (frame.opcode() != OPCODE || frame.flags() != FLAGS || frame.sequence() != i
                        || !ByteBufUtil.equals(frame.payload(), payload)) {
                    throw new IllegalStateException("hbtp decoded " + frame + " as frame " + i);
                }
            }
            release(decoded);

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
            checkWire("hbtp", hbtp, decoded);

            // A fresh encoder, so that its sequence counter starts at 0 like the stream's.
            EmbeddedChannel fresh = new EmbeddedChannel(new RawFrameEncoder(OPCODE.code(), FLAGS));
            try {
                for (int i = 0; i < FRAMES; i++) {
                    fresh.write(payload.retain(), fresh.voidPromise());
                }
                fresh.flushOutbound();
                checkWire("baseline", fresh, decoded);
            } finally {
                fresh.finishAndReleaseAll();
            }
        } finally {
            release(decoded);
        }
    }

    private void checkWire(String side, EmbeddedChannel ch, List<Object> out) {
        drainInto(ch, false, out);
        ByteBuf wire = ByteBufAllocator.DEFAULT.heapBuffer(stream.readableBytes());
        try {
            for (Object o : out) {
                ByteBuf buf = (ByteBuf) o;
                if (buf.readableBytes() != HbtpHeader.SIZE + payloadSize) {
                    throw new IllegalStateException(side + " encoded a frame of " + buf.readableBytes()
                            + " bytes into one buffer, expected " + (HbtpHeader.SIZE + payloadSize));
                }
                wire.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
            }
            if (!ByteBufUtil.equals(wire, stream)) {
                throw new IllegalStateException(side + " encoded bytes that differ from the stream");
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
