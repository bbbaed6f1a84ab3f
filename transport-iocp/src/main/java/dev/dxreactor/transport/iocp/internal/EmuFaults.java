package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Win32Error;

/**
 * The armed faults of one emulated kernel; each take* consumes one occurrence. Every completion and submission
 * asks, on every port's thread, so a take finds "nothing armed" from one volatile read without the monitor, which
 * would otherwise be one lock shared by all ports; arming sets the flag after the fault, under the monitor.
 */
final class EmuFaults implements EmulatedWindowsKernel.Faults {

    /** Some fault may be armed; cleared only under the monitor, once a take left none. */
    private volatile boolean armed;
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
        armed = true;
    }

    @Override
    public synchronized void raceNextCancel() {
        cancelRaces++;
        armed = true;
    }

    @Override
    public synchronized void failNextPoll(int ntStatus) {
        if (NtStatus.isSuccess(ntStatus)) {
            throw new IllegalArgumentException("a failure status, not " + NtStatus.name(ntStatus));
        }
        pollFailure = ntStatus;
        armed = true;
    }

    @Override
    public synchronized void failNextOverlapped(int win32Error) {
        if (win32Error == Win32Error.ERROR_SUCCESS || win32Error == Win32Error.ERROR_IO_PENDING) {
            throw new IllegalArgumentException("a failure code, not " + Win32Error.name(win32Error));
        }
        overlappedFailure = win32Error;
        armed = true;
    }

    int takeDelay() {
        if (!armed) {
            return 0;
        }
        synchronized (this) {
            int d = delay;
            delay = 0;
            disarmIfNone();
            return d;
        }
    }

    boolean takeCancelRace() {
        if (!armed) {
            return false;
        }
        synchronized (this) {
            if (cancelRaces == 0) {
                return false;
            }
            cancelRaces--;
            disarmIfNone();
            return true;
        }
    }

    int takePollFailure() {
        if (!armed) {
            return NtStatus.SUCCESS;
        }
        synchronized (this) {
            int f = pollFailure;
            pollFailure = NtStatus.SUCCESS;
            disarmIfNone();
            return f;
        }
    }

    int takeOverlappedFailure() {
        if (!armed) {
            return Win32Error.ERROR_SUCCESS;
        }
        synchronized (this) {
            int f = overlappedFailure;
            overlappedFailure = Win32Error.ERROR_SUCCESS;
            disarmIfNone();
            return f;
        }
    }

    private void disarmIfNone() {
        if (delay == 0 && cancelRaces == 0 && pollFailure == NtStatus.SUCCESS
                && overlappedFailure == Win32Error.ERROR_SUCCESS) {
            armed = false;
        }
    }
}
