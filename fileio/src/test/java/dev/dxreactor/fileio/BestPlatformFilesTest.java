package dev.dxreactor.fileio;

import io.netty.channel.uring.IoUring;

/** The contract on whatever {@link PlatformFiles#best(FileIoConfig)} picks here. */
class BestPlatformFilesTest extends PlatformFilesContract {

    @Override
    PlatformFiles open(FileIoConfig config) {
        return PlatformFiles.best(config);
    }

    @Override
    String expectedBackend() {
        return IoUring.isAvailable() ? "io_uring" : "fallback";
    }
}
