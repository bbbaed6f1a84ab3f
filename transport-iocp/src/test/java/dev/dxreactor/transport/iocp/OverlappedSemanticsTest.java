package dev.dxreactor.transport.iocp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the IOCP transport relies on from the overlapped calls of the emulated kernel: the status each packet
 * carries on success, cancel, close and reset; zero-byte reads; gathering sends; batch dequeue of posted packets.
 */
@EnabledOnOs(OS.LINUX)
class OverlappedSemanticsTest {

    private static final long KEY = 7;

    private final EmulatedWindowsKernel kernel = WindowsKernel.emulated();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries = arena.allocate(OverlappedEntry.SIZE * 16, 8);
    private final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private long port;

    @AfterEach
    void close() throws Exception {
        if (port != 0) {
            kernel.closeHandle(port);
        }
        assertThat(kernel.memoryViolations()).isEmpty();
        arena.close();
    }

    private long tcp() throws WindowsException {
        return kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
    }

    private MemorySegment bufs(MemorySegment... data) {
        MemorySegment bufs = arena.allocate(WsaBuf.SIZE * data.length, 8);
        for (int i = 0; i < data.length; i++) {
            WsaBuf.set(bufs, i, data[i]);
        }
        return bufs;
    }

    private MemorySegment overlapped() {
        return arena.allocate(Overlapped.LAYOUT);
    }

    /** A connected pair; the accepted end {@code [1]} is associated with the port. */
    private long[] pair() throws WindowsException {
        port = port == 0 ? kernel.createCompletionPort() : port;
        long listener = tcp();
        kernel.bind(listener, loopback);
        kernel.listen(listener, 4);
        long client = tcp();
        kernel.connect(client, kernel.localAddress(listener));
        long accepted = kernel.accept(listener);
        kernel.closeSocket(listener);
        kernel.setNonBlocking(accepted, true);
        kernel.associate(accepted, port, KEY);
        return new long[] {client, accepted};
    }

    /** Dequeues until {@code count} packets came, at most a few seconds: lpOverlapped -> status. */
    private Map<Long, Integer> packets(int count) throws WindowsException {
        Map<Long, Integer> seen = new HashMap<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (seen.size() < count && System.nanoTime() < deadline) {
            int n = kernel.dequeue(port, entries, 100);
            for (int i = 0; i < n; i++) {
                assertThat(OverlappedEntry.completionKey(entries, i)).isEqualTo(KEY);
                seen.put(OverlappedEntry.overlapped(entries, i), OverlappedEntry.status(entries, i));
            }
        }
        return seen;
    }

    @Test
    void aZeroByteReceivePendsUntilDataWaitsAndTakesNone() throws Exception {
        long[] p = pair();
        MemorySegment ov = overlapped();
        assertThat(kernel.wsaRecv(p[1], bufs(arena.allocate(1).asSlice(0, 0)), 1, ov))
                .isEqualTo(Win32Error.ERROR_IO_PENDING);
        assertThat(kernel.dequeue(port, entries, 50)).isZero();
        kernel.send(p[0], arena.allocate(5).fill((byte) 9), 0);
        assertThat(packets(1)).containsEntry(ov.address(), NtStatus.SUCCESS);
        assertThat(Overlapped.bytes(ov)).isZero();
        assertThat(kernel.recv(p[1], arena.allocate(16), 0)).as("the data is still there").isEqualTo(5);
        kernel.closeSocket(p[0]);
        kernel.closeSocket(p[1]);
    }

    @Test
    void aZeroByteReceiveCompletesAtTheEndOfTheStreamAndAReceiveAtAResetFails() throws Exception {
        long[] p = pair();
        MemorySegment zero = overlapped();
        kernel.wsaRecv(p[1], bufs(arena.allocate(1).asSlice(0, 0)), 1, zero);
        kernel.shutdown(p[0], Winsock.SD_SEND);
        assertThat(packets(1)).containsEntry(zero.address(), NtStatus.SUCCESS);
        assertThat(kernel.recv(p[1], arena.allocate(16), 0)).as("end of stream").isZero();

        long[] q = pair();
        MemorySegment read = overlapped();
        kernel.wsaRecv(q[1], bufs(arena.allocate(16)), 1, read);
        kernel.setLinger(q[0], 0);
        kernel.closeSocket(q[0]);
        assertThat(packets(1)).containsEntry(read.address(), NtStatus.CONNECTION_RESET);
        kernel.closeSocket(p[0]);
        kernel.closeSocket(p[1]);
        kernel.closeSocket(q[1]);
    }

