package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.AfdPollInfo;
import dev.dxreactor.transport.iocp.IoStatusBlock;
import dev.dxreactor.transport.iocp.NtStatus;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One emulated IOCTL_AFD_POLL in flight: its memory, the sockets it names and where it completes. Guarded by the
 * locks of the sockets it names.
 */
final class PollOperation {

    final MemorySegment ioStatusBlock;
    final MemorySegment pollInfo;
    /** The carrier: an {@link EmuSocket} or an {@link EmuHelper}. */
    final Object carrier;
    final EmuSocket[] sockets;
    final int[] masks;
    final boolean exclusive;
    /** Completed (or cancelled): a cancel or close that found it before taking the locks leaves it alone. */
    boolean done;

    PollOperation(MemorySegment ioStatusBlock, MemorySegment pollInfo, Object carrier, EmuSocket[] sockets,
            int[] masks, boolean exclusive) {
        this.ioStatusBlock = ioStatusBlock;
        this.pollInfo = pollInfo;
        this.carrier = carrier;
        this.sockets = sockets;
        this.masks = masks;
        this.exclusive = exclusive;
    }

    /** The carrier's set of pending polls. */
    java.util.Set<PollOperation> carrierSet() {
        return carrier instanceof EmuHelper h ? h.carried : ((EmuSocket) carrier).carried;
    }

    int maskFor(EmuSocket socket) {
        int mask = 0;
        for (int i = 0; i < sockets.length; i++) {
            if (sockets[i] == socket) {
                mask |= masks[i];
            }
        }
        return mask;
    }

    boolean names(EmuSocket socket) {
        return maskFor(socket) != 0 || java.util.Arrays.asList(sockets).contains(socket);
    }

    /**
     * The events each named socket reports now: what it asked for among what holds, and LOCAL_CLOSE (asked
     * for or not) for a socket being closed.
     */
    int[] evaluate(EmuSocket.Scratch scratch, EmuSocket closing) {
        int[] events = new int[sockets.length];
        for (int i = 0; i < sockets.length; i++) {
            events[i] = sockets[i] == closing || sockets[i].closed
                    ? Afd.POLL_LOCAL_CLOSE
                    : sockets[i].afdEvents(scratch) & masks[i];
        }
        return events;
    }

    static boolean any(int[] events) {
        for (int e : events) {
            if (e != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the results as AFD does: the reporting sockets packed at the front of {@code Handles},
     * {@code NumberOfHandles} their count; with none, the entries keep what was submitted.
     *
     * @return the IO_STATUS_BLOCK Information (16 + 16 per reported socket)
     */
    long writeResults(int status, int[] events) {
        int reported = 0;
        if (events != null) {
            for (int i = 0; i < sockets.length; i++) {
                if (events[i] == 0) {
                    continue;
                }
                long entry = AfdPollInfo.HANDLES + 16L * reported;
                int handleStatus = (events[i] & Afd.POLL_CONNECT_FAIL) != 0 ? sockets[i].connectStatus : 0;
                pollInfo.set(ValueLayout.JAVA_LONG, entry + AfdPollInfo.HANDLE_INFO_HANDLE, sockets[i].handle);
                pollInfo.set(ValueLayout.JAVA_INT, entry + AfdPollInfo.HANDLE_INFO_EVENTS, events[i]);
                pollInfo.set(ValueLayout.JAVA_INT, entry + AfdPollInfo.HANDLE_INFO_STATUS, handleStatus);
                reported++;
            }
        }
        long information = 0;
        if (status != NtStatus.CANCELLED) {
            pollInfo.set(ValueLayout.JAVA_INT, AfdPollInfo.NUMBER_OF_HANDLES, reported);
            information = AfdPollInfo.HANDLES + 16L * reported;
        }
        IoStatusBlock.complete(ioStatusBlock, status, information);
        return information;
    }
}
