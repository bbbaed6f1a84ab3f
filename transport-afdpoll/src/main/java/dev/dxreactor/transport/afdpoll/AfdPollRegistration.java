package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.AfdPollInfo;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;

import java.lang.foreign.MemorySegment;

/**
 * One socket's registration with an {@link AfdPollIoHandler}: its desired interest, the poll armed for it, and
 * the memory of that poll. Loop thread only.
 *
 * <p>The poll goes Idle -> Pending -> (Cancelling) -> packet -> Idle; at most one is outstanding (rule 1). A new
 * poll is submitted only from Idle, so after a cancel the next one waits for the cancelled poll's packet (rule
 * 3). The memory block stays with the registration until no packet is owed, even after the channel closed
 * (rule 2).
 */
final class AfdPollRegistration implements IoRegistration {

    /** Events whose condition lasts; AFD reports them on every poll that asks, so each is asked for until seen. */
    static final int STICKY = Afd.POLL_DISCONNECT | Afd.POLL_ABORT | Afd.POLL_CONNECT_FAIL;

    private static final int HANGUP_EVENTS = Afd.POLL_DISCONNECT | Afd.POLL_ABORT;

    private static final int IDLE = 0;
    private static final int PENDING = 1;
    private static final int CANCELLING = 2;

    private final AfdPollIoHandler handler;
    private final AfdPollIoHandle handle;
    private final AfdPollIoEvent event = new AfdPollIoEvent();

    private MemorySegment block;
    private MemorySegment ioStatusBlock;
    private MemorySegment pollInfo;
    private long carrier = Winsock.INVALID_HANDLE;
    private long polledSocket = Winsock.INVALID_HANDLE;
    private HelperCarriers.Helper helper;

    private int desired;
    private int state = IDLE;
    private int armedMask;
    private int seenSticky;
    private boolean valid = true;
    private boolean socketGone;
    boolean queued;
    boolean parked;
    /**
     * Re-armed for read memory: its next read may take a free chunk although others wait, since its turn came.
     * Loop thread only.
     */
    boolean readTurn;
    /** Its turn came but the chunk was gone: it parks at the head of the queue. Loop thread only. */
    boolean readTurnMissed;
    /** The pool's grant count when this socket parked, -1 while it waits for none. Loop thread only. */
    long parkedAtGrant = -1;
    /** Read chunks this socket's buffers hold; they come back on whichever thread releases them. */
    final java.util.concurrent.atomic.AtomicInteger readChunksHeld = new java.util.concurrent.atomic.AtomicInteger();

    AfdPollRegistration(AfdPollIoHandler handler, AfdPollIoHandle handle) {
        this.handler = handler;
        this.handle = handle;
    }