    @Test
    void aGatheringSendCompletesOnceWithEveryByte() throws Exception {
        long[] p = pair();
        MemorySegment ov = overlapped();
        MemorySegment a = arena.allocate(3).fill((byte) 1);
        MemorySegment b = arena.allocate(4).fill((byte) 2);
        MemorySegment c = arena.allocate(5).fill((byte) 3);
        kernel.wsaSend(p[1], bufs(a, b, c), 3, ov);
        assertThat(packets(1)).containsEntry(ov.address(), NtStatus.SUCCESS);
        assertThat(Overlapped.bytes(ov)).isEqualTo(12);
        MemorySegment in = arena.allocate(12);
        int got = 0;
        while (got < 12) {
            got += kernel.recv(p[0], in.asSlice(got), 0);
        }
        assertThat(in.toArray(ValueLayout.JAVA_BYTE)).containsExactly(1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3);
        kernel.closeSocket(p[0]);
        kernel.closeSocket(p[1]);
    }

    @Test
    void closingASocketEndsEveryPendingOperationWithStatusCancelled() throws Exception {
        long[] p = pair();
        MemorySegment read = overlapped();
        MemorySegment send = overlapped();
        kernel.wsaRecv(p[1], bufs(arena.allocate(64)), 1, read);
        // More than both kernel buffers hold while the peer does not read: the send stays pending.
        MemorySegment big = arena.allocate(32 << 20);
        assertThat(kernel.wsaSend(p[1], bufs(big), 1, send)).isEqualTo(Win32Error.ERROR_IO_PENDING);
        kernel.closeSocket(p[1]);
        Map<Long, Integer> seen = packets(2);
        assertThat(seen).containsEntry(read.address(), NtStatus.CANCELLED)
                .containsEntry(send.address(), NtStatus.CANCELLED);
        assertThat(NtStatus.toWin32(NtStatus.CANCELLED)).isEqualTo(Win32Error.ERROR_OPERATION_ABORTED);
        kernel.closeSocket(p[0]);
    }

    @Test
    void cancelIoExWithoutAnOverlappedCancelsEveryOperationOfTheSocketOnce() throws Exception {
        long[] p = pair();
        MemorySegment first = overlapped();
        kernel.wsaRecv(p[1], bufs(arena.allocate(64)), 1, first);
        assertThat(kernel.cancelIoEx(p[1], null)).isTrue();
        assertThat(kernel.cancelIoEx(p[1], null)).as("nothing left to cancel").isFalse();
        assertThat(packets(1)).containsEntry(first.address(), NtStatus.CANCELLED);
        kernel.closeSocket(p[0]);
        kernel.closeSocket(p[1]);
    }

    @Test
    void closingAListenerEndsItsPendingAcceptExWithStatusCancelled() throws Exception {
        port = kernel.createCompletionPort();
        long listener = tcp();
        kernel.bind(listener, loopback);
        kernel.listen(listener, 8);
        kernel.associate(listener, port, KEY);
        MemorySegment[] ovs = new MemorySegment[3];
        long[] targets = new long[3];
        for (int i = 0; i < ovs.length; i++) {
            ovs[i] = overlapped();
            targets[i] = tcp();
            assertThat(kernel.acceptEx(listener, targets[i], arena.allocate(2L * Winsock.ACCEPTEX_ADDRESS_LENGTH),
                    Winsock.ACCEPTEX_ADDRESS_LENGTH, ovs[i])).isEqualTo(Win32Error.ERROR_IO_PENDING);
        }
        kernel.closeSocket(listener);
        Map<Long, Integer> seen = packets(3);
        for (MemorySegment ov : ovs) {
            assertThat(seen).containsEntry(ov.address(), NtStatus.CANCELLED);
        }
        for (long target : targets) {
            kernel.closeSocket(target);
        }
    }

    @Test
    void aConnectExToAClosedPortIsRefused() throws Exception {
        port = kernel.createCompletionPort();
        long gone = tcp();
        kernel.bind(gone, loopback);
        InetSocketAddress nobody = kernel.localAddress(gone);
        kernel.closeSocket(gone);
        long client = tcp();
        kernel.bind(client, loopback);
        kernel.associate(client, port, KEY);
        MemorySegment ov = overlapped();
        int result;
        try {
            result = kernel.connectEx(client, nobody, ov);
        } catch (WindowsException e) {
            // Refused at once: the Winsock code, and no packet.
            assertThat(e.codeName()).isEqualTo("WSAECONNREFUSED");
            assertThat(kernel.dequeue(port, entries, 50)).isZero();
            kernel.closeSocket(client);
            return;
        }
        assertThat(result).isEqualTo(Win32Error.ERROR_IO_PENDING);
        assertThat(packets(1)).containsEntry(ov.address(), NtStatus.CONNECTION_REFUSED);
        kernel.closeSocket(client);
    }

    @Test
    void postedPacketsComeOutInOneBatchDequeue() throws Exception {
        port = kernel.createCompletionPort(2);
        assertThat(kernel.portConcurrency(port)).isEqualTo(2);
        for (int i = 1; i <= 5; i++) {
            kernel.post(port, KEY, 0x100L * i, i);
        }
        assertThat(kernel.dequeue(port, entries, 0)).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(OverlappedEntry.overlapped(entries, i)).isEqualTo(0x100L * (i + 1));
            assertThat(OverlappedEntry.bytesTransferred(entries, i)).isEqualTo(i + 1);
        }
        assertThatThrownBy(() -> kernel.createCompletionPort(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
