package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * The Windows kernel surface emulated over Linux sockets (FFM to libc). Operations complete when
 * {@link #dequeue} (of the port they complete to) finds their socket ready, or at once on submission, cancel and
 * close, never on a thread of the emulator's own. Completions are written into the operation's memory, which is
 * checked to be alive first.
 *
 * <p>This class only routes each call to the part that implements it: {@link EmuPorts} (completion ports,
 * dequeue, delivery of completions), {@link EmuAfd} (AFD helpers and polls), {@link EmuWinsock} (socket calls,
 * closesocket), {@link EmuOverlapped} (overlapped operations, CancelIoEx) and {@link EmuFiles} (file handles, in a
 * range of their own, routed before any lock is taken). There is no global lock: each port has its own, each
 * socket its own ({@link EmuLocks}), the files their own monitor, and no lock is held while a call blocks.
 */
public final class EmulatedKernel implements EmulatedWindowsKernel {

    private static final Throwable UNAVAILABLE = unavailability();

    private final EmuHandles handles = new EmuHandles();
    private final EmuFaults faults = new EmuFaults();
    // A dequeue runs the file transfers pending on its port first, outside every lock.
    private final EmuPorts ports = new EmuPorts(handles, faults, port -> files().run(port));
    private final EmuAfd afd = new EmuAfd(handles, ports, faults);
    private final EmuWinsock winsock = new EmuWinsock(handles, ports);
    private final EmuOverlapped overlapped = new EmuOverlapped(handles, ports, winsock, faults);
    private final EmuFiles files = new EmuFiles(new FilePorts());
    private final EmuProtocols protocols = new EmuProtocols();

    private EmulatedKernel() {
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

    private EmuFiles files() {
        return files;
    }

    private void checkAvailable() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("the emulated Windows kernel is unavailable", UNAVAILABLE);
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
        return ports.violations();
    }

    @Override
    public long transmitFileBytes() {
        return overlapped.transmitted();
    }

    @Override
    public int openFileHandles() {
        return files.openFiles();
    }

    @Override
    public int portConcurrency(long port) {
        return handles.get(port) instanceof EmuPort p ? p.concurrency : -1;
    }

    @Override
    public int pendingPolls(long socket) {
        if (handles.get(socket) instanceof EmuSocket s) {
            try (EmuLocks held = EmuLocks.only(s)) {
                return s.polls.size();
            }
        }
        return 0;
    }

    // ---- completion ports

    @Override
    public long createCompletionPort(int concurrency) throws WindowsException {
        checkAvailable();
        return ports.create(concurrency);
    }

    @Override
    public void associate(long handle, long port, long key) throws WindowsException {
        if (EmuFiles.isFile(handle)) {
            files.associate(handle, port, key);
            return;
        }
        ports.associate(handle, port, key);
    }

    @Override
    public void setCompletionNotificationModes(long handle, int flags) throws WindowsException {
        ports.setNotificationModes(handle, flags);
    }

    @Override
    public int dequeue(long port, MemorySegment entries, int timeoutMillis) throws WindowsException {
        return ports.dequeue(port, entries, timeoutMillis);
    }

    @Override
    public void post(long port, long key, long overlapped, int bytes) throws WindowsException {
        ports.post(port, key, overlapped, bytes);
    }

    @Override
    public void closeHandle(long handle) throws WindowsException {
        if (EmuFiles.isFile(handle)) {
            files.close(handle);
            return;
        }
        Object object = handles.get(handle);
        if (object instanceof EmuPort port && handles.remove(handle, port)) {
            ports.close(port);
        } else if (object instanceof EmuHelper helper && handles.remove(handle, helper)) {
            afd.closeHelper(helper);
        } else {
            throw WindowsException.win32("CloseHandle", Win32Error.ERROR_INVALID_HANDLE);
        }
    }

    // ---- AFD_POLL

    @Override
    public long openAfdHelper(String name) throws WindowsException {
        checkAvailable();
        return afd.openHelper(name);
    }

    @Override
    public int afdPoll(long carrier, MemorySegment ioStatusBlock, MemorySegment pollInfo) {
        return afd.poll(carrier, ioStatusBlock, pollInfo);
    }

    @Override
    public int cancelAfdPoll(long carrier, MemorySegment ioStatusBlock) {
        return afd.cancel(carrier, ioStatusBlock);
    }

    // ---- Winsock

    @Override
    public long socket(int addressFamily, int type, int protocol) throws WindowsException {
        checkAvailable();
        return winsock.socket(addressFamily, type, protocol);
    }

    @Override
    public void setNonBlocking(long socket, boolean nonBlocking) throws WindowsException {
        winsock.setNonBlocking(socket, nonBlocking);
    }

    @Override
    public void bind(long socket, InetSocketAddress address) throws WindowsException {
        winsock.bind(socket, address);
    }

    @Override
    public void listen(long socket, int backlog) throws WindowsException {
        winsock.listen(socket, backlog);
    }

    @Override
    public long accept(long listener) throws WindowsException {
        return winsock.accept(listener);
    }

    @Override
    public boolean connect(long socket, InetSocketAddress remote) throws WindowsException {
        return winsock.connect(socket, remote);
    }

    @Override
    public int recv(long socket, MemorySegment buffer, int flags) throws WindowsException {
        return winsock.recv(socket, buffer, flags);
    }

    @Override
    public int send(long socket, MemorySegment buffer, int flags) throws WindowsException {
        return winsock.send(socket, buffer, flags);
    }

    @Override
    public long sendGather(long socket, MemorySegment wsaBufs, int count) throws WindowsException {
        return winsock.sendGather(socket, wsaBufs, count);
    }

    @Override
    public void shutdown(long socket, int how) throws WindowsException {
        winsock.shutdown(socket, how);
    }

    @Override
    public void closeSocket(long socket) throws WindowsException {
        winsock.closeSocket(socket);
    }

    @Override
    public int getSocketOption(long socket, int level, int option) throws WindowsException {
        return winsock.getSocketOption(socket, level, option);
    }

    @Override
    public void setSocketOption(long socket, int level, int option, int value) throws WindowsException {
        winsock.setSocketOption(socket, level, option, value);
    }

    @Override
    public void setLinger(long socket, int seconds) throws WindowsException {
        winsock.setLinger(socket, seconds);
    }

    @Override
    public int linger(long socket) throws WindowsException {
        return winsock.linger(socket);
    }

    @Override
    public InetSocketAddress localAddress(long socket) throws WindowsException {
        return winsock.localAddress(socket);
    }

    @Override
    public InetSocketAddress remoteAddress(long socket) throws WindowsException {
        return winsock.remoteAddress(socket);
    }

    @Override
    public long baseHandle(long socket) throws WindowsException {
        return winsock.baseHandle(socket);
    }

    @Override
    public List<dev.dxreactor.transport.iocp.WsaProtocolInfo> enumProtocols() {
        return protocols.list();
    }

    @Override
    public void completeAcceptAndConnectInline(boolean inline) {
        overlapped.completeAcceptAndConnectInline(inline);
    }

    @Override
    public void installLayeredProvider(String name, boolean ifs) {
        protocols.installLayered(name, ifs);
    }

    // ---- overlapped operations

    @Override
    public int acceptEx(long listener, long acceptSocket, MemorySegment buffer, int addressLength,
            MemorySegment overlapped) throws WindowsException {
        return this.overlapped.acceptEx(listener, acceptSocket, buffer, addressLength, overlapped);
    }

    @Override
    public InetSocketAddress[] acceptExAddresses(MemorySegment buffer, int addressLength) {
        return EmuOverlapped.acceptExAddresses(buffer, addressLength);
    }

    @Override
    public void updateAcceptContext(long accepted, long listener) throws WindowsException {
        overlapped.updateAcceptContext(accepted, listener);
    }

    @Override
    public int connectEx(long socket, InetSocketAddress remote, MemorySegment overlapped) throws WindowsException {
        return this.overlapped.connectEx(socket, remote, overlapped);
    }

    @Override
    public void updateConnectContext(long socket) throws WindowsException {
        overlapped.updateConnectContext(socket);
    }

    @Override
    public int wsaRecv(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped)
            throws WindowsException {
        return this.overlapped.wsaRecv(socket, wsaBufs, count, overlapped);
    }

    @Override
    public int wsaSend(long socket, MemorySegment wsaBufs, int count, MemorySegment overlapped)
            throws WindowsException {
        return this.overlapped.wsaSend(socket, wsaBufs, count, overlapped);
    }

    @Override
    public int transmitFile(long socket, long file, long offset, int bytes, MemorySegment overlapped)
            throws WindowsException {
        TransmitFileArguments.check(offset, bytes);
        if (!EmuFiles.isFile(file)) {
            throw WindowsException.win32("TransmitFile", Win32Error.ERROR_INVALID_HANDLE);
        }
        return this.overlapped.transmitFile(socket, files.duplicateForTransmit(file), offset, bytes, overlapped);
    }

    @Override
    public boolean cancelIoEx(long handle, MemorySegment overlapped) throws WindowsException {
        if (EmuFiles.isFile(handle)) {
            return files.cancelIoEx(handle, overlapped);
        }
        return this.overlapped.cancelIoEx(handle, overlapped);
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

    /** The ports as the files see them; each call takes only the port's own monitor (a leaf). */
    private final class FilePorts implements EmuFiles.Ports {
        @Override
        public boolean isPort(long port) {
            return handles.get(port) instanceof EmuPort p && !p.closed;
        }

        @Override
        public void queue(long port, long key, MemorySegment overlapped, int status, int bytes, String operation) {
            if (handles.get(port) instanceof EmuPort p) {
                ports.queue(p, new EmuPort.Packet(key, overlapped.address(), status, bytes, overlapped, operation));
            }
        }

        @Override
        public void wake(long port) {
            if (handles.get(port) instanceof EmuPort p) {
                ports.kick(p);
            }
        }

        @Override
        public IllegalStateException violation(String what) {
            return ports.violation(what);
        }
    }
}