    AfdPollIoHandle handle() {
        return handle;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) handler;
    }

    /** Records the desired interest; the poll follows when the loop next reconciles. Returns the interest bits. */
    @Override
    public long submit(IoOps ops) {
        handler.checkInLoop("submit");
        int value = ((AfdPollIoOps) ops).value();
        if (valid && value != desired) {
            desired = value;
            changed();
        }
        return value;
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public boolean cancel() {
        handler.checkInLoop("cancel");
        if (!valid) {
            return false;
        }
        valid = false;
        desired = 0;
        handler.unregister(this);
        if (state == PENDING) {
            requestCancel();
        }
        releaseIfIdle();
        handle.unregistered();
        return true;
    }

    /** No read memory is left: read interest waits unarmed until the pool re-arms this registration. */
    void parkForReadMemory() {
        handler.readMemory().park(this);
        changed();
    }

    void changed() {
        if (!queued) {
            queued = true;
            handler.changed(this);
        }
    }

    /** Brings the armed poll in line with the desired interest (rule 4). */
    void reconcile() {
        queued = false;
        if (!valid || socketGone || state == CANCELLING) {
            return;
        }
        int interest = parked ? desired & ~AfdPollIoOps.READ : desired;
        int hangup = seenSticky & HANGUP_EVENTS;
        boolean repeatHangup = (interest & AfdPollIoOps.READ) != 0 && hangup != 0;
        if (repeatHangup) {
            // The kernel reported the peer's FIN or RST once and it still holds: a poll would complete at once.
            interest &= ~AfdPollIoOps.READ;
        }
        int mask = afdMask(interest) & ~seenSticky;
        if (mask != 0) {
            mask |= Afd.POLL_LOCAL_CLOSE;
            if (state == IDLE) {
                arm(mask);
            } else if ((mask & ~armedMask) != 0) {
                // A pending poll that misses a wanted event must go first; the new one is armed after its packet.
                requestCancel();
            }
        }
        // Otherwise nothing is wanted: stay unarmed; a poll still pending for less completes and is not renewed.
        if (repeatHangup && valid && !socketGone) {
            changed();
            deliver(event.reset(hangup, NtStatus.SUCCESS));
        }
    }

    private static int afdMask(int interest) {
        int mask = 0;
        if ((interest & AfdPollIoOps.READ) != 0) {
            mask |= Afd.POLL_RECEIVE | Afd.POLL_DISCONNECT | Afd.POLL_ABORT;
        }
        if ((interest & AfdPollIoOps.WRITE) != 0) {
            mask |= Afd.POLL_SEND | Afd.POLL_ABORT;
        }
        if ((interest & AfdPollIoOps.ACCEPT) != 0) {
            mask |= Afd.POLL_ACCEPT;
        }
        if ((interest & AfdPollIoOps.CONNECT) != 0) {
            mask |= Afd.POLL_CONNECT | Afd.POLL_CONNECT_FAIL;
        }
        if ((interest & AfdPollIoOps.HANGUP) != 0) {
            mask |= HANGUP_EVENTS;
        }
        return mask;
    }

    private void arm(int mask) {
        long socket = handle.socket();
        if (socket == Winsock.INVALID_HANDLE) {
            if (polledSocket != Winsock.INVALID_HANDLE) {
                // Polled before, so the channel closed its socket. Windows hands closed socket values to new
                // sockets: polling the remembered one could poll someone else's. Rule 5, without asking the kernel.
                socketGone = true;
                deliver(event.reset(Afd.POLL_LOCAL_CLOSE, NtStatus.SUCCESS));
            }
            return;
        }
        try {
            prepareCarrier(socket);
        } catch (WindowsException | IllegalStateException e) {
            socketGone = true;
            deliverFailure(e);
            return;
        }
        AfdPollInfo.prepare(pollInfo, polledSocket, mask, false);
        handler.inFlight(ioStatusBlock.address(), this);
        int status = handler.kernel().afdPoll(carrier, ioStatusBlock, pollInfo);
        handler.countSubmission();
        if (status == NtStatus.PENDING || status == NtStatus.SUCCESS) {
            // SUCCESS: done at once, the packet still follows (the port is never skipped on success here).
            state = PENDING;
            armedMask = mask;
            return;
        }
        handler.notInFlight(ioStatusBlock.address());
        socketGone = true;
        if (status == NtStatus.INVALID_HANDLE) {
            // Rule 5: the socket is closed.
            deliver(event.reset(Afd.POLL_LOCAL_CLOSE, NtStatus.SUCCESS));
        } else {
            deliver(event.failure(status, null));
        }
    }

    private void prepareCarrier(long socket) throws WindowsException {
        if (block == null) {
            block = handler.blocks().take();
            ioStatusBlock = PollBlocks.ioStatusBlock(block);
            pollInfo = PollBlocks.pollInfo(block);
        }
        if (polledSocket != Winsock.INVALID_HANDLE) {
            return;
        }
        long base = handler.kernel().baseHandle(socket);
        if (handler.config().carrier() == AfdPollCarrier.BASE_SOCKET) {
            try {
                handler.kernel().associate(base, handler.port(), AfdPollIoHandler.SOCKET_KEY);
            } catch (WindowsException e) {
                throw new IllegalStateException("the socket is bound to the completion port of the event loop it was"
                        + " first polled on (AfdPollCarrier.BASE_SOCKET), so it cannot be polled from another: " + e.getMessage(), e);
            }
            carrier = base;
        } else {
            helper = handler.helpers().acquire();
            carrier = helper.handle;
        }
        polledSocket = base;
    }

    private void requestCancel() {
        state = CANCELLING;
        handler.countCancel();
        // SUCCESS or NOT_FOUND: either way the poll's packet follows, and only then may a new poll go out.
        handler.kernel().cancelAfdPoll(carrier, ioStatusBlock);
    }

    /** The poll's packet was dequeued. Decodes it in the order of rule 6; true when an event reached the handle. */
    boolean completed(int status) {
        state = IDLE;
        armedMask = 0;
        if (!valid) {
            releaseIfIdle();
            return false;
        }
        if (status == NtStatus.CANCELLED) {
            changed();
            return false;
        }
        if (status != NtStatus.SUCCESS) {
            if (status == NtStatus.TIMEOUT) {
                // The carrier went away under the poll; nothing happened on this socket.
                changed();
                return false;
            }
            socketGone = true;
            return deliver(event.failure(status, null));
        }
        if (AfdPollInfo.numberOfHandles(pollInfo) == 0) {
            // Ended without events; Events still holds what was asked.
            changed();
            return false;
        }
        int events = AfdPollInfo.events(pollInfo, 0);
        if ((events & Afd.POLL_LOCAL_CLOSE) != 0) {
            socketGone = true;
            return false;
        }
        int wanted = afdMask(desired);
        events &= wanted;
        seenSticky |= events & STICKY;
        changed();
        if (events == 0) {
            return false;
        }
        return deliver(event.reset(events, AfdPollInfo.status(pollInfo, 0)));
    }

    private boolean deliver(AfdPollIoEvent e) {
        try {
            handle.handle(this, e);
        } catch (Throwable t) {
            AfdPollIoHandler.LOG.warn("an AfdPollIoHandle failed to handle {}", e, t);
        }
        return true;
    }

    private void deliverFailure(Exception cause) {
        int status = cause instanceof WindowsException w && w.isNtStatus() ? w.code() : NtStatus.INVALID_PARAMETER;
        deliver(event.failure(status, cause));
    }

    /** Hands back the poll memory and the carrier slot once the registration is over and no packet is owed. */
    private void releaseIfIdle() {
        if (valid || state != IDLE) {
            return;
        }
        if (block != null) {
            handler.blocks().give(block);
            block = null;
        }
        if (helper != null) {
            handler.helpers().release(helper);
            helper = null;
        }
    }

    int armedMask() {
        return armedMask;
    }

    boolean cancelling() {
        return state == CANCELLING;
    }

    @Override
    public String toString() {
        return "AfdPollRegistration(desired=" + AfdPollIoOps.valueOf(desired) + ", armed="
                + Afd.eventNames(armedMask) + ", state=" + (state == IDLE ? "idle" : state == PENDING ? "pending" : "cancelling")
                + (valid ? "" : ", cancelled") + ")";
    }
}
