package dev.dxreactor.hbtp;

import com.github.luben.zstd.ZstdCompressCtx;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** zstd on its own; the pipeline stage that negotiates ZSTD and uses it comes later. */
class HbtpCompressionTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Property(tries = 200)
    void compressedBodiesDecompressToTheSameBytes(@ForAll @IntRange(min = 512, max = 40_000) int size,
                                                  @ForAll @IntRange(min = 1, max = 64) int alphabet,
                                                  @ForAll long seed,
                                                  @ForAll boolean heapSource) {
        byte[] body = new byte[size];
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < size; i++) {
            body[i] = (byte) random.nextInt(alphabet);
        }
        ByteBuf source = heapSource ? Unpooled.wrappedBuffer(body) : ALLOC.directBuffer(size).writeBytes(body);
        ByteBuf compressed = HbtpCompression.compress(ALLOC, source, HbtpCompression.DEFAULT_THRESHOLD);
        try {
            if (compressed == null) {
                return; // did not pay: allowed, and then the body goes uncompressed
            }
            assertThat(compressed.readableBytes()).isLessThan(size);
            ByteBuf restored = HbtpCompression.decompress(ALLOC, compressed, size);
            assertThat(HbtpFrameCodecTest.bytes(restored)).isEqualTo(body);
            restored.release();
            assertThat(source.readableBytes()).as("source not consumed").isEqualTo(size);
        } finally {
            source.release();
            if (compressed != null) {
                compressed.release();
            }
        }
    }

    @Test
    void smallOrIncompressibleBodiesAreLeftAlone() {
        ByteBuf small = Unpooled.wrappedBuffer(new byte[100]);
        assertThat(HbtpCompression.compress(ALLOC, small, 512)).isNull();
        byte[] noise = new byte[4096];
        new java.security.SecureRandom().nextBytes(noise);
        assertThat(HbtpCompression.compress(ALLOC, Unpooled.wrappedBuffer(noise), 512)).isNull();
    }

    @Test
    void aBombIsRefusedFromItsDeclaredSize() {
        ByteBuf zeros = Unpooled.wrappedBuffer(new byte[4 << 20]);
        ByteBuf bomb = HbtpCompression.compress(ALLOC, zeros, 0);
        try {
            assertThat(bomb.readableBytes()).isLessThan(1024);
            HbtpProtocolException e = catchThrowableOfType(HbtpProtocolException.class,
                    () -> HbtpCompression.decompress(ALLOC, bomb, 64 * 1024));
            assertThat(e.closeCode()).isEqualTo(HbtpCloseCode.TOO_LARGE);
            assertThat(e.reason()).contains("declares 4194304 bytes; at most 65536");
        } finally {
            bomb.release();
        }
    }

    @Test
    void aFrameWithoutContentSizeIsRefused() {
        byte[] body = new byte[10_000];
        Arrays.fill(body, (byte) 'a');
        try (ZstdCompressCtx ctx = new ZstdCompressCtx().setContentSize(false)) {
            ByteBuf frame = Unpooled.wrappedBuffer(ctx.compress(body));
            HbtpProtocolException e = catchThrowableOfType(HbtpProtocolException.class,
                    () -> HbtpCompression.decompress(ALLOC, frame, 1 << 20));
            assertThat(e.closeCode()).isEqualTo(HbtpCloseCode.TOO_LARGE);
            assertThat(e.reason()).contains("does not declare its content size");
        }
    }

    @Property(tries = 300)
    void arbitraryBytesNeverDecompressBeyondTheLimit(@ForAll @Size(max = 200) byte[] garbage) {
        ByteBuf frame = Unpooled.buffer().writeIntLE(0xFD2FB528).writeBytes(garbage);
        try {
            ByteBuf out = HbtpCompression.decompress(ALLOC, frame, 4096);
            assertThat(out.readableBytes()).isLessThanOrEqualTo(4096);
            out.release();
        } catch (HbtpProtocolException e) {
            assertThat(e.closeCode()).isEqualTo(HbtpCloseCode.TOO_LARGE);
        } finally {
            frame.release();
        }
    }
}
