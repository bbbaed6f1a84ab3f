package dev.dxreactor.transport.iocp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of peer data, peer close, read interest on and off, cancel (plain, racing its completion,
 * or with a delayed packet), local close and dequeue, driven through the emulated kernel by a minimal AFD
 * poll driver that keeps the design page's rules. Invariants: at most one poll per socket; no operation's
 * memory released before its packet (each poll owns an arena, closed when its packet is dequeued, which the
 * emulator checks); readiness never lost (with data waiting and read interest armed a RECEIVE packet
 * arrives); nothing delivered after close.
 */
@AddLifecycleHook(LinuxOnly.class)
class PollDriverStateMachineTest {

    @Property(tries = 100)
    void pollDriverKeepsTheRules(@ForAll("chains") ActionChain<PollDriver> chain) throws Exception {
        chain.withInvariant("one poll per socket", PollDriver::checkOnePoll)
                .withInvariant("no memory released early", PollDriver::checkMemory)
                .run();
        PollDriver driver = chain.finalState().orElseThrow();
        try {
            driver.checkReadinessNotLost();
        } finally {
            driver.close();
        }
    }

    @Provide
    Arbitrary<ActionChain<PollDriver>> chains() {
        ActionChainArbitrary<PollDriver> chain = ActionChain.startWith(PollDriver::open)
                .withAction(3, Action.just("data arrives", d -> d.peerSends()))
                .withAction(1, Action.just("peer closes", d -> d.peerCloses()))
                .withAction(2, Action.just("toggle read interest", d -> d.toggleInterest()))
                .withAction(2, Action.just("drain", d -> d.drain()))
                .withAction(1, Action.just("cancel", d -> d.cancel(false)))
                .withAction(1, Action.just("cancel racing completion", d -> d.cancel(true)))
                .withAction(1, Action.just("delay next packet", d -> d.delayNextPacket()))
                .withAction(1, Action.just("local close", d -> d.localClose()))
                .withAction(4, Action.just("reconcile and dequeue", d -> d.reconcileAndDequeue(0)));
        return chain.withMaxTransformations(30);
    }

    /** The subject: one accepted socket B (peer A) polled through a helper, as an AFD transport would. */
    static final class PollDriver {
        enum Poll { IDLE, PENDING, CANCELLING }

        final EmulatedWindowsKernel kernel = WindowsKernel.emulated();
        final long port;
        final long helper;
        final long a;
        final long b;
        final MemorySegment entries;
        final Arena scratch = Arena.ofConfined();
        Poll poll = Poll.IDLE;
        Arena pollArena;
        MemorySegment pollMemory;
        boolean readInterest = true;
        boolean peerOpen = true;
        boolean open = true;
        boolean closeReported;
        boolean disconnectSeen;
        boolean receiveSeen;
        long unread;

        private PollDriver() throws WindowsException {
            port = kernel.createCompletionPort();
            helper = kernel.openAfdHelper("StateMachine");
            kernel.associate(helper, port, 1);
            long listener = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
            kernel.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            kernel.listen(listener, 1);
            a = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
            kernel.connect(a, kernel.localAddress(listener));
            b = kernel.accept(listener);
            kernel.closeSocket(listener);
            kernel.setNonBlocking(a, true);
            kernel.setNonBlocking(b, true);
            entries = scratch.allocate(OverlappedEntry.SIZE * 8, 8);
        }

        static PollDriver open() {
            try {
                return new PollDriver();
            } catch (WindowsException e) {
                throw new IllegalStateException(e);
            }
        }

        PollDriver peerSends() {
            // Once B is closed its peer may have been reset; what it does then no longer concerns B.
            if (peerOpen && open) {
                MemorySegment data = scratch.allocate(7);
                try {
                    int n = kernel.send(a, data, 0);
                    unread += Math.max(0, n);
                } catch (WindowsException e) {
                    throw new IllegalStateException(e);
                }
            }
            return this;
        }

        PollDriver peerCloses() {
            if (peerOpen && open) {
                try {
                    kernel.shutdown(a, Winsock.SD_SEND);
                } catch (WindowsException e) {
                    throw new IllegalStateException(e);
                }
                peerOpen = false;
            }
            return this;
        }

        PollDriver toggleInterest() {
            readInterest = !readInterest;
            return this;
        }

        PollDriver drain() {
            if (!open) {
                return this;
            }
            MemorySegment buffer = scratch.allocate(64);
            try {
                int n;
                while ((n = kernel.recv(b, buffer, 0)) > 0) {
                    unread -= n;
                }
            } catch (WindowsException e) {
                throw new IllegalStateException(e);
            }
            assertThat(unread).as("bytes left after draining").isZero();
            return this;
        }

