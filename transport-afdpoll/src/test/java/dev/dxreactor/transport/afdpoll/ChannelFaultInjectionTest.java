package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults of the kernel injected under live channels: packets withheld, cancels losing to completions, a failed
 * submission. Nothing read is lost, nothing leaks (the build's paranoid leak detection), no poll memory is
 * released early, and a closed channel hears nothing more.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "injects faults and reads counters of the emulated kernel")
class ChannelFaultInjectionTest {

    private final EmulatedWindowsKernel kernel = (EmulatedWindowsKernel) WindowsKernel.current();
    private MultiThreadIoEventLoopGroup group;

    @BeforeEach
    void start() {
        group = Loopback.group(2, AfdPollConfig.defaults());
    }

    @AfterEach
    void stop() {
        Loopback.shutdown(group);
        assertThat(kernel.memoryViolations()).isEmpty();
    }

    /**
     * Keeps arming a fault on another thread while an echo runs. The emulated kernel withholds a packet for a
     * number of dequeues, not for a time, so every loop also ticks each millisecond: a packet withheld from a
     * loop that would otherwise wait long arrives late rather than never.
     */
    private Thread injecting(AtomicBoolean running, Runnable fault) {
        for (var loop : group) {
            loop.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.MILLISECONDS);
        }
        Thread thread = new Thread(() -> {
            while (running.get()) {
                fault.run();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fault-injector");
        thread.start();
        return thread;
    }

    @Test
    void withheldPacketsDuringAnEchoLoseNoByte() throws Exception {
        Channel server = Loopback.server(group, EchoClient.echoServer(), true);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread injector = injecting(running, () -> kernel.faults().delayNextCompletion(3));
        try {
            EchoClient.roundTrip(group, server, EchoClient.payload(2 * 1024 * 1024, 11), 60);
        } finally {
            running.set(false);
            injector.join();
            server.close().sync();
        }
    }

    @Test
    void cancelsLosingToCompletionsDuringAnEchoLoseNoByte() throws Exception {
        Channel server = Loopback.server(group, EchoClient.echoServer(), true);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread injector = injecting(running, () -> kernel.faults().raceNextCancel());
        try {
            EchoClient.roundTrip(group, server, EchoClient.payload(2 * 1024 * 1024, 12), 60);
        } finally {
            running.set(false);
            injector.join();
            server.close().sync();
        }
    }

    @Test
    void aFailedSubmissionClosesThatChannelOnlyAndNothingReachesItAfterwards() throws Exception {
        Channel server = Loopback.server(group, EchoClient.echoServer(), true);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        AtomicBoolean inactive = new AtomicBoolean();
        AtomicInteger eventsAfterInactive = new AtomicInteger();
        Channel victim = new io.netty.bootstrap.Bootstrap().group(group).channel(AfdPollSocketChannel.class)
                .option(io.netty.channel.ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        count();
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        count();
                        failure.complete(cause);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        inactive.set(true);
                    }

                    private void count() {
                        if (inactive.get()) {
                            eventsAfterInactive.incrementAndGet();
                        }
                    }
                })
                .connect(server.localAddress()).sync().channel();
        Loopback.until(() -> Loopback.armedMask(victim) != 0, 10);

        // Armed and used on the victim's loop with every other socket idle, so no other poll takes the fault.
        victim.eventLoop().execute(() -> {
            kernel.faults().failNextPoll(NtStatus.INSUFFICIENT_RESOURCES);
            victim.read();
        });
        assertThat(failure.get(10, TimeUnit.SECONDS)).hasMessageContaining("STATUS_INSUFFICIENT_RESOURCES");
        victim.closeFuture().await(10, TimeUnit.SECONDS);
        assertThat(victim.isOpen()).isFalse();
        Thread.sleep(100);
        assertThat(eventsAfterInactive.get()).isZero();

        EchoClient.roundTrip(group, server, EchoClient.payload(64 * 1024, 13), 20);
        server.close().sync();
    }
}
