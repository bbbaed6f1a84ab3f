package dev.dxreactor.transport.iocp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Overlapped operations through the port, the fault hooks and the memory check of the emulated kernel. */
@EnabledOnOs(OS.LINUX)
class EmulatedKernelTest {

    private final EmulatedWindowsKernel kernel = WindowsKernel.emulated();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries = arena.allocate(OverlappedEntry.SIZE * 8, 8);
    private final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @AfterEach
    void close() {
        arena.close();
    }

    private long tcp() throws WindowsException {
        return kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
    }

    private MemorySegment bufs(MemorySegment data) {
        MemorySegment bufs = arena.allocate(WsaBuf.LAYOUT);
        WsaBuf.set(bufs, 0, data);
        return bufs;
    }

    @Test
    void acceptExConnectExWsaSendAndWsaRecvCompleteThroughThePort() throws Exception {
        long port = kernel.createCompletionPort();
        long listener = tcp();
        kernel.bind(listener, loopback);
        kernel.listen(listener, 4);
        kernel.associate(listener, port, 10);
        long accepted = tcp();
        MemorySegment addresses = arena.allocate(2 * Winsock.ACCEPTEX_ADDRESS_LENGTH);
        MemorySegment acceptOv = arena.allocate(Overlapped.LAYOUT);
        assertThat(kernel.acceptEx(listener, accepted, addresses, Winsock.ACCEPTEX_ADDRESS_LENGTH, acceptOv))
                .isEqualTo(Win32Error.ERROR_IO_PENDING);

        long client = tcp();
        kernel.bind(client, loopback);
        kernel.associate(client, port, 20);
        MemorySegment connectOv = arena.allocate(Overlapped.LAYOUT);
        int connect = kernel.connectEx(client, kernel.localAddress(listener), connectOv);

        int seen = 0;
        boolean acceptDone = false;
        boolean connectDone = connect == Win32Error.ERROR_SUCCESS;
        while (!(acceptDone && connectDone) && seen++ < 10) {
            int n = kernel.dequeue(port, entries, 2000);
            for (int i = 0; i < n; i++) {
                assertThat(OverlappedEntry.status(entries, i)).isEqualTo(NtStatus.SUCCESS);
                acceptDone |= OverlappedEntry.overlapped(entries, i) == acceptOv.address();
                connectDone |= OverlappedEntry.overlapped(entries, i) == connectOv.address();
            }
        }
        assertThat(acceptDone && connectDone).isTrue();
        kernel.updateAcceptContext(accepted, listener);
        kernel.updateConnectContext(client);
        InetSocketAddress[] names = kernel.acceptExAddresses(addresses, Winsock.ACCEPTEX_ADDRESS_LENGTH);
        assertThat(names[0]).isEqualTo(kernel.localAddress(accepted));
        assertThat(names[1]).isEqualTo(kernel.localAddress(client));

        kernel.associate(accepted, port, 30);
        MemorySegment in = arena.allocate(64);
        MemorySegment recvOv = arena.allocate(Overlapped.LAYOUT);
        assertThat(kernel.wsaRecv(accepted, bufs(in), 1, recvOv)).isEqualTo(Win32Error.ERROR_IO_PENDING);
        MemorySegment out = arena.allocate(11);
        out.fill((byte) 7);
        MemorySegment sendOv = arena.allocate(Overlapped.LAYOUT);
        assertThat(kernel.wsaSend(client, bufs(out), 1, sendOv)).isEqualTo(Win32Error.ERROR_SUCCESS);

        long recvBytes = -1;
        boolean sendPacket = false;
        for (int round = 0; round < 10 && (recvBytes < 0 || !sendPacket); round++) {
            int n = kernel.dequeue(port, entries, 2000);
            for (int i = 0; i < n; i++) {
                if (OverlappedEntry.overlapped(entries, i) == recvOv.address()) {
                    assertThat(OverlappedEntry.completionKey(entries, i)).isEqualTo(30);
                    recvBytes = OverlappedEntry.bytesTransferred(entries, i);
                } else if (OverlappedEntry.overlapped(entries, i) == sendOv.address()) {
                    sendPacket = true;
                }
            }
        }
        assertThat(recvBytes).isEqualTo(11);
        assertThat(Overlapped.bytes(recvOv)).isEqualTo(11);
        assertThat(in.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 10)).isEqualTo((byte) 7);
        assertThat(sendPacket).as("an inline success still queues a packet without skip-port").isTrue();
        for (long s : new long[] {listener, accepted, client}) {
            kernel.closeSocket(s);
        }
        kernel.closeHandle(port);
    }

    /** A poll and the port it completes to, with B readable or not. */
    private record Setup(long port, long helper, long a, long b) {
    }

    private Setup pair() throws WindowsException {
        long port = kernel.createCompletionPort();
        long helper = kernel.openAfdHelper("Test");
        kernel.associate(helper, port, 1);
        long listener = tcp();
        kernel.bind(listener, loopback);
        kernel.listen(listener, 1);
        long a = tcp();
        kernel.connect(a, kernel.localAddress(listener));
        long b = kernel.accept(listener);
        kernel.closeSocket(listener);
        kernel.setNonBlocking(b, true);
        return new Setup(port, helper, a, b);
    }

    private int poll(Setup s, MemorySegment op, int events) {
        AfdPollInfo.prepare(op.asSlice(16), s.b(), events, false);
        return kernel.afdPoll(s.helper(), op.asSlice(0, 16), op.asSlice(16));
    }

    @Test
    void memoryReleasedBeforeItsPacketIsCaught() throws Exception {
        Setup s = pair();
        Arena opArena = Arena.ofShared();
        MemorySegment op = opArena.allocate(48, 8);
        assertThat(poll(s, op, Afd.POLL_RECEIVE)).isEqualTo(NtStatus.PENDING);
        opArena.close();
        kernel.send(s.a(), arena.allocate(1), 0);
        assertThatThrownBy(() -> kernel.dequeue(s.port(), entries, 2000))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("released before its completion");
        assertThat(kernel.memoryViolations()).hasSize(1);
    }

    @Test
    void aFailedSubmitQueuesNothing() throws Exception {
        Setup s = pair();
        MemorySegment op = arena.allocate(48, 8);
        kernel.faults().failNextPoll(NtStatus.INVALID_HANDLE);
        kernel.send(s.a(), arena.allocate(1), 0);
        assertThat(poll(s, op, Afd.POLL_RECEIVE)).isEqualTo(NtStatus.INVALID_HANDLE);
        assertThat(kernel.dequeue(s.port(), entries, 100)).isZero();
        assertThat(kernel.pendingPolls(s.b())).isZero();
        kernel.faults().failNextOverlapped(Win32Error.WSAENOBUFS);
        kernel.associate(s.b(), s.port(), 2);
        assertThatThrownBy(() -> kernel.wsaRecv(s.b(), bufs(arena.allocate(8)), 1, arena.allocate(Overlapped.LAYOUT)))
                .isInstanceOf(WindowsException.class).hasMessageContaining("WSAENOBUFS");
    }

    @Test
    void aDelayedPacketIsWithheldForTheAskedDequeuesThenDelivered() throws Exception {
        Setup s = pair();
        MemorySegment op = arena.allocate(48, 8);
        kernel.send(s.a(), arena.allocate(1), 0);
        kernel.faults().delayNextCompletion(2);
        assertThat(poll(s, op, Afd.POLL_RECEIVE)).isEqualTo(NtStatus.SUCCESS);
        assertThat(kernel.dequeue(s.port(), entries, 0)).isZero();
        assertThat(kernel.dequeue(s.port(), entries, 0)).isZero();
        assertThat(kernel.dequeue(s.port(), entries, 0)).isEqualTo(1);
        assertThat(OverlappedEntry.overlapped(entries, 0)).isEqualTo(op.address());
    }

    @Test
    void aCancelThatLosesTheRaceAnswersNotFoundAndThePacketCarriesTheEvents() throws Exception {
        Setup s = pair();
        MemorySegment op = arena.allocate(48, 8);
        assertThat(poll(s, op, Afd.POLL_RECEIVE)).isEqualTo(NtStatus.PENDING);
        kernel.send(s.a(), arena.allocate(1), 0);
        kernel.faults().raceNextCancel();
        assertThat(kernel.cancelAfdPoll(s.helper(), op.asSlice(0, 16))).isEqualTo(NtStatus.NOT_FOUND);
        assertThat(kernel.dequeue(s.port(), entries, 0)).isEqualTo(1);
        assertThat(OverlappedEntry.status(entries, 0)).isEqualTo(NtStatus.SUCCESS);
        assertThat(AfdPollInfo.events(op.asSlice(16), 0)).isEqualTo(Afd.POLL_RECEIVE);
    }

    @Test
    void aPostFromAnotherThreadWakesABlockedDequeue() throws Exception {
        long port = kernel.createCompletionPort();
        Thread poster = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
                kernel.post(port, 99, 0, 0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(kernel.dequeue(port, entries, WindowsKernel.INFINITE)).isEqualTo(1);
        assertThat(OverlappedEntry.completionKey(entries, 0)).isEqualTo(99);
        poster.join();
    }
}
