package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Win32Error;

/** The armed faults of one emulated kernel; each take* consumes one occurrence. */
final class EmuFaults implements EmulatedWindowsKernel.Faults {

    private int delay;
    private int cancelRaces;
    private int pollFailure = NtStatus.SUCCESS;
    private int overlappedFailure = Win32Error.ERROR_SUCCESS;

    @Override
    public synchronized void delayNextCompletion(int dequeues) {
        if (dequeues < 1) {
            throw new IllegalArgumentException("delay by at least one dequeue, not " + dequeues);
        }
        delay = dequeues;
    }

    @Override
    public synchronized void raceNextCancel() {
        cancelRaces++;
    }

    @Override
    public synchronized void failNextPoll(int ntStatus) {
        if (NtStatus.isSuccess(ntStatus)) {
            throw new IllegalArgumentException("a failure status, not " + NtStatus.name(ntStatus));
        }
        pollFailure = ntStatus;
    }

    @Override
    public synchronized void failNextOverlapped(int win32Error) {
        if (win32Error == Win32Error.ERROR_SUCCESS || win32Error == Win32Error.ERROR_IO_PENDING) {
            throw new IllegalArgumentException("a failure code, not " + Win32Error.name(win32Error));
        }
        overlappedFailure = win32Error;
    }

    synchronized int takeDelay() {
        int d = delay;
        delay = 0;
        return d;
    }

    synchronized boolean takeCancelRace() {
        if (cancelRaces == 0) {
            return false;
        }
        cancelRaces--;
        return true;
    }

    synchronized int takePollFailure() {
        int f = pollFailure;
        pollFailure = NtStatus.SUCCESS;
        return f;
    }

    synchronized int takeOverlappedFailure() {
        int f = overlappedFailure;
        overlappedFailure = Win32Error.ERROR_SUCCESS;
        return f;
    }
}
