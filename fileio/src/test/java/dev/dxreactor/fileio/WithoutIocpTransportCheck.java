package dev.dxreactor.fileio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * fileio for a user who did not add the optional IOCP transport: run only by the surefire execution
 * {@code iocp-absent}, whose class path leaves dx-transport-iocp out. Not named {@code *Test}, so that the default
 * run (where the transport is there) does not pick it up.
 */
class WithoutIocpTransportCheck {

    @TempDir
    Path dir;

    @Test
    void theTransportIsReallyAbsent() {
        assertThatThrownBy(() -> Class.forName("dev.dxreactor.transport.iocp.channel.IocpIoHandler"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void bestStillWorksAndReadsFiles() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[] {1, 2, 3});
        try (PlatformFiles files = PlatformFiles.best(FileIoConfig.defaults())) {
            assertThat(files.backendName()).isIn("io_uring", "fallback");
            ByteBuf buf = files.readAll(file, PooledByteBufAllocator.DEFAULT).join();
            try {
                assertThat(buf.readableBytes()).isEqualTo(3);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void askingForIocpSaysWhatIsMissing() {
        assertThatThrownBy(() -> PlatformFiles.iocp(FileIoConfig.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dx-transport-iocp is not on the class path");
        assertThatThrownBy(() -> PlatformFiles.best(FileIoConfig.builder().backend("iocp").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dx-transport-iocp is not on the class path");
    }
}
