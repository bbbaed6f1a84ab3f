package dev.dxreactor.fileio;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.channel.Iocp;
import dev.dxreactor.transport.iocp.channel.IocpIoHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract on the IOCP backend (overlapped ReadFile/WriteFile on an IOCP loop), here on the emulated Windows
 * kernel, with its own loop.
 */
class IocpFilesTest extends PlatformFilesContract {

    @BeforeAll
    static void needsIocp() {
        assumeTrue(Iocp.isAvailable(), () -> "IOCP unavailable: " + Iocp.unavailabilityCause());
    }

    @Override
    PlatformFiles open(FileIoConfig config) {
        return PlatformFiles.iocp(config);
    }

    @Override
    String expectedBackend() {
        return "iocp";
    }

    @Override
    IoHandlerFactory loopHandlers() {
        return IocpIoHandler.newFactory();
    }

    @Override
    boolean win32Errors() {
        return true;
    }

    @Test
    void theSystemPropertyForcesIt() {
        String before = System.getProperty(PlatformFiles.BACKEND_PROPERTY);
        System.setProperty(PlatformFiles.BACKEND_PROPERTY, "iocp");
        try (PlatformFiles forced = PlatformFiles.best(FileIoConfig.defaults())) {
            assertThat(forced.backendName()).isEqualTo("iocp");
        } finally {
            if (before == null) {
                System.clearProperty(PlatformFiles.BACKEND_PROPERTY);
            } else {
                System.setProperty(PlatformFiles.BACKEND_PROPERTY, before);
            }
        }
    }

    /**
     * Closing while the packets of transfers in flight are withheld by the kernel: the close completes only after
     * every request has (so no buffer is released under a transfer), each whole or aborted, every file closed.
     */
    @Test
    void closeWaitsForThePacketsOfTransfersInFlight() {
        assumeTrue(WindowsKernel.current() instanceof EmulatedWindowsKernel, "needs the emulated kernel's faults");
        EmulatedWindowsKernel kernel = (EmulatedWindowsKernel) WindowsKernel.current();
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            paths.add(TestFiles.write(dir.resolve("w/" + i), TestFiles.bytes(300_000 + i, i)));
        }
        PlatformFiles closing = PlatformFiles.iocp(FileIoConfig.defaults());
        List<CompletableFuture<ByteBuf>> reads = new ArrayList<>();
        for (Path path : paths) {
            reads.add(closing.readAll(path, ALLOC));
            kernel.faults().delayNextCompletion(3);
        }
        CompletableFuture<Void> closed = closing.closeAsync();
        closed.orTimeout(60, TimeUnit.SECONDS).join();
        for (int i = 0; i < reads.size(); i++) {
            assertThat(reads.get(i)).isDone();
            try {
                ByteBuf buf = reads.get(i).join();
                try {
                    assertThat(TestFiles.toBytes(buf)).isEqualTo(TestFiles.bytes(300_000 + i, i));
                } finally {
                    buf.release();
                }
            } catch (java.util.concurrent.CompletionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(FileIoException.class,
                        f -> assertThat(f.errno()).isEqualTo("ERROR_OPERATION_ABORTED"));
            }
        }
        assertThat(closing.openFiles()).isZero();
        assertThat(kernel.memoryViolations()).isEmpty();
    }

    /** Positions past 4 GiB go through the OVERLAPPED's OffsetHigh (a sparse file, so nothing big is written). */
    @Test
    void offsetsAbove4GiBReachTheirPlace() throws Exception {
        Path file = dir.resolve("sparse");
        long at = (5L << 30) + 123;
        ByteBuf data = Unpooled.wrappedBuffer(new byte[] {9, 8, 7, 6});
        try {
            assertThat(files.write(file, at, data).join()).isEqualTo(4L);
        } finally {
            data.release();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            assertThat(raf.length()).isEqualTo(at + 4);
            raf.seek(at);
            byte[] back = new byte[4];
            raf.readFully(back);
            assertThat(back).containsExactly(9, 8, 7, 6);
            raf.seek(at - (1L << 32));
            assertThat(raf.read()).isZero();
        }
        ByteBuf read = files.read(file, at - 1, 10, ALLOC).join();
        try {
            assertThat(TestFiles.toBytes(read)).containsExactly(0, 9, 8, 7, 6);
        } finally {
            read.release();
        }
    }

    /** On a given IOCP group the files share its loops; shutting it down under a batch completes every entry. */
    @Test
    void aLoopShuttingDownCompletesEveryEntry() {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, IocpIoHandler.newFactory());
        PlatformFiles onGroup = PlatformFiles.iocp(FileIoConfig.builder().eventLoopGroup(group).build());
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            paths.add(TestFiles.write(dir.resolve("s/" + i), TestFiles.bytes(30_000, i)));
        }
        CompletableFuture<BatchRead> batch = onGroup.batchRead(paths, ALLOC);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        try (BatchRead result = batch.orTimeout(60, TimeUnit.SECONDS).join()) {
            for (int i = 0; i < paths.size(); i++) {
                ReadResult entry = result.get(i);
                if (entry.isSuccess()) {
                    assertThat(TestFiles.toBytes(entry.content())).isEqualTo(TestFiles.bytes(30_000, i));
                } else {
                    assertThat(entry.error().errno()).isEqualTo("ERROR_OPERATION_ABORTED");
                }
            }
        }
        onGroup.closeAsync().orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(onGroup.openFiles()).isZero();
    }
}
