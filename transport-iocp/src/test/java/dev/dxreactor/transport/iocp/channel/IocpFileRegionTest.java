package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.Win32Error;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link PathFileRegion} on an IOCP channel over the emulated kernel: sent with TransmitFile from its position,
 * in order with the buffers around it; copied when {@link IocpChannelOption#TRANSMIT_FILE} is off; a region larger
 * than its file, a file that is not there, or a TransmitFile the kernel refuses fails the write (and closes the
 * file); a channel closed while TransmitFile is pending
 * releases the file only when its packet has arrived. After each test no file handle is open, nothing is
 * outstanding and no memory was released early. On Windows the same tests run on the real kernel, without the
 * emulated kernel's counts.
 */
class IocpFileRegionTest {

    @TempDir
    Path directory;
    private IocpLoops loops;
    private ServerSocket peer;
    private Channel channel;

    @BeforeEach
    void start() throws IOException {
        loops = new IocpLoops(1);
        peer = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close().sync();
        }
        peer.close();
        IocpLoops.until(() -> loops.stats().operationsInFlight() == 0 && loops.stats().registrations() == 0, 10);
        if (loops.kernel != null) {
            assertThat(loops.kernel.openFileHandles()).isZero();
        }
        assertThat(loops.memoryViolations()).isEmpty();
        loops.close();
    }

    private Socket connect(Object... options) throws Exception {
        Bootstrap b = new Bootstrap().group(loops.group).channel(IocpSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter());
        for (int i = 0; i < options.length; i += 2) {
            @SuppressWarnings("unchecked")
            io.netty.channel.ChannelOption<Object> option = (io.netty.channel.ChannelOption<Object>) options[i];
            b.option(option, options[i + 1]);
        }
        channel = b.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort())).sync()
                .channel();
        Socket accepted = peer.accept();
        accepted.setSoTimeout(10_000);
        return accepted;
    }

    /** Bytes the emulated kernel sent with TransmitFile; on Windows, where nobody counts them, -1. */
    private long transmitFileBytes() {
        return loops.kernel == null ? -1 : loops.kernel.transmitFileBytes();
    }

    private Path file(int size) throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return Files.write(directory.resolve("file-" + size), content);
    }

    private static byte[] readFully(InputStream in, int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        assertThat(bytes).hasSize(count);
        return bytes;
    }

    @Test
    void aPathFileRegionIsSentWithTransmitFileFromItsPositionBetweenTheBuffersAroundIt() throws Exception {
        Path file = file(3 * 1024 * 1024 + 123);
        byte[] content = Files.readAllBytes(file);
        long before = transmitFileBytes();
        try (Socket accepted = connect()) {
            int position = 1000;
            int count = content.length - 2000;
            channel.write(Unpooled.copiedBuffer("head", StandardCharsets.US_ASCII));
            ChannelFuture region = channel.write(new PathFileRegion(file, position, count));
            channel.writeAndFlush(Unpooled.copiedBuffer("tail", StandardCharsets.US_ASCII));

            InputStream in = accepted.getInputStream();
            assertThat(new String(readFully(in, 4), StandardCharsets.US_ASCII)).isEqualTo("head");
            assertThat(readFully(in, count)).isEqualTo(Arrays.copyOfRange(content, position, position + count));
            assertThat(new String(readFully(in, 4), StandardCharsets.US_ASCII)).isEqualTo("tail");
            assertThat(region.await(10, TimeUnit.SECONDS) && region.isSuccess()).isTrue();
            if (loops.kernel != null) {
                assertThat(transmitFileBytes() - before).isEqualTo(count);
            }
        }
    }

    @Test
    void withTransmitFileOffThePathFileRegionIsCopiedThroughTheLoop() throws Exception {
        Path file = file(200_000);
        byte[] content = Files.readAllBytes(file);
        long before = transmitFileBytes();
        try (Socket accepted = connect(IocpChannelOption.TRANSMIT_FILE, false)) {
            assertThat(channel.config().getOption(IocpChannelOption.TRANSMIT_FILE)).isFalse();
            ChannelFuture region = channel.writeAndFlush(new PathFileRegion(file, 10, content.length - 10));

            assertThat(readFully(accepted.getInputStream(), content.length - 10))
                    .isEqualTo(Arrays.copyOfRange(content, 10, content.length));
            assertThat(region.await(10, TimeUnit.SECONDS) && region.isSuccess()).isTrue();
            assertThat(transmitFileBytes()).isEqualTo(before);
        }
    }

    @Test
    void anyOtherFileRegionIsStillCopied() throws Exception {
        Path file = file(70_000);
        byte[] content = Files.readAllBytes(file);
        long before = transmitFileBytes();
        try (Socket accepted = connect()) {
            ChannelFuture region = channel.writeAndFlush(new DefaultFileRegion(file.toFile(), 0, content.length));

            assertThat(readFully(accepted.getInputStream(), content.length)).isEqualTo(content);
            assertThat(region.await(10, TimeUnit.SECONDS) && region.isSuccess()).isTrue();
            assertThat(transmitFileBytes()).isEqualTo(before);
        }
    }

    @Test
    void aRegionLargerThanItsFileFailsTheWriteWhenTheFileEnds() throws Exception {
        Path file = file(1000);
        try (Socket accepted = connect()) {
            ChannelFuture region = channel.writeAndFlush(new PathFileRegion(file, 200, 5000));

            assertThat(region.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(region.cause()).isInstanceOf(IOException.class).hasMessageContaining("ended at 1000")
                    .hasMessageContaining("region's end at 5200");
            assertThat(readFully(accepted.getInputStream(), 800)).isEqualTo(
                    Arrays.copyOfRange(Files.readAllBytes(file), 200, 1000));
            assertThat(accepted.getInputStream().read()).isEqualTo(-1);
            channel.closeFuture().await(10, TimeUnit.SECONDS);
            assertThat(channel.isOpen()).isFalse();
        }
    }

    @Test
    void aFileThatIsNotThereFailsTheWriteAndNothingElse() throws Exception {
        try (Socket accepted = connect()) {
            ChannelFuture region = channel.writeAndFlush(new PathFileRegion(directory.resolve("missing"), 0, 10));

            assertThat(region.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(region.cause()).isInstanceOf(IOException.class).hasMessageContaining("missing");
        }
    }

    @Test
    void aTransmitFileTheKernelRefusesFailsTheWriteAndClosesItsFile() throws Exception {
        assumeTrue(loops.kernel != null, "fault injection is the emulated kernel's");
        Path file = file(10_000);
        try (Socket accepted = connect()) {
            // Armed in the loop task that writes, so that the connection's own reads cannot take the fault first.
            ChannelFuture region = channel.eventLoop().submit(() -> {
                loops.kernel.faults().failNextOverlapped(Win32Error.WSAENOBUFS);
                return channel.writeAndFlush(new PathFileRegion(file, 0, 10_000));
            }).get(10, TimeUnit.SECONDS);

            assertThat(region.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(region.cause()).isInstanceOf(IOException.class)
                    .hasMessageContaining("TransmitFile failed: WSAENOBUFS");
            assertThat(loops.kernel.openFileHandles()).isZero();
        }
    }

    @Test
    void aChannelClosedWhileTransmitFileIsPendingReleasesTheFileWhenThePacketArrives() throws Exception {
        // Larger than what both socket buffers take, and nobody reads: the TransmitFile stays pending.
        Path file = file(48 * 1024 * 1024);
        try (Socket accepted = connect()) {
            accepted.setReceiveBufferSize(64 * 1024);
            ChannelFuture region = channel.writeAndFlush(new PathFileRegion(file, 0, Files.size(file)));
            IocpLoops.until(() -> (loops.kernel == null || loops.kernel.openFileHandles() == 1)
                    && loops.stats().operationsInFlight() >= 1, 10);
            assertThat(region.isDone()).isFalse();

            channel.close().sync();

            assertThat(region.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(region.isSuccess()).isFalse();
        }
    }
}
