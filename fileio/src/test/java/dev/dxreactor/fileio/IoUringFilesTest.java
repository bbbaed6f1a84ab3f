package dev.dxreactor.fileio;

import io.netty.channel.uring.IoUring;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The contract on the io_uring backend with its own loop. */
class IoUringFilesTest extends PlatformFilesContract {

    @BeforeAll
    static void needsIoUring() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
    }

    /** The loop goes away under the backend: every entry still completes, and nothing leaks. */
    @Test
    void aLoopShuttingDownCompletesEveryEntry() {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
        PlatformFiles onGroup = PlatformFiles.ioUring(FileIoConfig.builder().eventLoopGroup(group).build());
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            paths.add(TestFiles.write(dir.resolve("s/" + i), TestFiles.bytes(30_000, i)));
        }
        CompletableFuture<BatchRead> batch = onGroup.batchRead(paths, ALLOC);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        try (BatchRead result = batch.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join()) {
            for (int i = 0; i < paths.size(); i++) {
                ReadResult entry = result.get(i);
                if (entry.isSuccess()) {
                    assertThat(TestFiles.toBytes(entry.content())).isEqualTo(TestFiles.bytes(30_000, i));
                } else {
                    assertThat(entry.error().errno()).isEqualTo("ECANCELED");
                }
            }
        }
        onGroup.closeAsync().orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(onGroup.openFiles()).isZero();
    }

    @Override
    IoHandlerFactory loopHandlers() {
        return IoUringIoHandler.newFactory();
    }

    @Override
    PlatformFiles open(FileIoConfig config) {
        return PlatformFiles.ioUring(config);
    }

    @Override
    String expectedBackend() {
        return "io_uring";
    }
}
