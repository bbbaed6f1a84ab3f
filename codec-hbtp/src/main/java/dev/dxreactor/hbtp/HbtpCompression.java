package dev.dxreactor.hbtp;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteBuffer;

/**
 * zstd for HBTP message bodies: one compression and one decompression context per thread (so per event
 * loop, never shared), direct buffers only, and decompression bounded before anything is allocated.
 *
 * <p>A body is compressed only when it is at least the threshold and the result is smaller. A compressed
 * body must declare its content size; a frame that does not, declares more than the limit, or expands
 * beyond what it declared is refused with 1009 without allocating more than the limit.
 *
 * <p>{@link HbtpServerInitializer} and {@link HbtpClient} use it for you; it is public for those who put
 * {@link HbtpFrameCodec} under a session handler of their own (the COMPRESSED flag marks what it made).
 */
public final class HbtpCompression {

    /** Bodies smaller than this are not worth a compression attempt. */
    public static final int DEFAULT_THRESHOLD = 512;
    /** zstd level: fast, and most of what higher levels gain on small messages. */
    public static final int DEFAULT_LEVEL = 3;

    private static final FastThreadLocal<Contexts> CONTEXTS = new FastThreadLocal<>() {
        @Override
        protected Contexts initialValue() {
            return new Contexts();
        }

        @Override
        protected void onRemoval(Contexts contexts) {
            contexts.close();
        }
    };

    /**
     * One thread's contexts and the dictionary each has loaded. A thread usually serves one configuration,
     * so switching dictionaries (a reset and a reference to the digested dictionary) is rare.
     */
    private static final class Contexts {
        private final ZstdCompressCtx compress = new ZstdCompressCtx();
        private final ZstdDecompressCtx decompress = new ZstdDecompressCtx();
        private HbtpZstdDictionary compressDictionary;
        private HbtpZstdDictionary decompressDictionary;

        Contexts() {
            applyDefaults();
        }

        ZstdCompressCtx compressor(HbtpZstdDictionary dictionary) {
            if (dictionary != compressDictionary) {
                compress.reset();
                applyDefaults();
                if (dictionary != null) {
                    // A checksum turns a peer with another dictionary into an error instead of wrong bytes.
                    compress.loadDict(dictionary.forCompression()).setChecksum(true);
                }
                compressDictionary = dictionary;
            }
            return compress;
        }

        ZstdDecompressCtx decompressor(HbtpZstdDictionary dictionary) {
            if (dictionary != decompressDictionary) {
                decompress.reset();
                if (dictionary != null) {
                    decompress.loadDict(dictionary.forDecompression());
                }
                decompressDictionary = dictionary;
            }
            return decompress;
        }

        private void applyDefaults() {
            compress.setLevel(DEFAULT_LEVEL).setContentSize(true);
        }

        void close() {
            compress.close();
            decompress.close();
        }
    }

    private HbtpCompression() {
    }

    /**
     * A compressed copy of {@code body} (not consumed), or {@code null} when the body is under
     * {@code threshold} or would not get smaller.
     */
    public static ByteBuf compress(ByteBufAllocator alloc, ByteBuf body, int threshold) {
        return compress(alloc, body, threshold, null);
    }

    /** {@link #compress(ByteBufAllocator, ByteBuf, int)} with a dictionary, or none when {@code null}. */
    public static ByteBuf compress(ByteBufAllocator alloc, ByteBuf body, int threshold, HbtpZstdDictionary dictionary) {
        int length = body.readableBytes();
        if (length < threshold) {
            return null;
        }
        ByteBuf source = direct(alloc, body);
        ByteBuf out = alloc.directBuffer((int) Math.min(Integer.MAX_VALUE, Zstd.compressBound(length)));
        try {
            int written = CONTEXTS.get().compressor(dictionary).compressDirectByteBuffer(
                    out.nioBuffer(0, out.capacity()), 0, out.capacity(),
                    source.nioBuffer(source.readerIndex(), length), 0, length);
            if (written >= length) {
                out.release();
                return null;
            }
            return out.writerIndex(written);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            if (source != body) {
                source.release();
            }
        }
    }

    /**
     * The decompressed body of one zstd frame (not consumed).
     *
     * @throws HbtpProtocolException 1009 when the frame has no content size, declares more than
     *                               {@code maxSize}, or does not decompress to exactly what it declares
     */
    public static ByteBuf decompress(ByteBufAllocator alloc, ByteBuf compressed, int maxSize) {
        return decompress(alloc, compressed, maxSize, null);
    }

    /** {@link #decompress(ByteBufAllocator, ByteBuf, int)} with a dictionary, or none when {@code null}. */
    public static ByteBuf decompress(ByteBufAllocator alloc, ByteBuf compressed, int maxSize, HbtpZstdDictionary dictionary) {
        ByteBuf source = direct(alloc, compressed);
        try {
            int length = source.readableBytes();
            ByteBuffer in = source.nioBuffer(source.readerIndex(), length);
            long declared = Zstd.getDirectByteBufferFrameContentSize(in, 0, length);
            if (declared < 0) {
                throw tooLarge("compressed frame does not declare its content size");
            }
            if (declared > maxSize) {
                throw tooLarge("compressed frame declares " + declared + " bytes; at most " + maxSize);
            }
            ByteBuf out = alloc.directBuffer((int) declared);
            try {
                int written = CONTEXTS.get().decompressor(dictionary).decompressDirectByteBuffer(
                        out.nioBuffer(0, (int) declared), 0, (int) declared, in, 0, length);
                if (written != declared) {
                    throw tooLarge("compressed frame decompressed to " + written + " bytes, declared " + declared);
                }
                return out.writerIndex(written);
            } catch (ZstdException e) {
                out.release();
                throw tooLarge("compressed frame is corrupt, larger than it declares, or made with another"
                        + " dictionary");
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
        } finally {
            if (source != compressed) {
                source.release();
            }
        }
    }

    /**
     * A COMPRESSED message with its body decompressed and the flag cleared (the frame is not consumed).
     *
     * @throws HbtpProtocolException 1002 when ZSTD was not agreed, 1009 as {@link #decompress} says
     */
    static HbtpFrame inflate(ByteBufAllocator alloc, HbtpFrame frame, int agreedCapabilities, int maxSize,
                             HbtpZstdDictionary dictionary) {
        if ((agreedCapabilities & HbtpCapabilities.ZSTD) == 0) {
            throw new HbtpProtocolException(HbtpCloseCode.PROTOCOL_ERROR,
                    "COMPRESSED frame without the ZSTD capability");
        }
        ByteBuf body = decompress(alloc, frame.payload(), maxSize, dictionary);
        return new HbtpFrame(frame.opcode(), frame.flags() & ~HbtpFlags.COMPRESSED, frame.sequence(), body);
    }

    /**
     * zstd-jni reads direct memory only, by address: heap or composite bodies are copied once, and every
     * {@code nioBuffer(index, length)} above is a slice that starts at the bytes meant.
     */
    private static ByteBuf direct(ByteBufAllocator alloc, ByteBuf buf) {
        if (buf.isDirect() && buf.nioBufferCount() == 1) {
            return buf;
        }
        ByteBuf copy = alloc.directBuffer(buf.readableBytes());
        copy.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
        return copy;
    }

    private static HbtpProtocolException tooLarge(String reason) {
        return new HbtpProtocolException(HbtpCloseCode.TOO_LARGE, reason);
    }
}
