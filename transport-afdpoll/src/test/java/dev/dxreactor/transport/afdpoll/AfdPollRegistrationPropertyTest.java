package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.channel.IoRegistration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of interest changes (several per loop iteration), peer data, reads and cancels racing
 * completions, on one registration: never more than one poll pending on the socket (rule 1), every event
 * delivered is one that was wanted, readiness is never lost (data sent is reported once read is wanted), and
 * the poll memory comes back once the registration is over.
 */
@AddLifecycleHook(EmulatedKernelOnly.class)
class AfdPollRegistrationPropertyTest {

    private static LoopHarness harness;

    sealed interface Action permits Interest, PeerSends, Drain, RaceNextCancel {
    }

    /** Interest values submitted one after the other in one loop task. */
    record Interest(List<Integer> values) implements Action {
    }

    record PeerSends(int bytes) implements Action {
    }

    record Drain() implements Action {
    }

    record RaceNextCancel() implements Action {
    }

    @BeforeContainer
    static void start() {
        // The harness reads the emulated kernel's counters; on the real kernel EmulatedKernelOnly skips every try.
        if (WindowsKernel.current() instanceof EmulatedWindowsKernel) {
            harness = new LoopHarness();
        }
    }

    @AfterContainer
    static void stop() {
        if (harness != null) {
            harness.close();
            assertThat(harness.kernel.memoryViolations()).isEmpty();
        }
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Integer> interest = Arbitraries.of(0, AfdPollIoOps.READ, AfdPollIoOps.WRITE, AfdPollIoOps.HANGUP,
                AfdPollIoOps.READ | AfdPollIoOps.WRITE, AfdPollIoOps.READ | AfdPollIoOps.HANGUP,
                AfdPollIoOps.READ | AfdPollIoOps.WRITE | AfdPollIoOps.HANGUP);
        Arbitrary<Action> action = Arbitraries.oneOf(
                interest.list().ofMinSize(1).ofMaxSize(6).map(Interest::new),
                Arbitraries.integers().between(1, 4096).map(PeerSends::new),
                Arbitraries.just(new Drain()),
                Arbitraries.just(new RaceNextCancel()));
        return action.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 120)
    void onePollPerSocketOnlyWantedEventsAndNoLostReadiness(@ForAll("actions") List<Action> actions) throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = harness.register(handle);
            int blocksBefore = harness.stats(registration).blocksInUse();
            int[] desired = {0};
            for (Action action : actions) {
                switch (action) {
                    case Interest(List<Integer> values) -> harness.onLoop(() -> {
                        for (int value : values) {
                            registration.submit(AfdPollIoOps.valueOf(value));
                        }
                        desired[0] = values.getLast();
                    });
                    case PeerSends(int bytes) -> pair.send(pair.server, new byte[bytes]);
                    case Drain() -> harness.onLoop(() -> drain(pair.kernel, pair.client));
                    case RaceNextCancel() -> harness.onLoop(() -> harness.kernel.faults().raceNextCancel());
                }
                harness.iterate();
                assertThat(harness.kernel.pendingPolls(pair.client)).as("polls pending on the socket").isLessThanOrEqualTo(1);
            }
            for (RecordingHandle.Delivery delivery : handle.deliveries) {
                assertThat(delivery.events() & ~(Afd.POLL_RECEIVE | Afd.POLL_SEND | Afd.POLL_DISCONNECT | Afd.POLL_ABORT))
                        .as("only events of read, write or hangup interest").isZero();
            }

            int receivedBefore = handle.count(Afd.POLL_RECEIVE);
            pair.send(pair.server, new byte[] {42});
            harness.onLoop(() -> registration.submit(AfdPollIoOps.valueOf(AfdPollIoOps.READ)));
            harness.until(() -> handle.count(Afd.POLL_RECEIVE) > receivedBefore, 10);

            harness.onLoop(() -> harness.kernel.faults().raceNextCancel());
            harness.onLoop(registration::cancel);
            harness.until(() -> harness.stats(registration).pollsInFlight() == 0, 10);
            assertThat(harness.stats(registration).blocksInUse()).isEqualTo(blocksBefore);
            assertThat(handle.deliveries).noneMatch(RecordingHandle.Delivery::afterUnregistered);
        }
    }

    private static void drain(WindowsKernel kernel, long socket) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(16 * 1024);
            while (kernel.recv(socket, buffer, 0) > 0) {
                // until recv would block: the next data must come through a poll
            }
        }
    }
}
