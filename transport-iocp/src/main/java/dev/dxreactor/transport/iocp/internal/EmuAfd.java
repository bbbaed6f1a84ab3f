package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.AfdPollInfo;
import dev.dxreactor.transport.iocp.IoStatusBlock;
import dev.dxreactor.transport.iocp.NtStatus;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * AFD: helper handles and {@code IOCTL_AFD_POLL} submission and cancel. A poll is evaluated and completed under
 * the locks of the sockets it names (and of a carrier socket); it is entered in its carrier's set, whose monitor
 * also orders it against the carrier's close.
 */
final class EmuAfd {

    private final EmuHandles handles;
    private final EmuPorts ports;
    private final EmuFaults faults;

    EmuAfd(EmuHandles handles, EmuPorts ports, EmuFaults faults) {
        this.handles = handles;
        this.ports = ports;
        this.faults = faults;
    }

    long openHelper(String name) {
        if (name == null || name.isEmpty() || name.contains("\\")) {
            throw new IllegalArgumentException("an AFD helper name is one path element, not '" + name + "'");
        }
        return handles.add(handle -> new EmuHelper(handle, name));
    }

    int poll(long carrier, MemorySegment ioStatusBlock, MemorySegment pollInfo) {
        if (ioStatusBlock.byteSize() < IoStatusBlock.LAYOUT.byteSize()) {
            throw new IllegalArgumentException("an IO_STATUS_BLOCK needs 16 bytes, not " + ioStatusBlock.byteSize());
        }
        int failure = faults.takePollFailure();
        if (failure != NtStatus.SUCCESS) {
            return failure;
        }
        Object carrierObject = handles.get(carrier);
        if (!(carrierObject instanceof EmuHelper) && !(carrierObject instanceof EmuSocket)) {
            return NtStatus.INVALID_HANDLE;
        }
        int count = AfdPollInfo.numberOfHandles(pollInfo);
        if (count < 1 || pollInfo.byteSize() < AfdPollInfo.HANDLES + 16L * count) {
            return NtStatus.INVALID_PARAMETER;
        }
        EmuSocket[] sockets = new EmuSocket[count];
        int[] masks = new int[count];
        for (int i = 0; i < count; i++) {
            if (!(handles.get(AfdPollInfo.handle(pollInfo, i)) instanceof EmuSocket s)) {
                return NtStatus.INVALID_HANDLE;
            }
            sockets[i] = s;
            masks[i] = AfdPollInfo.events(pollInfo, i);
        }
        List<EmuSocket> seeds = new ArrayList<>(Arrays.asList(sockets));
        if (carrierObject instanceof EmuSocket carrierSocket) {
            seeds.add(carrierSocket);
        }
        try (EmuLocks held = EmuLocks.closure(seeds)) {
            for (EmuSocket s : seeds) {
                if (s.closed) {
                    return NtStatus.INVALID_HANDLE;
                }
            }
            return submit(carrierObject, sockets, masks, ioStatusBlock, pollInfo);
        }
    }

    private int submit(Object carrierObject, EmuSocket[] sockets, int[] masks, MemorySegment ioStatusBlock,
            MemorySegment pollInfo) {
        for (EmuSocket s : sockets) {
            ports.touch(s);
        }
        for (EmuSocket s : sockets) {
            // Pending overlapped reads take data as it arrives, before any later poll could see it.
            ports.progressQueue(s.reads, null);
        }
        IoStatusBlock.reset(ioStatusBlock);
        PollOperation poll = new PollOperation(ioStatusBlock, pollInfo, carrierObject, sockets, masks,
                AfdPollInfo.exclusive(pollInfo));
        Set<PollOperation> carried = poll.carrierSet();
        synchronized (carried) {
            if (carrierObject instanceof EmuHelper h && h.closed) {
                return NtStatus.INVALID_HANDLE;
            }
            carried.add(poll);
        }
        for (EmuSocket s : sockets) {
            // An exclusive poll ends the socket's main poll when that one was exclusive too.
            if (s.mainPoll != null && s.mainPoll.exclusive && poll.exclusive) {
                ports.completePoll(s.mainPoll, NtStatus.SUCCESS, null, false);
            }
            if (s.mainPoll == null) {
                s.mainPoll = poll;
            }
            s.polls.add(poll);
        }
        int[] events = poll.evaluate(EmuSocket.Scratch.local(), null);
        if (PollOperation.any(events) || AfdPollInfo.timeout(pollInfo) == 0) {
            ports.completePoll(poll, NtStatus.SUCCESS, events, true);
            return NtStatus.SUCCESS;
        }
        EmuPort port = carrierObject instanceof EmuHelper h ? h.port : ((EmuSocket) carrierObject).port;
        for (EmuSocket s : sockets) {
            ports.watch(s, port);
        }
        return NtStatus.PENDING;
    }

    int cancel(long carrier, MemorySegment ioStatusBlock) {
        Object carrierObject = handles.get(carrier);
        if (carrierObject == null) {
            return NtStatus.INVALID_HANDLE;
        }
        PollOperation found = null;
        for (PollOperation poll : carriedBy(carrierObject)) {
            if (poll.ioStatusBlock.address() == ioStatusBlock.address()) {
                found = poll;
            }
        }
        if (found == null) {
            return NtStatus.NOT_FOUND;
        }
        try (EmuLocks held = EmuLocks.closure(Arrays.asList(found.sockets))) {
            if (found.done) {
                // Completed between the look-up and the locks: as a cancel that came too late on Windows.
                return NtStatus.NOT_FOUND;
            }
            if (faults.takeCancelRace()) {
                int[] events = found.evaluate(EmuSocket.Scratch.local(), null);
                ports.completePoll(found, NtStatus.SUCCESS, PollOperation.any(events) ? events : null, false);
                return NtStatus.NOT_FOUND;
            }
            ports.completePoll(found, NtStatus.CANCELLED, null, false);
            return NtStatus.SUCCESS;
        }
    }

    /** Closes a helper whose handle was just removed: its polls end cancelled, and no new one is taken. */
    void closeHelper(EmuHelper helper) {
        List<PollOperation> polls;
        synchronized (helper.carried) {
            helper.closed = true;
            polls = new ArrayList<>(helper.carried);
        }
        for (PollOperation poll : polls) {
            try (EmuLocks held = EmuLocks.closure(Arrays.asList(poll.sockets))) {
                if (!poll.done) {
                    ports.completePoll(poll, NtStatus.CANCELLED, null, false);
                }
            }
        }
    }

    /** The pending polls {@code carrier} (a socket or helper) carries; none for other objects. */
    static List<PollOperation> carriedBy(Object carrier) {
        Set<PollOperation> set = carrier instanceof EmuHelper h ? h.carried
                : carrier instanceof EmuSocket s ? s.carried : null;
        if (set == null) {
            return List.of();
        }
        synchronized (set) {
            return new ArrayList<>(set);
        }
    }
}
