package dev.dxreactor.fileio;

import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The contract on the io_uring backend with its own loop. */
class IoUringFilesTest extends PlatformFilesContract {

    @BeforeAll
    static void needsIoUring() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
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
