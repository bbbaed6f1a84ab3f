package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Winsock;
import io.netty.channel.IoRegistration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the AFD backend (design page, rules 1-7), each checked on a registration of a raw socket pair
 * against the emulated kernel, whose counters show what was submitted and what is pending.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "injects faults and reads counters of the emulated kernel")
class AfdPollRegistrationRulesTest {

    private static LoopHarness harness;

    @BeforeAll
    static void start() {
        harness = new LoopHarness();
    }

    @AfterAll
    static void stop() {
        harness.close();
        assertThat(harness.kernel.memoryViolations()).isEmpty();
    }

    private static AfdPollIoOps ops(int bits) {
        return AfdPollIoOps.valueOf(bits);
    }

    /** Registers {@code handle} and waits until its first interest was reconciled. */
    private static IoRegistration registeredWith(RecordingHandle handle, int interest) throws Exception {
        IoRegistration registration = harness.register(handle);
        harness.onLoop(() -> registration.submit(ops(interest)));
        harness.iterate();
        return registration;
    }

    @Test
    void interestChangesInOneIterationCostOneSubmissionAndOnePoll() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = harness.register(handle);
            long before = harness.stats(registration).submissions();
            harness.onLoop(() -> {
                int[] burst = {AfdPollIoOps.READ, AfdPollIoOps.WRITE, 0, AfdPollIoOps.READ | AfdPollIoOps.HANGUP,
                    AfdPollIoOps.READ, 0};
                for (int i = 0; i < 50; i++) {
                    registration.submit(ops(burst[i % burst.length]));
                }
                registration.submit(ops(AfdPollIoOps.READ));
            });
            harness.iterate();
            assertThat(harness.stats(registration).submissions() - before).isEqualTo(1);
            assertThat(harness.kernel.pendingPolls(pair.client)).isEqualTo(1);
            harness.onLoop(registration::cancel);
        }
    }

    @Test
    void pollMemoryOutlivesAClosedSocketUntilItsPacketIsDequeued() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = registeredWith(handle, AfdPollIoOps.READ);
            assertThat(harness.kernel.pendingPolls(pair.client)).isEqualTo(1);
            int blocksBefore = harness.stats(registration).blocksInUse();

            harness.kernel.faults().delayNextCompletion(3);
            AfdPollIoHandler.Stats justClosed = harness.onLoop(() -> {
                pair.closeClient();
                registration.cancel();
                return ((AfdPollIoHandler) registration.attachment()).stats();
            });
            assertThat(justClosed.blocksInUse()).as("the block stays with the poll whose packet is owed")
                    .isEqualTo(blocksBefore);
            assertThat(justClosed.pollsInFlight()).isEqualTo(1);
            assertThat(handle.unregistered).isTrue();

            harness.until(() -> harness.stats(registration).pollsInFlight() == 0, 10);
            assertThat(harness.stats(registration).blocksInUse()).isEqualTo(blocksBefore - 1);
            assertThat(handle.deliveries).as("nothing reaches a handle after it was unregistered").isEmpty();
            assertThat(harness.kernel.memoryViolations()).isEmpty();
        }
    }

    @Test
    void rearmAfterCancelWaitsForTheCancelledPacket() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = registeredWith(handle, AfdPollIoOps.READ);
            AfdPollRegistration inner = harness.unwrap(registration, handle);
            long submitted = harness.stats(registration).submissions();

            harness.kernel.faults().delayNextCompletion(40);
            harness.onLoop(() -> registration.submit(ops(AfdPollIoOps.READ | AfdPollIoOps.WRITE)));
            for (int i = 0; i < 5; i++) {
                harness.iterate();
                assertThat(harness.onLoop(inner::cancelling)).isTrue();
                assertThat(harness.kernel.pendingPolls(pair.client)).isZero();
                assertThat(harness.stats(registration).submissions())
                        .as("no new poll while the cancelled one's packet is withheld").isEqualTo(submitted);
            }

            harness.until(() -> handle.count(Afd.POLL_SEND) > 0, 20);
            assertThat(harness.stats(registration).submissions()).isGreaterThan(submitted);
            assertThat(harness.stats(registration).cancels()).isGreaterThanOrEqualTo(1);
            harness.onLoop(registration::cancel);
        }
    }

    @Test
    void everyPollAsksForLocalCloseAndALocalCloseEndsPollingWithoutAnEvent() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = registeredWith(handle, AfdPollIoOps.READ);
            AfdPollRegistration inner = harness.unwrap(registration, handle);
            int armed = harness.onLoop(inner::armedMask);
            assertThat(armed & Afd.POLL_LOCAL_CLOSE).isEqualTo(Afd.POLL_LOCAL_CLOSE);
            long submitted = harness.stats(registration).submissions();

            harness.onLoop(pair::closeClient);
            harness.until(() -> harness.stats(registration).pollsInFlight() == 0, 10);
            harness.iterate();
            assertThat(handle.deliveries).isEmpty();
            assertThat(harness.stats(registration).submissions()).as("a closed socket is not polled again")
                    .isEqualTo(submitted);
            harness.onLoop(registration::cancel);
        }
    }

    @Test
    void aClosedSocketsValueIsNeverPolledAgain() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = registeredWith(handle, AfdPollIoOps.READ);
            // Nothing wanted any more: the pending poll completes on the data and is not renewed.
            harness.onLoop(() -> {
                registration.submit(ops(0));
                pair.send(pair.server, new byte[] {1});
            });
            harness.until(() -> harness.kernel.pendingPolls(pair.client) == 0, 10);
            long submitted = harness.stats(registration).submissions();

            handle.forgetSocket();
            harness.onLoop(() -> registration.submit(ops(AfdPollIoOps.READ)));
            harness.iterate();

            assertThat(harness.stats(registration).submissions()).as("polls submitted after the close")
                    .isEqualTo(submitted);
            assertThat(handle.count(Afd.POLL_LOCAL_CLOSE)).isOne();
            harness.onLoop(registration::cancel);
        }
    }

    @Test
    void invalidHandleOnSubmitTellsTheHandleItsSocketIsGone() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = harness.register(handle);
            harness.onLoop(() -> {
                harness.kernel.faults().failNextPoll(NtStatus.INVALID_HANDLE);
                registration.submit(ops(AfdPollIoOps.READ));
            });
            harness.iterate();
            assertThat(handle.deliveries).singleElement()
                    .satisfies(d -> assertThat(d.events()).isEqualTo(Afd.POLL_LOCAL_CLOSE));
            assertThat(harness.kernel.pendingPolls(pair.client)).isZero();
            harness.onLoop(registration::cancel);
        }
    }

    @Test
    void anotherSubmitFailureReachesTheHandleAsAFailedPoll() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = harness.register(handle);
            harness.onLoop(() -> {
                harness.kernel.faults().failNextPoll(NtStatus.INVALID_PARAMETER);
                registration.submit(ops(AfdPollIoOps.READ));
            });
            harness.iterate();
            assertThat(handle.deliveries).as("stats %s", harness.stats(registration)).singleElement()
                    .satisfies(d -> assertThat(d.failure()).isEqualTo(NtStatus.INVALID_PARAMETER));
            harness.onLoop(registration::cancel);
        }
    }

    @Test
    void aStickyHangupIsAskedOfTheKernelOnceAndDeliveredOnce() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = registeredWith(handle, AfdPollIoOps.HANGUP);
            harness.kernel.shutdown(pair.server, Winsock.SD_SEND);
            harness.until(() -> handle.count(Afd.POLL_DISCONNECT) == 1, 10);

            AfdPollIoHandler.Stats afterHangup = harness.stats(registration);
            for (int i = 0; i < 20; i++) {
                harness.iterate();
            }
            AfdPollIoHandler.Stats later = harness.stats(registration);
            assertThat(later.submissions()).as("DISCONNECT lasts; asking again would complete at once, forever")
                    .isEqualTo(afterHangup.submissions());
            assertThat(later.packets()).isEqualTo(afterHangup.packets());
            assertThat(handle.count(Afd.POLL_DISCONNECT)).isEqualTo(1);
            AfdPollRegistration inner = harness.unwrap(registration, handle);
            assertThat(harness.onLoop(inner::armedMask) & Afd.POLL_DISCONNECT)
                    .as("only a reset is still asked for").isZero();

            // A read asked for later learns of the FIN without a poll: the kernel would only say it again.
            harness.onLoop(() -> registration.submit(ops(AfdPollIoOps.READ | AfdPollIoOps.HANGUP)));
            harness.iterate();
            assertThat(handle.count(Afd.POLL_DISCONNECT)).isGreaterThanOrEqualTo(2);
            assertThat(harness.stats(registration).submissions()).isEqualTo(afterHangup.submissions());
            harness.onLoop(registration::cancel);
        }
    }

    @Test
    void aCancelThatLosesTheRaceToACompletionLosesNoRead() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = registeredWith(handle, AfdPollIoOps.READ);
            harness.kernel.faults().raceNextCancel();
            harness.onLoop(() -> {
                pair.send(pair.server, new byte[] {1, 2, 3});
                registration.submit(ops(AfdPollIoOps.READ | AfdPollIoOps.WRITE));
            });
            harness.until(() -> handle.count(Afd.POLL_RECEIVE) > 0, 10);
            harness.until(() -> handle.count(Afd.POLL_SEND) > 0, 10);
            assertThat(harness.kernel.pendingPolls(pair.client)).isLessThanOrEqualTo(1);
            harness.onLoop(registration::cancel);
        }
    }

    @Test
    void aCancelThatLosesTheRaceWithNothingReadyRearmsAndStillSeesLaterData() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = registeredWith(handle, AfdPollIoOps.READ);
            pair.fill(pair.client);
            harness.kernel.faults().raceNextCancel();
            harness.onLoop(() -> registration.submit(ops(AfdPollIoOps.READ | AfdPollIoOps.WRITE)));
            harness.iterate();
            harness.iterate();
            pair.send(pair.server, new byte[] {9});
            harness.until(() -> handle.count(Afd.POLL_RECEIVE) > 0, 10);
            harness.onLoop(registration::cancel);
        }
    }

    @Test
    void delayedPacketsAreDeliveredLateButNotLost() throws Exception {
        try (SocketPair pair = SocketPair.open(harness.kernel)) {
            RecordingHandle handle = new RecordingHandle(pair.client);
            IoRegistration registration = registeredWith(handle, AfdPollIoOps.READ);
            harness.kernel.faults().delayNextCompletion(5);
            pair.send(pair.server, new byte[] {7});
            harness.until(() -> handle.count(Afd.POLL_RECEIVE) > 0, 10);
            harness.onLoop(registration::cancel);
        }
    }
}