        PollDriver cancel(boolean racing) {
            if (poll == Poll.PENDING) {
                if (racing) {
                    kernel.faults().raceNextCancel();
                }
                int status = kernel.cancelAfdPoll(helper, pollMemory.asSlice(0, 16));
                assertThat(NtStatus.name(status)).isIn("STATUS_SUCCESS", "STATUS_NOT_FOUND");
                poll = Poll.CANCELLING;
            }
            return this;
        }

        PollDriver delayNextPacket() {
            kernel.faults().delayNextCompletion(2);
            return this;
        }

        PollDriver localClose() {
            if (open) {
                try {
                    kernel.closeSocket(b);
                } catch (WindowsException e) {
                    throw new IllegalStateException(e);
                }
                open = false;
                closeReported = poll == Poll.IDLE;
            }
            return this;
        }

        /** Rule 4: arm when read is wanted and nothing is pending; then dequeue one batch (rule 6 decoding). */
        PollDriver reconcileAndDequeue(int timeoutMillis) {
            try {
                if (open && readInterest && poll == Poll.IDLE) {
                    pollArena = Arena.ofConfined();
                    pollMemory = pollArena.allocate(48, 8);
                    int events = Afd.POLL_RECEIVE | Afd.POLL_ABORT | Afd.POLL_LOCAL_CLOSE
                            | (disconnectSeen ? 0 : Afd.POLL_DISCONNECT);
                    AfdPollInfo.prepare(pollMemory.asSlice(16), b, events, false);
                    int status = kernel.afdPoll(helper, pollMemory.asSlice(0, 16), pollMemory.asSlice(16));
                    assertThat(NtStatus.name(status)).isIn("STATUS_PENDING", "STATUS_SUCCESS");
                    poll = Poll.PENDING;
                }
                int n = kernel.dequeue(port, entries, timeoutMillis);
                for (int i = 0; i < n; i++) {
                    handle(OverlappedEntry.overlapped(entries, i), OverlappedEntry.status(entries, i));
                }
            } catch (WindowsException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        private void handle(long overlapped, int status) {
            assertThat(closeReported).as("a packet after the socket's close was reported").isFalse();
            assertThat(poll).as("a packet with no poll in flight").isNotEqualTo(Poll.IDLE);
            assertThat(overlapped).isEqualTo(pollMemory.address());
            MemorySegment info = pollMemory.asSlice(16);
            int events = 0;
            if (status != NtStatus.CANCELLED && AfdPollInfo.numberOfHandles(info) > 0) {
                events = AfdPollInfo.events(info, 0);
            }
            pollArena.close();
            pollArena = null;
            poll = Poll.IDLE;
            if ((events & Afd.POLL_LOCAL_CLOSE) != 0 || !open) {
                assertThat(open).as("LOCAL_CLOSE only for a closed socket").isFalse();
                closeReported = true;
                return;
            }
            if ((events & Afd.POLL_DISCONNECT) != 0) {
                assertThat(peerOpen).as("DISCONNECT only after the peer's FIN").isFalse();
                disconnectSeen = true;
            }
            if ((events & Afd.POLL_RECEIVE) != 0) {
                receiveSeen = true;
            }
        }

        void checkOnePoll() {
            if (open) {
                assertThat(kernel.pendingPolls(b)).isLessThanOrEqualTo(1);
            }
        }

        void checkMemory() {
            assertThat(kernel.memoryViolations()).isEmpty();
        }

        /** Data waiting and read interest armed: a RECEIVE packet comes (a few dequeues at most). */
        void checkReadinessNotLost() {
            if (!open || unread == 0) {
                return;
            }
            readInterest = true;
            receiveSeen = false;
            for (int i = 0; i < 10 && !receiveSeen; i++) {
                reconcileAndDequeue(1000);
            }
            assertThat(receiveSeen).as("RECEIVE with %d bytes unread and read armed", unread).isTrue();
        }

        void close() throws WindowsException {
            if (open) {
                kernel.closeSocket(b);
                open = false;
            }
            kernel.closeSocket(a);
            while (poll != Poll.IDLE) {
                int n = kernel.dequeue(port, entries, 1000);
                for (int i = 0; i < n; i++) {
                    if (OverlappedEntry.overlapped(entries, i) == pollMemory.address()) {
                        pollArena.close();
                        poll = Poll.IDLE;
                    }
                }
            }
            kernel.closeHandle(helper);
            kernel.closeHandle(port);
            scratch.close();
            checkMemory();
        }
    }
}
