package dev.dxreactor.fileio;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import net.jqwik.api.Assume;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.concurrent.TimeUnit;

/**
 * The properties on the io_uring backend spread over a given group of two io_uring loops, the way it shares a
 * reactor's loops with sockets.
 */
class IoUringFilesPropertyTest extends PlatformFilesPropertyContract {

    private static MultiThreadIoEventLoopGroup group;

    @Override
    PlatformFiles open(FileIoConfig config) {
        Assume.that(IoUring.isAvailable());
        synchronized (IoUringFilesPropertyTest.class) {
            if (group == null) {
                group = new MultiThreadIoEventLoopGroup(2, IoUringIoHandler.newFactory());
            }
        }
        PlatformFiles files = PlatformFiles.ioUring(FileIoConfig.builder()
                .maxOpenFiles(config.maxOpenFiles())
                .maxReadBytes(config.maxReadBytes())
                .eventLoopGroup(group)
                .build());
        Assume.that(files.backendName().equals("io_uring"));
        return files;
    }

    @AfterContainer
    static void stopGroup() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
