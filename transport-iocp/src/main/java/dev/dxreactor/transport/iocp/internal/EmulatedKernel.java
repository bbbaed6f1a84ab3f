package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Afd;
import dev.dxreactor.transport.iocp.AfdPollInfo;
import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.IoStatusBlock;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Overlapped;
import dev.dxreactor.transport.iocp.OverlappedEntry;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Windows kernel surface emulated over Linux sockets (FFM to libc). All state sits behind one lock;
 * nothing blocks while holding it. Operations complete when {@link #dequeue} (of the port they complete to)
 * finds their socket ready, or at once on submission, cancel and close, never on a thread of the emulator's
 * own. Completions are written into the operation's memory, which is checked to be alive first.
 *
 * <p>Readiness comes from one epoll set per port holding the sockets with work pending there, so a dequeue
 * looks at the sockets epoll reports and those a call touched since the last one, never at every socket.
 */
public final class EmulatedKernel implements EmulatedWindowsKernel {

    private static final Throwable UNAVAILABLE = unavailability();

    private final Object lock = new Object();
    private final Map<Long, Object> handles = new HashMap<>();
    /** Pending AFD polls by carrier (an {@link EmuSocket} or {@link EmuHelper}), for cancel and close. */
    private final Map<Object, java.util.Set<PollOperation>> carried = new java.util.IdentityHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final EmuFaults faults = new EmuFaults();
    private final Arena arena = Arena.ofShared();
    private final EmuSocket.Scratch scratch;
    private final EmuFiles files = new EmuFiles(new FilePorts());
    private final EmuProtocols protocols = new EmuProtocols();
    private long nextHandle = 0x1000;

    private EmulatedKernel() {
        scratch = UNAVAILABLE == null ? new EmuSocket.Scratch(arena) : null;
    }

    public static EmulatedKernel create() {
        return new EmulatedKernel();
    }

    private static Throwable unavailability() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new UnsupportedOperationException(
                    "the emulated Windows kernel runs on Linux sockets; this is " + os);
        }
        try {
            Class.forName(Libc.class.getName(), true, EmulatedKernel.class.getClassLoader());
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    @Override
    public String name() {
        return "emulated";
    }

    @Override
    public boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return UNAVAILABLE;
    }

    @Override
    public Faults faults() {
        return faults;
    }

    @Override
    public List<String> memoryViolations() {
        return List.copyOf(violations);
    }

    @Override
    public int portConcurrency(long port) {
        synchronized (lock) {
            return handles.get(port) instanceof EmuPort p ? p.concurrency : -1;
        }
    }

    @Override
    public int pendingPolls(long socket) {
        synchronized (lock) {
            return handles.get(socket) instanceof EmuSocket s ? s.polls.size() : 0;
        }
    }

    private void checkAvailable() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("the emulated Windows kernel is unavailable", UNAVAILABLE);
        }
    }

    private long newHandle(Object target) {
        long handle = nextHandle;
        nextHandle += 4;
        handles.put(handle, target);
        return handle;
    }

    private EmuSocket socketOf(String function, long handle) throws WindowsException {
        if (handles.get(handle) instanceof EmuSocket s) {
            touch(s);
            return s;
        }
        throw WindowsException.win32(function, Win32Error.WSAENOTSOCK);
    }

    private EmuPort portOf(String function, long handle) throws WindowsException {
        if (handles.get(handle) instanceof EmuPort p && !p.closed) {
            return p;
        }
        throw WindowsException.win32(function, Win32Error.ERROR_INVALID_HANDLE);
    }

    // ---- completion ports

    @Override
    public long createCompletionPort(int concurrency) throws WindowsException {
        if (concurrency < 0) {
            throw new IllegalArgumentException("completion port concurrency must be >= 0, not " + concurrency);
        }
        checkAvailable();
        int eventFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (eventFd < 0) {
            throw WindowsException.win32("CreateIoCompletionPort", Win32Error.ERROR_NO_SYSTEM_RESOURCES);
        }
        int epollFd = EmuPort.newEpoll(eventFd);
        if (epollFd < 0) {
            Libc.close(eventFd);
            throw WindowsException.win32("CreateIoCompletionPort", Win32Error.ERROR_NO_SYSTEM_RESOURCES);
        }
        synchronized (lock) {
            long handle = nextHandle;
            EmuPort port = new EmuPort(handle, eventFd, epollFd, concurrency);
            newHandle(port);
            return handle;
        }
    }

    @Override
    public void associate(long handle, long port, long key) throws WindowsException {
        if (EmuFiles.isFile(handle)) {
            files.associate(handle, port, key);
            return;
        }
        synchronized (lock) {
            EmuPort target = portOf("CreateIoCompletionPort", port);
            Object object = handles.get(handle);
            if (object instanceof EmuSocket s && s.port == null) {
                s.port = target;
                s.key = key;
            } else if (object instanceof EmuHelper h && h.port == null) {
                h.port = target;
                h.key = key;
            } else {
                throw WindowsException.win32("CreateIoCompletionPort", Win32Error.ERROR_INVALID_PARAMETER);
            }
        }
    }

    @Override
    public void setCompletionNotificationModes(long handle, int flags) throws WindowsException {
        synchronized (lock) {
            Object object = handles.get(handle);
            if (object instanceof EmuSocket s) {
                s.notificationModes = flags;
            } else if (object instanceof EmuHelper h) {
                h.notificationModes = flags;
            } else {
                throw WindowsException.win32("SetFileCompletionNotificationModes", Win32Error.ERROR_INVALID_HANDLE);
            }
        }
    }

    @Override
    public int dequeue(long port, MemorySegment entries, int timeoutMillis) throws WindowsException {
        int capacity = OverlappedEntry.capacity(entries);
        if (capacity < 1) {
            throw new IllegalArgumentException("room for no OVERLAPPED_ENTRY in " + entries.byteSize() + " bytes");
        }
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMillis * 1_000_000L;
        EmuPort target;
        synchronized (lock) {
            target = portOf("GetQueuedCompletionStatusEx", port);
        }
        try {
            while (true) {
                files.run(port);
                synchronized (lock) {
                    if (target.closed) {
                        throw WindowsException.win32("GetQueuedCompletionStatusEx", Win32Error.ERROR_INVALID_HANDLE);
                    }
                    progressReady(target);
                    int removed = removePackets(target, entries, capacity);
                    if (removed > 0) {
                        return removed;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return 0;
                    }
                    if (!target.dirty.isEmpty()) {
                        // Progress made more work to look at (an accepted socket taking its place): no waiting.
                        continue;
                    }
                    target.waiters++;
                }
                try {
                    long left = deadline - System.nanoTime();
                    target.await(deadline == Long.MAX_VALUE ? -1
                            : (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000L)));
                } finally {
                    synchronized (lock) {
                        target.waiters--;
                    }
                }
            }
        } finally {
            synchronized (lock) {
                for (EmuPort.Packet packet : target.packets) {
                    if (packet.hold > 0) {
                        packet.hold--;
                    }
                }
            }
        }
    }

    private static void wake(EmuPort port) {
        if (port != null) {
            port.wake();
        }
    }

    private int removePackets(EmuPort port, MemorySegment entries, int capacity) {
        int removed = 0;
        Iterator<EmuPort.Packet> it = port.packets.iterator();
        while (it.hasNext() && removed < capacity) {
            EmuPort.Packet packet = it.next();
            if (packet.hold > 0) {
                continue;
            }
            it.remove();
            if (packet.memory != null && !packet.memory.scope().isAlive()) {
                throw violation(packet.operation + " (packet dequeued)");
            }
            OverlappedEntry.set(entries, removed++, packet.key, packet.overlapped, packet.status, packet.bytes);
        }
        return removed;
    }

    /**
     * Moves forward what can move on the sockets epoll reports ready, on those touched since the last dequeue
     * and on the parked ones (few: signalled while nothing on them could move); parks a signalled socket on which
     * nothing can move.
     */
    private void progressReady(EmuPort port) {
        for (long handle : port.ready()) {
            if (handles.get(handle) instanceof EmuSocket s && port.watched.containsKey(s)) {
                port.dirty.remove(s);
                progressWatched(port, s);
            }
        }
        List<EmuSocket> touched = new ArrayList<>(port.dirty);
        touched.addAll(port.parked);
        port.dirty.clear();
        for (EmuSocket s : touched) {
            if (port.watched.containsKey(s)) {
                progressWatched(port, s);
            }
        }
    }

    private void progressWatched(EmuPort port, EmuSocket s) {
        boolean before = s.hasPendingWork();
        boolean moved = progress(s, null);
        if (s.closed || !s.hasPendingWork()) {
            port.unwatch(s, s.closed);
            s.watchers.remove(port);
            return;
        }
        int events = s.wantedPollEvents() | Libc.POLLERR | Libc.POLLHUP;
        if (before && !moved && signalled(s)) {
            // Level-triggered it would be reported at once again: only a change (an edge) or a call brings it back.
            s.parked = true;
            port.parked.add(s);
            port.interest(s, events | Libc.EPOLLET);
        } else {
            s.parked = false;
            port.parked.remove(s);
            port.interest(s, events);
        }
    }

    /** A call reached {@code s}: every port watching it looks at it again, parked or not. */
    private void touch(EmuSocket s) {
        boolean wasParked = s.parked;
        s.parked = false;
        for (EmuPort port : s.watchers) {
            port.dirty.add(s);
            if (wasParked) {
                port.wake();
            }
        }
    }

    private boolean signalled(EmuSocket s) {
        short wanted = (short) (s.wantedPollEvents() | Libc.POLLERR | Libc.POLLHUP);
        return (scratch.pollOne(s.fd, wanted) & wanted) != 0;
    }

    /**
     * Completes what can complete on {@code s}: overlapped reads first (they take the data a poll would
     * have seen, without signalling it), then writes, then polls. {@code inline} is the operation being
     * submitted, whose success may skip the port.
     */
    private boolean progress(EmuSocket s, Object inline) {
        if (s.closed) {
            return false;
        }
        boolean moved = false;
        moved |= progressQueue(s.reads, inline);
        moved |= progressQueue(s.writes, inline);
        for (PollOperation poll : new ArrayList<>(s.polls)) {
            int[] events = poll.evaluate(scratch, null);
            if (PollOperation.any(events)) {
                completePoll(poll, NtStatus.SUCCESS, events, poll == inline);
                moved = true;
            }
        }
        return moved;
    }

    private boolean progressQueue(java.util.ArrayDeque<OverlappedOperation> queue, Object inline) {
        boolean moved = false;
        while (!queue.isEmpty()) {
            OverlappedOperation op = queue.peekFirst();
            if (!op.attempt(scratch)) {
                break;
            }
            queue.pollFirst();
            completeOverlapped(op, op == inline && op.status == NtStatus.SUCCESS);
            moved = true;
        }
        return moved;
    }

    private IllegalStateException violation(String what) {
        String message = "memory of " + what + " was released before its completion packet was dequeued";
        violations.add(message);
        return new IllegalStateException(message);
    }

    private List<PollOperation> carriedBy(Object carrier) {
        java.util.Set<PollOperation> polls = carried.get(carrier);
        return polls == null ? List.of() : new ArrayList<>(polls);
    }

    private void completePoll(PollOperation poll, int status, int[] events, boolean inline) {
        java.util.Set<PollOperation> ofCarrier = carried.get(poll.carrier);
        if (ofCarrier != null && ofCarrier.remove(poll) && ofCarrier.isEmpty()) {
            carried.remove(poll.carrier);
        }
        for (EmuSocket s : poll.sockets) {
            s.polls.remove(poll);
            if (s.mainPoll == poll) {
                s.mainPoll = null;
            }
        }
        if (!poll.ioStatusBlock.scope().isAlive() || !poll.pollInfo.scope().isAlive()) {
            throw violation("an AFD poll");
        }
        long information = poll.writeResults(status, events);
        EmuPort port;
        long key;
        int modes;
        if (poll.carrier instanceof EmuHelper h) {
            port = h.port;
            key = h.key;
            modes = h.notificationModes;
        } else {
            EmuSocket carrier = (EmuSocket) poll.carrier;
            port = carrier.port;
            key = carrier.key;
            modes = carrier.notificationModes;
        }
        boolean skip = inline && status == NtStatus.SUCCESS
                && (modes & Winsock.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) != 0;
        if (!skip) {
            queue(port, new EmuPort.Packet(key, poll.ioStatusBlock.address(), status, (int) information,
                    poll.ioStatusBlock, "an AFD poll"));
        }
    }

    private void completeOverlapped(OverlappedOperation op, boolean inlineSuccess) {
        if (!op.overlapped.scope().isAlive()) {
            throw violation("a " + op.function);
        }
        Overlapped.complete(op.overlapped, op.status, op.bytes);
        EmuSocket s = op.socket;
        boolean skip = inlineSuccess && (s.notificationModes & Winsock.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS) != 0;
        if (!skip) {
            queue(s.port, new EmuPort.Packet(s.key, op.overlapped.address(), op.status, (int) op.bytes,
                    op.overlapped, "a " + op.function));
        }
    }

    private void queue(EmuPort port, EmuPort.Packet packet) {
        if (port == null || port.closed) {
            return;
        }
        packet.hold = faults.takeDelay();
        port.packets.add(packet);
        wake(port);
    }

    private void watch(EmuSocket s, EmuPort port) {
        if (port != null && !port.closed && s.hasPendingWork()) {
            if (!port.watched.containsKey(s)) {
                port.watched.put(s, 0);
                s.watchers.add(port);
            }
            touch(s);
            port.wake();
        }
    }

    @Override
    public void post(long port, long key, long overlapped, int bytes) throws WindowsException {
        synchronized (lock) {
            EmuPort target = portOf("PostQueuedCompletionStatus", port);
            target.packets.add(new EmuPort.Packet(key, overlapped, NtStatus.SUCCESS, bytes, null, "a posted packet"));
            target.wake();
        }
    }

    @Override
    public void closeHandle(long handle) throws WindowsException {
        if (EmuFiles.isFile(handle)) {
            files.close(handle);
            return;
        }
        synchronized (lock) {
            Object object = handles.get(handle);
            if (object instanceof EmuPort port) {
                handles.remove(handle);
                // A dequeue blocked on the port wakes before its descriptors go, and then finds it closed.
                port.wake();
                port.closed = true;
                port.packets.clear();
                for (EmuSocket s : port.watched.keySet()) {
                    s.watchers.remove(port);
                }
                port.watched.clear();
                port.dirty.clear();
                Libc.close(port.epollFd);
                Libc.close(port.eventFd);
            } else if (object instanceof EmuHelper helper) {
                handles.remove(handle);
                for (PollOperation poll : carriedBy(helper)) {
                    completePoll(poll, NtStatus.CANCELLED, null, false);
                }
            } else {
                throw WindowsException.win32("CloseHandle", Win32Error.ERROR_INVALID_HANDLE);
            }
        }
    }

    // ---- AFD_POLL

    @Override
    public long openAfdHelper(String name) throws WindowsException {
        checkAvailable();
        if (name == null || name.isEmpty() || name.contains("\\")) {
            throw new IllegalArgumentException("an AFD helper name is one path element, not '" + name + "'");
        }
        synchronized (lock) {
            long handle = nextHandle;
            newHandle(new EmuHelper(handle, name));
            return handle;
        }
    }

    @Override
    public int afdPoll(long carrier, MemorySegment ioStatusBlock, MemorySegment pollInfo) {
        if (ioStatusBlock.byteSize() < IoStatusBlock.LAYOUT.byteSize()) {
            throw new IllegalArgumentException("an IO_STATUS_BLOCK needs 16 bytes, not " + ioStatusBlock.byteSize());
        }
        synchronized (lock) {
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
            for (EmuSocket s : sockets) {
                touch(s);
            }
            for (EmuSocket s : sockets) {
                // Pending overlapped reads take data as it arrives, before any later poll could see it.
                progressQueue(s.reads, null);
            }
            IoStatusBlock.reset(ioStatusBlock);
            PollOperation poll = new PollOperation(ioStatusBlock, pollInfo, carrierObject, sockets, masks,
                    AfdPollInfo.exclusive(pollInfo));
            for (EmuSocket s : sockets) {
                // An exclusive poll ends the socket's main poll when that one was exclusive too.
                if (s.mainPoll != null && s.mainPoll.exclusive && poll.exclusive) {
                    completePoll(s.mainPoll, NtStatus.SUCCESS, null, false);
                }
                if (s.mainPoll == null) {
                    s.mainPoll = poll;
                }
                s.polls.add(poll);
            }
            carried.computeIfAbsent(carrierObject, c -> new java.util.LinkedHashSet<>()).add(poll);
            int[] events = poll.evaluate(scratch, null);
            if (PollOperation.any(events) || AfdPollInfo.timeout(pollInfo) == 0) {
                completePoll(poll, NtStatus.SUCCESS, events, true);
                return NtStatus.SUCCESS;
            }
            EmuPort port = poll.carrier instanceof EmuHelper h ? h.port : ((EmuSocket) poll.carrier).port;
            for (EmuSocket s : sockets) {
                watch(s, port);
            }
            return NtStatus.PENDING;
        }
    }

    @Override
    public int cancelAfdPoll(long carrier, MemorySegment ioStatusBlock) {
        synchronized (lock) {
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
            if (faults.takeCancelRace()) {
                int[] events = found.evaluate(scratch, null);
                completePoll(found, NtStatus.SUCCESS, PollOperation.any(events) ? events : null, false);
                return NtStatus.NOT_FOUND;
            }
            completePoll(found, NtStatus.CANCELLED, null, false);
            return NtStatus.SUCCESS;
        }
    }

    // ---- Winsock

    @Override
    public long socket(int addressFamily, int type, int protocol) throws WindowsException {
        checkAvailable();
        if (addressFamily != Winsock.AF_INET && addressFamily != Winsock.AF_INET6) {
            throw WindowsException.win32("WSASocketW", Win32Error.WSAEAFNOSUPPORT);
        }
        if (type != Winsock.SOCK_STREAM || (protocol != 0 && protocol != Winsock.IPPROTO_TCP)) {
            throw WindowsException.win32("WSASocketW", Win32Error.WSAEPROTONOSUPPORT);
        }
        boolean ipv6 = addressFamily == Winsock.AF_INET6;
        int fd = Libc.socket(ipv6 ? Libc.AF_INET6 : Libc.AF_INET,
                Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw WindowsException.win32("WSASocketW", Errno.toWinsock(Libc.errno()));
        }
        if (ipv6) {
            // Winsock's IPv6 sockets are IPv6-only unless told otherwise; Linux's are dual-stack.
            setIntOption(fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1);
        }
        synchronized (lock) {
            long handle = nextHandle;
            newHandle(new EmuSocket(handle, fd, ipv6));
            return handle;
        }
    }

    private static int setIntOption(int fd, int level, int option, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            v.set(ValueLayout.JAVA_INT, 0, value);
            return Libc.setsockopt(fd, level, option, v, 4);
        }
    }

    /** Gives {@code target} the accepted connection {@code fd} (AcceptEx), replacing its unused socket. */
    void adopt(EmuSocket target, int fd, EmuSocket listener) {
        for (EmuPort port : target.watchers) {
            // Closing the unused descriptor takes it out of every epoll set; the accepted one goes in afresh.
            port.watched.put(target, 0);
            port.dirty.add(target);
        }
        Libc.close(target.fd);
        target.fd = fd;
        target.state = EmuSocket.State.CONNECTED;
        target.bound = true;
        target.acceptedFrom = listener;
    }

    /** Writes local and remote address into AcceptEx's buffer, one slot of {@code addressLength} each. */
    void writeAcceptAddresses(EmuSocket s, MemorySegment buffer, int addressLength) {
        try {
            SockAddr.write(buffer, address(s, true), s.ipv6, Winsock.AF_INET6);
            SockAddr.write(buffer.asSlice(addressLength), address(s, false), s.ipv6, Winsock.AF_INET6);
        } catch (WindowsException e) {
            throw new IllegalStateException("an accepted socket has no address", e);
        }
    }

    @Override
    public void setNonBlocking(long socket, boolean nonBlocking) throws WindowsException {
        synchronized (lock) {
            socketOf("ioctlsocket", socket).nonBlocking = nonBlocking;
        }
    }

    @Override
    public void bind(long socket, InetSocketAddress address) throws WindowsException {
        synchronized (lock) {
            EmuSocket s = socketOf("bind", socket);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment sa = a.allocate(SockAddr.MAX_SIZE, 8);
                int length = SockAddr.write(sa, address, s.ipv6, Libc.AF_INET6);
                if (Libc.bind(s.fd, sa, length) != 0) {
                    throw WindowsException.win32("bind", Errno.toWinsock(Libc.errno()));
                }
                s.bound = true;
            }
        }
    }

    @Override
    public void listen(long socket, int backlog) throws WindowsException {
        synchronized (lock) {
            EmuSocket s = socketOf("listen", socket);
            if (!s.bound || Libc.listen(s.fd, backlog) != 0) {
                throw WindowsException.win32("listen", s.bound ? Errno.toWinsock(Libc.errno()) : Win32Error.WSAEINVAL);
            }
            s.state = EmuSocket.State.LISTENING;
        }
    }

    @Override
    public long accept(long listener) throws WindowsException {
        while (true) {
            int fd;
            synchronized (lock) {
                EmuSocket s = socketOf("accept", listener);
                if (s.state != EmuSocket.State.LISTENING) {
                    throw WindowsException.win32("accept", Win32Error.WSAEINVAL);
                }
                int accepted = Libc.accept4(s.fd, MemorySegment.NULL, MemorySegment.NULL,
                        Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
                if (accepted >= 0) {
                    long handle = nextHandle;
                    EmuSocket a = new EmuSocket(handle, accepted, s.ipv6);
                    a.state = EmuSocket.State.CONNECTED;
                    a.bound = true;
                    newHandle(a);
                    return handle;
                }
                int errno = Libc.errno();
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    throw WindowsException.win32("accept", Errno.toWinsock(errno));
                }
                if (s.nonBlocking) {
                    return Winsock.INVALID_HANDLE;
                }
                fd = s.fd;
            }
            awaitFd(fd, Libc.POLLIN);
        }
    }

    private void awaitFd(int fd, short events) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pfd = a.allocate(Libc.POLLFD_SIZE, 4);
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, events);
            Libc.poll(pfd, 1, 100);
        }
    }

    @Override
    public boolean connect(long socket, InetSocketAddress remote) throws WindowsException {
        int fd;
        synchronized (lock) {
            EmuSocket s = socketOf("connect", socket);
            if (s.state != EmuSocket.State.UNCONNECTED) {
                throw WindowsException.win32("connect",
                        s.state == EmuSocket.State.CONNECTED ? Win32Error.WSAEISCONN : Win32Error.WSAEALREADY);
            }
            startConnect("connect", s, remote);
            if (s.state == EmuSocket.State.CONNECTED) {
                return true;
            }
            if (s.nonBlocking) {
                return false;
            }
            fd = s.fd;
        }
        while (true) {
            synchronized (lock) {
                EmuSocket s = socketOf("connect", socket);
                if (s.state == EmuSocket.State.CONNECTING) {
                    s.afdEvents(scratch);
                }
                if (s.state == EmuSocket.State.CONNECTED) {
                    return true;
                }
                if (s.state == EmuSocket.State.CONNECT_FAILED) {
                    throw WindowsException.win32("connect", Errno.toWinsock(s.connectErrno));
                }
            }
            awaitFd(fd, Libc.POLLOUT);
        }
    }

    private void startConnect(String function, EmuSocket s, InetSocketAddress remote) throws WindowsException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SockAddr.MAX_SIZE, 8);
            int length = SockAddr.write(sa, remote, s.ipv6, Libc.AF_INET6);
            if (Libc.connect(s.fd, sa, length) == 0) {
                s.state = EmuSocket.State.CONNECTED;
                return;
            }
            int errno = Libc.errno();
            if (errno == Libc.EINPROGRESS || errno == Libc.EINTR) {
                s.state = EmuSocket.State.CONNECTING;
            } else if (errno == 111) {
                s.settleConnect(errno);
            } else {
                throw WindowsException.win32(function, Errno.toWinsock(errno));
            }
        }
    }

    @Override
    public int recv(long socket, MemorySegment buffer, int flags) throws WindowsException {
        while (true) {
            int fd;
            synchronized (lock) {
                EmuSocket s = socketOf("recv", socket);
                if (s.aborted) {
                    throw WindowsException.win32("recv", Win32Error.WSAECONNRESET);
                }
                long n = Libc.recv(s.fd, buffer, buffer.byteSize(), Libc.MSG_DONTWAIT | (flags & Libc.MSG_PEEK));
                if (n >= 0) {
                    if (n == 0 && buffer.byteSize() > 0) {
                        s.hangup = true;
                    }
                    return (int) n;
                }
                int errno = Libc.errno();
                if (errno == Libc.ECONNRESET) {
                    s.aborted = true;
                }
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    throw WindowsException.win32("recv", Errno.toWinsock(errno));
                }
                if (s.nonBlocking) {
                    return WOULD_BLOCK;
                }
                fd = s.fd;
            }
            awaitFd(fd, Libc.POLLIN);
        }
    }

    @Override
    public int send(long socket, MemorySegment buffer, int flags) throws WindowsException {
        while (true) {
            int fd;
            synchronized (lock) {
                EmuSocket s = socketOf("send", socket);
                long n = Libc.send(s.fd, buffer, buffer.byteSize(), Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL);
                if (n >= 0) {
                    return (int) n;
                }
                int errno = Libc.errno();
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    if (errno == Libc.ECONNRESET) {
                        s.aborted = true;
                    }
                    throw WindowsException.win32("send", Errno.toWinsock(errno));
                }
                if (s.nonBlocking) {
                    return WOULD_BLOCK;
                }
                fd = s.fd;
            }
            awaitFd(fd, Libc.POLLOUT);
        }
    }

    @Override
    public long sendGather(long socket, MemorySegment wsaBufs, int count) throws WindowsException {
        OverlappedOperation.Buffers buffers = new OverlappedOperation.Buffers(wsaBufs, count);
        while (true) {
            int fd;
            synchronized (lock) {
                EmuSocket s = socketOf("WSASend", socket);
                try (Arena a = Arena.ofConfined()) {
                    long n = OverlappedOperation.sendFrom(a, s.fd, buffers, 0);
                    if (n >= 0) {
                        return n;
                    }
                }
                int errno = Libc.errno();
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    throw WindowsException.win32("WSASend", Errno.toWinsock(errno));
                }
                if (s.nonBlocking) {
                    return WOULD_BLOCK;
                }
                fd = s.fd;
            }
            awaitFd(fd, Libc.POLLOUT);
        }
    }

    @Override
    public void shutdown(long socket, int how) throws WindowsException {
        synchronized (lock) {
            EmuSocket s = socketOf("shutdown", socket);
            if (how < Winsock.SD_RECEIVE || how > Winsock.SD_BOTH) {
                throw WindowsException.win32("shutdown", Win32Error.WSAEINVAL);
            }
            if (Libc.shutdown(s.fd, how) != 0) {
                throw WindowsException.win32("shutdown", Errno.toWinsock(Libc.errno()));
            }
        }
    }

    @Override
    public void closeSocket(long socket) throws WindowsException {
        synchronized (lock) {
            EmuSocket s = socketOf("closesocket", socket);
            handles.remove(socket);
            s.closed = true;
            IllegalStateException violation = null;
            // Closing the last handle cancels the socket's pending I/O (IRP_MJ_CLEANUP): each operation's packet
            // still arrives, with STATUS_CANCELLED, which GetOverlappedResult reports as ERROR_OPERATION_ABORTED
            // (995); an AcceptEx pending on a closed listener ends the same way (Microsoft's AcceptEx and
            // closesocket pages; libuv's tcp.c and the JDK's Iocp treat 995 on close as the normal outcome).
            for (OverlappedOperation op : drain(s)) {
                op.status = NtStatus.CANCELLED;
                op.bytes = 0;
                try {
                    completeOverlapped(op, false);
                } catch (IllegalStateException e) {
                    violation = e;
                }
            }
            for (PollOperation poll : carriedBy(s)) {
                if (!poll.names(s)) {
                    // Closing a socket that carries polls of others ends them with nothing to report.
                    completePoll(poll, NtStatus.TIMEOUT, null, false);
                }
            }
            for (PollOperation poll : new ArrayList<>(s.polls)) {
                try {
                    completePoll(poll, NtStatus.SUCCESS, poll.evaluate(scratch, s), false);
                } catch (IllegalStateException e) {
                    violation = e;
                }
            }
            for (EmuPort port : s.watchers) {
                port.unwatch(s, true);
            }
            s.watchers.clear();
            Libc.close(s.fd);
            if (violation != null) {
                throw violation;
            }
        }
    }

    private static List<OverlappedOperation> drain(EmuSocket s) {
        List<OverlappedOperation> ops = new ArrayList<>(s.reads);
        ops.addAll(s.writes);
        s.reads.clear();
        s.writes.clear();
        return ops;
    }

    @Override
    public int getSocketOption(long socket, int level, int option) throws WindowsException {
        synchronized (lock) {
            EmuSocket s = socketOf("getsockopt", socket);
            if (level == Winsock.SOL_SOCKET && option == Winsock.SO_ERROR) {
                if (s.state == EmuSocket.State.CONNECTING) {
                    s.afdEvents(scratch);
                }
                if (s.state == EmuSocket.State.CONNECT_FAILED) {
                    return Errno.toWinsock(s.connectErrno);
                }
                int errno = scratch.socketError(s.fd);
                return errno == 0 ? 0 : Errno.toWinsock(errno);
            }
            int[] linux = linuxOption("getsockopt", level, option);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
                MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
                len.set(ValueLayout.JAVA_INT, 0, 4);
                if (Libc.getsockopt(s.fd, linux[0], linux[1], v, len) != 0) {
                    throw WindowsException.win32("getsockopt", Errno.toWinsock(Libc.errno()));
                }
                return v.get(ValueLayout.JAVA_INT, 0);
            }
        }
    }

    @Override
    public void setSocketOption(long socket, int level, int option, int value) throws WindowsException {
        synchronized (lock) {
            EmuSocket s = socketOf("setsockopt", socket);
            int[] linux = linuxOption("setsockopt", level, option);
            if (setIntOption(s.fd, linux[0], linux[1], value) != 0) {
                throw WindowsException.win32("setsockopt", Errno.toWinsock(Libc.errno()));
            }
        }
    }

    private static int[] linuxOption(String function, int level, int option) throws WindowsException {
        if (level == Winsock.SOL_SOCKET) {
            switch (option) {
                case Winsock.SO_REUSEADDR:
                    return new int[] {Libc.SOL_SOCKET, Libc.SO_REUSEADDR};
                case Winsock.SO_KEEPALIVE:
                    return new int[] {Libc.SOL_SOCKET, Libc.SO_KEEPALIVE};
                case Winsock.SO_SNDBUF:
                    return new int[] {Libc.SOL_SOCKET, Libc.SO_SNDBUF};
                case Winsock.SO_RCVBUF:
                    return new int[] {Libc.SOL_SOCKET, Libc.SO_RCVBUF};
                default:
                    break;
            }
        } else if (level == Winsock.IPPROTO_TCP && option == Winsock.TCP_NODELAY) {
            return new int[] {Libc.IPPROTO_TCP, Libc.TCP_NODELAY};
        }
        throw WindowsException.win32(function, Win32Error.WSAENOPROTOOPT);
    }

    @Override
    public void setLinger(long socket, int seconds) throws WindowsException {
        synchronized (lock) {
            EmuSocket s = socketOf("setsockopt", socket);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment linger = a.allocate(8, 4);
                linger.set(ValueLayout.JAVA_INT, 0, seconds >= 0 ? 1 : 0);
                linger.set(ValueLayout.JAVA_INT, 4, Math.max(0, seconds));
                if (Libc.setsockopt(s.fd, Libc.SOL_SOCKET, Libc.SO_LINGER, linger, 8) != 0) {
                    throw WindowsException.win32("setsockopt", Errno.toWinsock(Libc.errno()));
                }
            }
        }
    }

    @Override
    public int linger(long socket) throws WindowsException {
        synchronized (lock) {
            EmuSocket s = socketOf("getsockopt", socket);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment linger = a.allocate(8, 4);
                MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
                len.set(ValueLayout.JAVA_INT, 0, 8);
                if (Libc.getsockopt(s.fd, Libc.SOL_SOCKET, Libc.SO_LINGER, linger, len) != 0) {
                    throw WindowsException.win32("getsockopt", Errno.toWinsock(Libc.errno()));
                }
                return linger.get(ValueLayout.JAVA_INT, 0) != 0 ? linger.get(ValueLayout.JAVA_INT, 4) : -1;
            }
        }
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws WindowsException {
        synchronized (lock) {
            return address(socketOf("getsockname", socket), true);
        }
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws WindowsException {
        synchronized (lock) {
            return address(socketOf("getpeername", socket), false);
        }
    }

    private InetSocketAddress address(EmuSocket s, boolean local) throws WindowsException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SockAddr.MAX_SIZE, 8);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, SockAddr.MAX_SIZE);
            int r = local ? Libc.getsockname(s.fd, sa, len) : Libc.getpeername(s.fd, sa, len);
            if (r != 0) {
                throw WindowsException.win32(local ? "getsockname" : "getpeername", Errno.toWinsock(Libc.errno()));
            }
            return SockAddr.read(sa, Libc.AF_INET6);
        }
    }

    @Override
    public long baseHandle(long socket) throws WindowsException {
        synchronized (lock) {
            // No layered providers here: every socket is its own base socket.
            return socketOf("WSAIoctl", socket).handle;
        }
    }

    @Override
    public List<dev.dxreactor.transport.iocp.WsaProtocolInfo> enumProtocols() {
        return protocols.list();
    }

    @Override
    public void installLayeredProvider(String name, boolean ifs) {
        protocols.installLayered(name, ifs);
    }

    // ---- overlapped operations

    private int submit(OverlappedOperation op) throws WindowsException {
        int failure = faults.takeOverlappedFailure();
        if (failure != Win32Error.ERROR_SUCCESS) {
            throw WindowsException.win32(op.function, failure);
        }
        EmuSocket s = op.socket;
        if (s.port == null) {
            throw new IllegalStateException(op.function + " on a socket that is not associated with a completion port"
                    + " (the emulated kernel delivers overlapped results only through a port)");
        }
        Overlapped.reset(op.overlapped);
        java.util.ArrayDeque<OverlappedOperation> queue = op.isRead() ? s.reads : s.writes;
        queue.addLast(op);
        if (queue.size() == 1 && op.attempt(scratch)) {
            queue.pollFirst();
            if (op instanceof OverlappedOperation.Connect || op instanceof OverlappedOperation.Accept) {
                // Linux may finish (or refuse) a loopback connect, and accept a waiting client, inside the call;
                // AcceptEx and ConnectEx under Wine pend and report through their packet in both cases (the
                // conformance scenarios acceptex-with-a-waiting-client, connectex-succeeds, connectex-refused).
                completeOverlapped(op, false);
                return Win32Error.ERROR_IO_PENDING;
            }
            if (op.status != NtStatus.SUCCESS) {
                // Failed at once: the call returns SOCKET_ERROR with the Winsock code and queues no packet.
                throw WindowsException.win32(op.function, NtStatus.toWinsock(op.status));
            }
            completeOverlapped(op, true);
            return Win32Error.ERROR_SUCCESS;
        }
        watch(s, s.port);
        return Win32Error.ERROR_IO_PENDING;
    }

    @Override
    public int acceptEx(long listener, long acceptSocket, MemorySegment buffer, int addressLength,
            MemorySegment overlapped) throws WindowsException {
        if (addressLength < Winsock.ACCEPTEX_ADDRESS_LENGTH || buffer.byteSize() < 2L * addressLength) {
            throw WindowsException.win32("AcceptEx", Win32Error.WSAEINVAL);
        }
        synchronized (lock) {
            EmuSocket l = socketOf("AcceptEx", listener);
            EmuSocket target = socketOf("AcceptEx", acceptSocket);
            if (l.state != EmuSocket.State.LISTENING || target.bound || target.state != EmuSocket.State.UNCONNECTED) {
                throw WindowsException.win32("AcceptEx", Win32Error.WSAEINVAL);
            }
            return submit(new OverlappedOperation.Accept(this, l, target, buffer, addressLength, overlapped));
        }
    }

    @Override
    public InetSocketAddress[] acceptExAddresses(MemorySegment buffer, int addressLength) {
        return new InetSocketAddress[] {
            SockAddr.read(buffer, Winsock.AF_INET6), SockAddr.read(buffer.asSlice(addressLength), Winsock.AF_INET6)
        };
    }

    @Override
    public void updateAcceptContext(long accepted, long listener) throws WindowsException {
        synchronized (lock) {
            EmuSocket a = socketOf("setsockopt", accepted);
            EmuSocket l = socketOf("setsockopt", listener);
            if (a.acceptedFrom != l) {
                throw WindowsException.win32("setsockopt", Win32Error.WSAENOTCONN);
            }
        }
    }

    @Override
    public int connectEx(long socket, InetSocketAddress remote, MemorySegment overlapped) throws WindowsException {
        synchronized (lock) {
            EmuSocket s = socketOf("ConnectEx", socket);
            if (!s.bound) {
                throw WindowsException.win32("ConnectEx", Win32Error.WSAEINVAL);
            }
            if (s.state != EmuSocket.State.UNCONNECTED) {
                throw WindowsException.win32("ConnectEx", Win32Error.WSAEISCONN);
            }
            startConnect("ConnectEx", s, remote);
            return submit(new OverlappedOperation.Connect(s, overlapped));
        }
    }

    @Override
    public void updateConnectContext(long socket) throws WindowsException {
        synchronized (lock) {
            if (!socketOf("setsockopt", socket).connectedByConnectEx) {
                throw WindowsException.win32("setsockopt", Win32Error.WSAENOTCONN);
            }
        }
    }

    @Override
    public int wsaRecv(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped)
            throws WindowsException {
        synchronized (lock) {
            return submit(new OverlappedOperation.Recv(socketOf("WSARecv", socket), overlapped, wsaBufs, count));
        }
    }

    @Override
    public int wsaSend(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped)
            throws WindowsException {
        synchronized (lock) {
            return submit(new OverlappedOperation.Send(socketOf("WSASend", socket), overlapped, wsaBufs, count));
        }
    }

    @Override
    public boolean cancelIoEx(long handle, MemorySegment overlapped) throws WindowsException {
        if (EmuFiles.isFile(handle)) {
            return files.cancelIoEx(handle, overlapped);
        }
        synchronized (lock) {
            EmuSocket s = socketOf("CancelIoEx", handle);
            boolean found = false;
            boolean race = faults.takeCancelRace();
            for (java.util.ArrayDeque<OverlappedOperation> queue : List.of(s.reads, s.writes)) {
                for (OverlappedOperation op : new ArrayList<>(queue)) {
                    if (overlapped != null && !overlapped.equals(MemorySegment.NULL)
                            && op.overlapped.address() != overlapped.address()) {
                        continue;
                    }
                    if (race && queue.peekFirst() == op && op.attempt(scratch)) {
                        queue.remove(op);
                        completeOverlapped(op, false);
                        continue;
                    }
                    queue.remove(op);
                    op.status = NtStatus.CANCELLED;
                    op.bytes = 0;
                    completeOverlapped(op, false);
                    found = true;
                }
            }
            return found;
        }
    }

    // ---- files (EmuFiles)

    @Override
    public long createFile(String path, int access, int shareMode, int disposition, int flags)
            throws WindowsException {
        checkAvailable();
        return files.createFile(path, access, shareMode, disposition, flags);
    }

    @Override
    public int readFile(long file, MemorySegment buffer, long offset, MemorySegment overlapped)
            throws WindowsException {
        return files.readFile(file, buffer, offset, overlapped);
    }

    @Override
    public int writeFile(long file, MemorySegment buffer, long offset, MemorySegment overlapped)
            throws WindowsException {
        return files.writeFile(file, buffer, offset, overlapped);
    }

    @Override
    public long fileSize(long file) throws WindowsException {
        return files.fileSize(file);
    }

    @Override
    public void flushFileBuffers(long file) throws WindowsException {
        files.flushFileBuffers(file);
    }

    /** The ports as the files see them. The kernel never calls into the files while it holds its lock. */
    private final class FilePorts implements EmuFiles.Ports {
        @Override
        public boolean isPort(long port) {
            synchronized (lock) {
                return handles.get(port) instanceof EmuPort p && !p.closed;
            }
        }

        @Override
        public void queue(long port, long key, MemorySegment overlapped, int status, int bytes, String operation) {
            synchronized (lock) {
                if (handles.get(port) instanceof EmuPort p) {
                    EmulatedKernel.this.queue(p, new EmuPort.Packet(key, overlapped.address(), status, bytes,
                            overlapped, operation));
                }
            }
        }

        @Override
        public void wake(long port) {
            synchronized (lock) {
                if (handles.get(port) instanceof EmuPort p) {
                    p.wake();
                }
            }
        }

        @Override
        public IllegalStateException violation(String what) {
            return EmulatedKernel.this.violation(what);
        }
    }
}
