package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.AfdPollInfo;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Overlapped;
import dev.dxreactor.transport.iocp.OverlappedEntry;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.WsaBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a port comes to watch a socket: work that pends on a socket no port watches puts it in the port's epoll
 * set at once (nothing left for the next dequeue to try again), and a blocked dequeue still wakes when the
 * socket becomes ready; more work on a socket already watched makes every watching port look at it again.
 */
@EnabledOnOs(OS.LINUX)
class EmuPortsWatchTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final EmuHandles handles = new EmuHandles();
    private final EmuFaults faults = new EmuFaults();
    private final EmuPorts ports = new EmuPorts(handles, faults);
    private final EmuWinsock winsock = new EmuWinsock(handles, ports);
    private final EmuOverlapped overlapped = new EmuOverlapped(handles, ports, winsock, faults);
    private final EmuAfd afd = new EmuAfd(handles, ports, faults);
    private final ScheduledExecutorService peer = Executors.newSingleThreadScheduledExecutor();
    private final Arena arena = Arena.ofShared();
    private long port;
    private long client;
    private long accepted;

    @BeforeEach
    void connect() throws WindowsException {
        port = ports.create(0);
        long listener = winsock.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        winsock.bind(listener, LOOPBACK);
        winsock.listen(listener, 4);
        client = winsock.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        winsock.connect(client, winsock.localAddress(listener));
        accepted = winsock.accept(listener);
        winsock.closeSocket(listener);
        winsock.setNonBlocking(accepted, true);
    }

    @AfterEach
    void close() throws WindowsException {
        peer.shutdownNow();
        winsock.closeSocket(client);
        winsock.closeSocket(accepted);
        EmuPort target = (EmuPort) handles.get(port);
        ports.close(target);
        // Packets of the closed sockets' work are dropped with the port; their memory goes only now.
        arena.close();
        assertThat(ports.violations()).isEmpty();
    }

    @Test
    void aRecvThatPendsPutsItsSocketInTheEpollSetAtOnceAndABlockedDequeueWakesForItsData() throws Exception {
        ports.associate(accepted, port, 7);
        MemorySegment ov = arena.allocate(Overlapped.LAYOUT);
        MemorySegment bufs = arena.allocate(WsaBuf.LAYOUT);
        WsaBuf.set(bufs, 0, arena.allocate(16));
        assertThat(overlapped.wsaRecv(accepted, bufs, 1, ov)).isEqualTo(Win32Error.ERROR_IO_PENDING);

        EmuPort target = (EmuPort) handles.get(port);
        EmuSocket s = (EmuSocket) handles.get(accepted);
        synchronized (target) {
            assertThat(target.watched.get(s)).as("epoll events registered for the socket")
                    .isNotNull().isNotZero();
            assertThat(target.dirty).as("sockets left for the next dequeue to try again").doesNotContain(s);
        }

        MemorySegment data = arena.allocate(5).fill((byte) 'x');
        ScheduledFuture<Integer> sent = peer.schedule(() -> winsock.send(client, data, 0), 100, TimeUnit.MILLISECONDS);
        MemorySegment entries = arena.allocate(OverlappedEntry.SIZE * 4, 8);
        // Only the socket's readiness can end this wait before its 30 s: nothing else is pending on the port.
        assertThat(ports.dequeue(port, entries, 30_000)).isEqualTo(1);
        assertThat(sent.get(30, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(OverlappedEntry.completionKey(entries, 0)).isEqualTo(7);
        assertThat(OverlappedEntry.overlapped(entries, 0)).isEqualTo(ov.address());
        assertThat(OverlappedEntry.bytesTransferred(entries, 0)).isEqualTo(5);
        synchronized (target) {
            assertThat(target.watched).as("watched once nothing is pending").doesNotContainKey(s);
        }
    }

    @Test
    void aPollThatPendsIsWatchedAtOnceAndASecondPollOnTheSameSocketIsLookedAtOnTheNextPass() throws Exception {
        long first = afd.openHelper("Watch");
        long second = afd.openHelper("Watch");
        ports.associate(first, port, 1);
        ports.associate(second, port, 2);
        MemorySegment one = arena.allocate(16 + AfdPollInfo.ONE_HANDLE_SIZE, 8);
        MemorySegment two = arena.allocate(16 + AfdPollInfo.ONE_HANDLE_SIZE, 8);
        AfdPollInfo.prepare(one.asSlice(16), accepted, Afd.POLL_RECEIVE, false);
        AfdPollInfo.prepare(two.asSlice(16), accepted, Afd.POLL_RECEIVE, false);
        assertThat(afd.poll(first, one.asSlice(0, 16), one.asSlice(16))).isEqualTo(NtStatus.PENDING);

        EmuPort target = (EmuPort) handles.get(port);
        EmuSocket s = (EmuSocket) handles.get(accepted);
        synchronized (target) {
            assertThat(target.watched.get(s)).isNotNull().isNotZero();
            assertThat(target.dirty).doesNotContain(s);
        }
        assertThat(afd.poll(second, two.asSlice(0, 16), two.asSlice(16))).isEqualTo(NtStatus.PENDING);
        synchronized (target) {
            assertThat(target.dirty).as("a socket already watched, with more work").contains(s);
        }
        MemorySegment entries = arena.allocate(OverlappedEntry.SIZE * 4, 8);
        assertThat(ports.dequeue(port, entries, 0)).isZero();
        synchronized (target) {
            assertThat(target.dirty).isEmpty();
            assertThat(target.watched.get(s)).isNotNull().isNotZero();
        }

        assertThat(winsock.send(client, arena.allocate(3).fill((byte) 'y'), 0)).isEqualTo(3);
        int packets = 0;
        while (packets < 2) {
            int n = ports.dequeue(port, entries, 30_000);
            assertThat(n).as("packets of the two polls").isPositive();
            for (int i = 0; i < n; i++) {
                assertThat(OverlappedEntry.status(entries, i)).isEqualTo(NtStatus.SUCCESS);
                assertThat(OverlappedEntry.overlapped(entries, i)).isIn(one.address(), two.address());
            }
            packets += n;
        }
        assertThat(AfdPollInfo.events(one.asSlice(16), 0) & Afd.POLL_RECEIVE).isNotZero();
        assertThat(AfdPollInfo.events(two.asSlice(16), 0) & Afd.POLL_RECEIVE).isNotZero();
    }
}
