package dev.dxreactor.fileio;

import dev.dxreactor.transport.iocp.channel.Iocp;
import dev.dxreactor.transport.iocp.channel.IocpIoHandler;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import net.jqwik.api.Assume;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.concurrent.TimeUnit;

/**
 * The properties on the IOCP backend (here on the emulated Windows kernel), spread over a given group of two IOCP
 * loops, the way it shares a reactor's loops with sockets.
 */
class IocpFilesPropertyTest extends PlatformFilesPropertyContract {

    private static MultiThreadIoEventLoopGroup group;

    @Override
    PlatformFiles open(FileIoConfig config) {
        Assume.that(Iocp.isAvailable());
        synchronized (IocpFilesPropertyTest.class) {
            if (group == null) {
                group = new MultiThreadIoEventLoopGroup(2, IocpIoHandler.newFactory());
            }
        }
        return PlatformFiles.iocp(FileIoConfig.builder()
                .maxOpenFiles(config.maxOpenFiles())
                .maxReadBytes(config.maxReadBytes())
                .eventLoopGroup(group)
                .build());
    }

    @Override
    String directoryError() {
        return "ERROR_ACCESS_DENIED";
    }

    @AfterContainer
    static void stopGroup() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
