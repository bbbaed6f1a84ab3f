package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Win32Error;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Armed faults are taken once each, and taking one leaves the others armed. */
class EmuFaultsTest {

    @Test
    void nothingArmedTakesNothing() {
        EmuFaults faults = new EmuFaults();
        assertThat(faults.takeDelay()).isZero();
        assertThat(faults.takeCancelRace()).isFalse();
        assertThat(faults.takePollFailure()).isEqualTo(NtStatus.SUCCESS);
        assertThat(faults.takeOverlappedFailure()).isEqualTo(Win32Error.ERROR_SUCCESS);
    }

    @Test
    void eachFaultIsTakenOnceAndTakingOneLeavesTheOthersArmed() {
        EmuFaults faults = new EmuFaults();
        faults.delayNextCompletion(3);
        faults.raceNextCancel();
        faults.raceNextCancel();
        faults.failNextPoll(NtStatus.INVALID_HANDLE);
        faults.failNextOverlapped(Win32Error.WSAENOBUFS);

        assertThat(faults.takePollFailure()).isEqualTo(NtStatus.INVALID_HANDLE);
        assertThat(faults.takePollFailure()).isEqualTo(NtStatus.SUCCESS);
        assertThat(faults.takeDelay()).isEqualTo(3);
        assertThat(faults.takeDelay()).isZero();
        assertThat(faults.takeCancelRace()).isTrue();
        assertThat(faults.takeOverlappedFailure()).isEqualTo(Win32Error.WSAENOBUFS);
        // The second race is still armed after every other fault was taken.
        assertThat(faults.takeCancelRace()).isTrue();
        assertThat(faults.takeCancelRace()).isFalse();
        assertThat(faults.takeOverlappedFailure()).isEqualTo(Win32Error.ERROR_SUCCESS);
    }

    @Test
    void aFaultArmedAfterAllWereTakenIsTakenAgain() {
        EmuFaults faults = new EmuFaults();
        faults.failNextPoll(NtStatus.INVALID_HANDLE);
        assertThat(faults.takePollFailure()).isEqualTo(NtStatus.INVALID_HANDLE);
        faults.delayNextCompletion(1);
        assertThat(faults.takeDelay()).isEqualTo(1);
        faults.failNextPoll(NtStatus.INVALID_PARAMETER);
        assertThat(faults.takePollFailure()).isEqualTo(NtStatus.INVALID_PARAMETER);
    }

    @Test
    void aFaultArmedOnOneThreadIsTakenOnAnotherThatStartsAfterwards() throws Exception {
        EmuFaults faults = new EmuFaults();
        faults.failNextOverlapped(Win32Error.WSAENOBUFS);
        assertThat(CompletableFuture.supplyAsync(faults::takeOverlappedFailure).get(30, TimeUnit.SECONDS))
                .isEqualTo(Win32Error.WSAENOBUFS);
        assertThat(faults.takeOverlappedFailure()).isEqualTo(Win32Error.ERROR_SUCCESS);
    }
}
