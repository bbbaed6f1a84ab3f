package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.reactor.ReactorConfig;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.Transports;
import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.internal.IocpTransportProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a user gets by adding the artifact: dx-reactor finds iocp, ranks it, and passes its settings on. */
class IocpTransportProviderTest {

    @Test
    void transportsListIocpBetweenNioAndAfdPoll() {
        TransportProvider iocp = Transports.byName("iocp");
        assertThat(iocp.isAvailable()).isTrue();
        assertThat(iocp.socketChannelClass()).isEqualTo(IocpSocketChannel.class);
        assertThat(iocp.serverSocketChannelClass()).isEqualTo(IocpServerSocketChannel.class);
        assertThat(iocp.priority()).isGreaterThan(Transports.byName("nio").priority()).isLessThan(200);
        assertThat(iocp.supportedOptions())
                .containsExactlyInAnyOrder(ReactorConfig.MAX_EVENTS_PER_WAKE, ReactorConfig.CONCURRENCY_HINT);
    }

    @Test
    void theConcurrencyHintReachesEachLoopsCompletionPort() throws Exception {
        assumeTrue(WindowsKernel.current() instanceof EmulatedWindowsKernel, "reads the emulated port's settings");
        ReactorConfig config = ReactorConfig.builder().concurrencyHint(3).build();
        IoHandlerFactory factory = new IocpTransportProvider().ioHandlerFactory(config);
        AtomicReference<IocpIoHandler> handler = new AtomicReference<>();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, executor -> {
            IoHandler created = factory.newHandler(executor);
            handler.set((IocpIoHandler) created);
            return created;
        });
        try {
            EventLoop loop = group.next();
            long port = loop.submit(() -> handler.get().port()).get(10, TimeUnit.SECONDS);
            assertThat(((EmulatedWindowsKernel) WindowsKernel.current()).portConcurrency(port)).isEqualTo(3);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void invalidSettingsAreAllNamed() {
        assertThatThrownBy(() -> IocpConfig.builder().maxEventsPerDequeue(0).concurrencyHint(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxEventsPerDequeue").hasMessageContaining("concurrencyHint");
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "on Windows the real kernel is always there")
    void offWindowsWithoutEmulationTheProviderIsUnavailableAndSaysWhy() {
        String previous = System.getProperty("dx.windows.emulate");
        System.clearProperty("dx.windows.emulate");
        try {
            IocpTransportProvider provider = new IocpTransportProvider();
            assertThat(provider.isAvailable()).isFalse();
            assertThat(provider.unavailabilityCause()).hasMessageContaining("dx.windows.emulate");
            assertThatThrownBy(IocpIoHandler::newFactory).isInstanceOf(UnsupportedOperationException.class);
        } finally {
            System.setProperty("dx.windows.emulate", previous);
        }
    }
}
