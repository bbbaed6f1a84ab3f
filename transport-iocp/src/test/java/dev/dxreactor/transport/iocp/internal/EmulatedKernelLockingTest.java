package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.AfdPollInfo;
import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Overlapped;
import dev.dxreactor.transport.iocp.OverlappedEntry;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.WsaBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulated kernel's locking: each port and each socket has its own lock, so a dequeue on one port does not
 * wait for work on another port's sockets, and calls racing on one poll or on many ports stay consistent.
 */
@EnabledOnOs(OS.LINUX)
class EmulatedKernelLockingTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** {client, accepted}; the accepted end is non-blocking and associated with {@code port} under {@code key}. */
    private static long[] pair(WindowsKernel kernel, long port, long key) throws WindowsException {
        long listener = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        kernel.bind(listener, LOOPBACK);
        kernel.listen(listener, 4);
        long client = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        kernel.connect(client, kernel.localAddress(listener));
        long accepted = kernel.accept(listener);
        kernel.closeSocket(listener);
        kernel.setNonBlocking(accepted, true);
        kernel.associate(accepted, port, key);
        return new long[] {client, accepted};
    }

    @Test
    void aDequeueOnOnePortDoesNotWaitWhileASocketOfAnotherPortIsHeld() throws Exception {
        EmuHandles handles = new EmuHandles();
        EmuFaults faults = new EmuFaults();
        EmuPorts ports = new EmuPorts(handles, faults);
        EmuWinsock winsock = new EmuWinsock(handles, ports);
        EmuOverlapped overlapped = new EmuOverlapped(handles, ports, winsock, faults);
        long busyPort = ports.create(0);
        long freePort = ports.create(0);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Arena arena = Arena.ofShared()) {
            long listener = winsock.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
            winsock.bind(listener, LOOPBACK);
            winsock.listen(listener, 4);
            long client = winsock.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
            winsock.connect(client, winsock.localAddress(listener));
            long accepted = winsock.accept(listener);
            winsock.closeSocket(listener);
            ports.associate(accepted, busyPort, 1);
            MemorySegment ov = arena.allocate(Overlapped.LAYOUT);
            MemorySegment bufs = arena.allocate(WsaBuf.LAYOUT);
            WsaBuf.set(bufs, 0, arena.allocate(16));
            assertThat(overlapped.wsaRecv(accepted, bufs, 1, ov)).isEqualTo(Win32Error.ERROR_IO_PENDING);

            EmuSocket busy = (EmuSocket) handles.get(accepted);
            MemorySegment entries = arena.allocate(OverlappedEntry.LAYOUT, 8);
            int removed;
            // As if a dequeue on busyPort were moving that socket forward: the other port's dequeue goes on.
            busy.lock.lock();
            try {
                Future<Integer> dequeued = other.submit(() -> {
                    ports.post(freePort, 2, 0x40, 3);
                    return ports.dequeue(freePort, entries, 10_000);
                });
                removed = dequeued.get(30, TimeUnit.SECONDS);
            } finally {
                busy.lock.unlock();
            }
            assertThat(removed).isEqualTo(1);
            assertThat(OverlappedEntry.completionKey(entries, 0)).isEqualTo(2);

            MemorySegment data = arena.allocate(5).fill((byte) 'x');
            assertThat(winsock.send(client, data, 0)).isEqualTo(5);
            assertThat(ports.dequeue(busyPort, entries, 10_000)).isEqualTo(1);
            assertThat(OverlappedEntry.overlapped(entries, 0)).isEqualTo(ov.address());
            assertThat(OverlappedEntry.bytesTransferred(entries, 0)).isEqualTo(5);
            winsock.closeSocket(client);
            winsock.closeSocket(accepted);
        } finally {
            other.shutdownNow();
            ports.close((EmuPort) handles.get(busyPort));
            ports.close((EmuPort) handles.get(freePort));
        }
        assertThat(ports.violations()).isEmpty();
    }

    @Test
    void aCancelRacingTheHelpersCloseEndsThePollOnce() throws Exception {
        EmulatedWindowsKernel kernel = WindowsKernel.emulated();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        long port = kernel.createCompletionPort();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment entries = arena.allocate(OverlappedEntry.SIZE * 8, 8);
            long[] p = pair(kernel, port, 9);
            for (int round = 0; round < 200; round++) {
                long helper = kernel.openAfdHelper("Race");
                kernel.associate(helper, port, 1);
                MemorySegment memory = arena.allocate(16 + 32, 8);
                AfdPollInfo.prepare(memory.asSlice(16, 32), p[1], Afd.POLL_RECEIVE, false);
                assertThat(kernel.afdPoll(helper, memory.asSlice(0, 16), memory.asSlice(16, 32)))
                        .isEqualTo(NtStatus.PENDING);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Integer> cancel = threads.submit(() -> {
                    start.await();
                    return kernel.cancelAfdPoll(helper, memory.asSlice(0, 16));
                });
                Future<?> close = threads.submit(() -> {
                    start.await();
                    kernel.closeHandle(helper);
                    return null;
                });
                close.get(30, TimeUnit.SECONDS);
                assertThat(cancel.get(30, TimeUnit.SECONDS))
                        .isIn(NtStatus.SUCCESS, NtStatus.NOT_FOUND, NtStatus.INVALID_HANDLE);
                int packets = 0;
                int n;
                while ((n = kernel.dequeue(port, entries, packets == 0 ? 10_000 : 20)) > 0) {
                    for (int i = 0; i < n; i++) {
                        assertThat(OverlappedEntry.overlapped(entries, i)).isEqualTo(memory.address());
                        assertThat(OverlappedEntry.status(entries, i)).isEqualTo(NtStatus.CANCELLED);
                    }
                    packets += n;
                }
                assertThat(packets).as("round %d: packets of the one poll", round).isEqualTo(1);
            }
            kernel.closeSocket(p[0]);
            kernel.closeSocket(p[1]);
        } finally {
            threads.shutdownNow();
            kernel.closeHandle(port);
        }
        assertThat(kernel.memoryViolations()).isEmpty();
    }

    @Test
    void loopsOnTheirOwnPortsRunSideBySide() throws Exception {
        EmulatedWindowsKernel kernel = WindowsKernel.emulated();
        int loops = 4;
        int rounds = 300;
        ExecutorService threads = Executors.newFixedThreadPool(loops);
        try {
            List<CompletableFuture<Integer>> done = new ArrayList<>();
            for (int l = 0; l < loops; l++) {
                done.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return echoRounds(kernel, rounds);
                    } catch (WindowsException e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            for (CompletableFuture<Integer> loop : done) {
                assertThat(loop.get(120, TimeUnit.SECONDS)).isEqualTo(rounds);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(kernel.memoryViolations()).isEmpty();
    }

    /** On a port of its own: WSASend on one end, WSARecv on the other, both packets dequeued, round after round. */
    private static int echoRounds(WindowsKernel kernel, int rounds) throws WindowsException {
        long port = kernel.createCompletionPort();
        try (Arena arena = Arena.ofConfined()) {
            long[] p = pair(kernel, port, 5);
            kernel.setNonBlocking(p[0], true);
            kernel.associate(p[0], port, 6);
            MemorySegment entries = arena.allocate(OverlappedEntry.SIZE * 4, 8);
            MemorySegment sendOv = arena.allocate(Overlapped.LAYOUT);
            MemorySegment recvOv = arena.allocate(Overlapped.LAYOUT);
            MemorySegment sendBufs = arena.allocate(WsaBuf.LAYOUT);
            MemorySegment recvBufs = arena.allocate(WsaBuf.LAYOUT);
            WsaBuf.set(sendBufs, 0, arena.allocate(32).fill((byte) 'y'));
            WsaBuf.set(recvBufs, 0, arena.allocate(32));
            int completed = 0;
            for (int round = 0; round < rounds; round++) {
                kernel.wsaRecv(p[1], recvBufs, 1, recvOv);
                kernel.wsaSend(p[0], sendBufs, 1, sendOv);
                // Without skip-port-on-success each operation has its packet, whether it finished at once or not.
                int packets = 0;
                long received = 0;
                while (packets < 2) {
                    int n = kernel.dequeue(port, entries, 10_000);
                    if (n == 0) {
                        return completed;
                    }
                    for (int i = 0; i < n; i++) {
                        if (OverlappedEntry.status(entries, i) != NtStatus.SUCCESS) {
                            return completed;
                        }
                        if (OverlappedEntry.overlapped(entries, i) == recvOv.address()) {
                            received += OverlappedEntry.bytesTransferred(entries, i);
                        }
                    }
                    packets += n;
                }
                // A receive may take part of the bytes sent; the rest waits for the next round's receive.
                if (received > 0) {
                    completed++;
                }
            }
            kernel.closeSocket(p[0]);
            kernel.closeSocket(p[1]);
            return completed;
        } finally {
            kernel.closeHandle(port);
        }
    }
}
