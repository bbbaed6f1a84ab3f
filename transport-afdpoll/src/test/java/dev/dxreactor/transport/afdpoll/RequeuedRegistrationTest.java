package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A registration that reconciling queues again (read interest kept after the peer's FIN: the hangup is
 * delivered without asking the kernel, and again on the next pass) is not left waiting for the port. The loop
 * is driven by hand with a context that would let a dequeue block for weeks, so a pass that waited for the port
 * would never return; the time limit only guards against that hang.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "drives the handler by hand over the emulated kernel")
class RequeuedRegistrationTest {

    /** Lets every dequeue block as long as it likes: no scheduled task, nothing else to run. */
    private static final IoHandlerContext MAY_BLOCK = new IoHandlerContext() {
        @Override
        public boolean canBlock() {
            return true;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return Duration.ofDays(20).toNanos();
        }

        @Override
        public long deadlineNanos() {
            return -1;
        }
    };

    @Test
    void aRepeatedHangupIsDeliveredOnTheNextPassWithoutWaitingForThePort() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), RequeuedRegistrationTest::fiveHangupsOnALoopThatMayBlock);
    }

    /** Runs on the thread the time limit gives it, which is the loop's thread throughout. */
    private static void fiveHangupsOnALoopThatMayBlock() throws Exception {
        Thread self = Thread.currentThread();
        ThreadAwareExecutor executor = new ThreadAwareExecutor() {
            @Override
            public boolean isExecutorThread(Thread thread) {
                return thread == self;
            }

            @Override
            public void execute(Runnable command) {
                throw new UnsupportedOperationException("the test runs the loop itself");
            }
        };
        IoHandler handler = AfdPollIoHandler.newFactory().newHandler(executor);
        handler.initialize();
        try (SocketPair pair = SocketPair.open(WindowsKernel.current())) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = handler.register(handle);
            registration.submit(AfdPollIoOps.valueOf(AfdPollIoOps.READ | AfdPollIoOps.HANGUP));
            pair.kernel.shutdown(pair.server, Winsock.SD_SEND);
            // The first DISCONNECT comes in a packet; every later one from reconciling, pass after pass.
            while (handle.count(Afd.POLL_DISCONNECT) < 5) {
                handler.run(MAY_BLOCK);
            }
            assertThat(handle.deliveries).allMatch(d -> d.failure() == 0 && !d.afterUnregistered());
            registration.cancel();
        } finally {
            handler.prepareToDestroy();
            handler.destroy();
        }
    }
}
