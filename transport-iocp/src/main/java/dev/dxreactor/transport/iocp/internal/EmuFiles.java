package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Overlapped;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.Win32File;
import dev.dxreactor.transport.iocp.WindowsException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The emulated kernel's files: {@code CreateFileW} over {@code open(2)}, overlapped {@code ReadFile} and
 * {@code WriteFile} as {@code pread}/{@code pwrite} on the Linux descriptor, completing through the emulated port
 * the way Windows reports them: the call answers {@code ERROR_IO_PENDING}, and the transfer happens when a
 * {@code dequeue} of the file's port runs, which writes the OVERLAPPED and queues the packet. Until then the
 * buffer and the OVERLAPPED belong to the operation: finding either released is a memory violation. Reading at or
 * past the end gives a packet with {@code STATUS_END_OF_FILE} ({@code ERROR_HANDLE_EOF}); {@code CancelIoEx} and
 * {@code CloseHandle} end pending transfers with {@code STATUS_CANCELLED}, each still with its packet.
 *
 * <p>Errors are those Windows gives for the same situation (Linux errno on the left):
 * <pre>
 * CreateFileW   ENOENT, parent directory exists     ERROR_FILE_NOT_FOUND
 *               ENOENT, a directory on the way gone ERROR_PATH_NOT_FOUND
 *               ENOTDIR (a file used as directory)  ERROR_PATH_NOT_FOUND
 *               EACCES, EPERM, EISDIR; a directory  ERROR_ACCESS_DENIED (no FILE_FLAG_BACKUP_SEMANTICS)
 *               EROFS                               ERROR_WRITE_PROTECT
 *               EEXIST (CREATE_NEW)                 ERROR_FILE_EXISTS
 *               ENAMETOOLONG                        ERROR_FILENAME_EXCED_RANGE
 *               ELOOP                               ERROR_CANT_RESOLVE_FILENAME
 *               EMFILE, ENFILE                      ERROR_TOO_MANY_OPEN_FILES
 *               ETXTBSY, EBUSY                      ERROR_SHARING_VIOLATION
 *               ENOSPC, EDQUOT                      ERROR_DISK_FULL
 *               EIO                                 ERROR_IO_DEVICE
 *               anything else                       ERROR_GEN_FAILURE
 * GetFileSizeEx ESPIPE (a FIFO)                      ERROR_INVALID_FUNCTION
 * ReadFile,     read on a handle without GENERIC_READ (or write without GENERIC_WRITE): ERROR_ACCESS_DENIED at
 * WriteFile     once, no packet; in the packet: ENOSPC, EDQUOT STATUS_DISK_FULL; EFBIG STATUS_FILE_TOO_LARGE;
 *               EINVAL, ESPIPE (not a regular file) STATUS_INVALID_PARAMETER; others STATUS_IO_DEVICE_ERROR
 * </pre>
 * Share modes are accepted but not enforced (Linux has no mandatory sharing), so {@code ERROR_SHARING_VIOLATION}
 * never comes from another open handle.
 *
 * <p>Thread-safe on its own monitor, which no caller holds a port or socket lock around: the kernel routes file
 * handles here before taking any lock and runs {@link #run} at the start of each dequeue pass, outside every lock;
 * from here only a port's own monitor (a leaf) is taken, to queue a packet or wake a dequeue.
 */
final class EmuFiles {

    /** File handles live in a range of their own, so the kernel routes them here without a lookup. */
    static final long FIRST_HANDLE = 0x4000_0000_0000L;

    /** What the emulated kernel provides: its ports, and the record of memory violations. */
    interface Ports {
        boolean isPort(long port);

        /** Queues a packet on {@code port} (ignored when it is closed) and wakes a dequeue blocked on it. */
        void queue(long port, long key, MemorySegment overlapped, int status, int bytes, String operation);

        /** Wakes a dequeue blocked on {@code port}, which then runs the file transfers pending there. */
        void wake(long port);

        IllegalStateException violation(String what);
    }

    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EIO = 5;
    private static final int EBUSY = 16;
    private static final int EEXIST = 17;
    private static final int ENOTDIR = 20;
    private static final int EISDIR = 21;
    private static final int EINVAL = 22;
    private static final int ENFILE = 23;
    private static final int EMFILE = 24;
    private static final int ETXTBSY = 26;
    private static final int EFBIG = 27;
    private static final int ENOSPC = 28;
    private static final int ESPIPE = 29;
    private static final int EROFS = 30;
    private static final int EACCES = 13;
    private static final int ENAMETOOLONG = 36;
    private static final int ELOOP = 40;
    private static final int EDQUOT = 122;

    private static final class EmuFile {
        final int fd;
        final boolean readable;
        final boolean writable;
        long port;
        long key;

        EmuFile(int fd, boolean readable, boolean writable) {
            this.fd = fd;
            this.readable = readable;
            this.writable = writable;
        }
    }

    private static final class Transfer {
        final EmuFile file;
        final boolean write;
        final MemorySegment buffer;
        final long offset;
        final MemorySegment overlapped;

        Transfer(EmuFile file, boolean write, MemorySegment buffer, long offset, MemorySegment overlapped) {
            this.file = file;
            this.write = write;
            this.buffer = buffer;
            this.offset = offset;
            this.overlapped = overlapped;
        }

        String function() {
            return write ? "WriteFile" : "ReadFile";
        }
    }

    private final Ports ports;
    private final Map<Long, EmuFile> files = new HashMap<>();
    /** Transfers waiting for a dequeue of their port, in submission order. */
    private final Map<Long, ArrayDeque<Transfer>> pending = new HashMap<>();
    private long nextHandle = FIRST_HANDLE;

    EmuFiles(Ports ports) {
        this.ports = ports;
    }

    static boolean isFile(long handle) {
        return handle >= FIRST_HANDLE && handle < FIRST_HANDLE * 2;
    }

    private EmuFile file(String function, long handle) throws WindowsException {
        EmuFile file = files.get(handle);
        if (file == null) {
            throw WindowsException.win32(function, Win32Error.ERROR_INVALID_HANDLE);
        }
        return file;
    }

    synchronized long createFile(String path, int access, int shareMode, int disposition, int flags)
            throws WindowsException {
        boolean read = (access & Win32File.GENERIC_READ) != 0;
        boolean write = (access & Win32File.GENERIC_WRITE) != 0;
        int create = switch (disposition) {
            case Win32File.CREATE_NEW -> Libc.O_CREAT | Libc.O_EXCL;
            case Win32File.CREATE_ALWAYS -> Libc.O_CREAT | Libc.O_TRUNC;
            case Win32File.OPEN_EXISTING -> 0;
            case Win32File.OPEN_ALWAYS -> Libc.O_CREAT;
            default -> throw WindowsException.win32("CreateFileW", Win32Error.ERROR_INVALID_PARAMETER);
        };
        if (!read && !write || path.isEmpty() || path.indexOf('\0') >= 0) {
            throw WindowsException.win32("CreateFileW", read || write ? Win32Error.ERROR_INVALID_NAME
                    : Win32Error.ERROR_INVALID_PARAMETER);
        }
        int mode = read && write ? Libc.O_RDWR : write ? Libc.O_WRONLY : Libc.O_RDONLY;
        int fd;
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            // Non-blocking, so that opening a FIFO cannot park the caller.
            fd = Libc.open(arena.allocateFrom(path), mode | create | Libc.O_CLOEXEC | Libc.O_NONBLOCK, 0666);
            errno = Libc.errno();
        }
        if (fd < 0) {
            throw WindowsException.win32("CreateFileW", openError(path, errno));
        }
        if (isDirectory(path)) {
            Libc.close(fd);
            throw WindowsException.win32("CreateFileW", Win32Error.ERROR_ACCESS_DENIED);
        }
        long handle = nextHandle;
        nextHandle += 4;
        files.put(handle, new EmuFile(fd, read, write));
        return handle;
    }

    private static boolean isDirectory(String path) {
        try {
            return Files.isDirectory(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The Win32 error {@code CreateFileW} gives where {@code open(2)} failed with {@code errno}. */
    static int openError(String path, int errno) {
        return switch (errno) {
            case ENOENT -> parentExists(path) ? Win32Error.ERROR_FILE_NOT_FOUND : Win32Error.ERROR_PATH_NOT_FOUND;
            case ENOTDIR -> Win32Error.ERROR_PATH_NOT_FOUND;
            case EACCES, EPERM, EISDIR -> Win32Error.ERROR_ACCESS_DENIED;
            case EROFS -> Win32Error.ERROR_WRITE_PROTECT;
            case EEXIST -> Win32Error.ERROR_FILE_EXISTS;
            case ENAMETOOLONG -> Win32Error.ERROR_FILENAME_EXCED_RANGE;
            case ELOOP -> Win32Error.ERROR_CANT_RESOLVE_FILENAME;
            case EMFILE, ENFILE -> Win32Error.ERROR_TOO_MANY_OPEN_FILES;
            case ETXTBSY, EBUSY -> Win32Error.ERROR_SHARING_VIOLATION;
            case ENOSPC, EDQUOT -> Win32Error.ERROR_DISK_FULL;
            case EIO -> Win32Error.ERROR_IO_DEVICE;
            default -> Win32Error.ERROR_GEN_FAILURE;
        };
    }

    private static boolean parentExists(String path) {
        try {
            Path parent = Path.of(path).toAbsolutePath().getParent();
            return parent == null || Files.isDirectory(parent);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The NTSTATUS a transfer's packet carries where {@code pread}/{@code pwrite} failed with {@code errno}. */
    static int transferStatus(int errno) {
        return switch (errno) {
            case ENOSPC, EDQUOT -> NtStatus.DISK_FULL;
            case EFBIG -> NtStatus.FILE_TOO_LARGE;
            case EINVAL, ESPIPE, EISDIR -> NtStatus.INVALID_PARAMETER;
            default -> NtStatus.IO_DEVICE_ERROR;
        };
    }

    synchronized void associate(long handle, long port, long key) throws WindowsException {
        EmuFile file = file("CreateIoCompletionPort", handle);
        if (!ports.isPort(port)) {
            throw WindowsException.win32("CreateIoCompletionPort", Win32Error.ERROR_INVALID_HANDLE);
        }
        if (file.port != 0) {
            throw WindowsException.win32("CreateIoCompletionPort", Win32Error.ERROR_INVALID_PARAMETER);
        }
        file.port = port;
        file.key = key;
    }

    int readFile(long handle, MemorySegment buffer, long offset, MemorySegment overlapped) throws WindowsException {
        return submit(handle, false, buffer, offset, overlapped);
    }

    int writeFile(long handle, MemorySegment buffer, long offset, MemorySegment overlapped) throws WindowsException {
        return submit(handle, true, buffer, offset, overlapped);
    }

    private int submit(long handle, boolean write, MemorySegment buffer, long offset, MemorySegment overlapped)
            throws WindowsException {
        String function = write ? "WriteFile" : "ReadFile";
        if (buffer.byteSize() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(function + " moves at most 4 GiB - 1 bytes, not " + buffer.byteSize());
        }
        long port;
        synchronized (this) {
            EmuFile file = file(function, handle);
            if (write ? !file.writable : !file.readable) {
                throw WindowsException.win32(function, Win32Error.ERROR_ACCESS_DENIED);
            }
            if (file.port == 0) {
                throw new IllegalStateException(function + " on a file that is not associated with a completion port"
                        + " (the emulated kernel delivers overlapped results only through a port)");
            }
            Overlapped.reset(overlapped);
            Overlapped.setOffset(overlapped, offset);
            overlapped.set(java.lang.foreign.ValueLayout.JAVA_LONG, Overlapped.INTERNAL, NtStatus.PENDING);
            port = file.port;
            pending.computeIfAbsent(port, p -> new ArrayDeque<>())
                    .add(new Transfer(file, write, buffer, offset, overlapped));
        }
        ports.wake(port);
        return Win32Error.ERROR_IO_PENDING;
    }

    /** Runs the transfers pending on {@code port} and queues their packets; called by a dequeue of that port. */
    synchronized void run(long port) {
        ArrayDeque<Transfer> queue = pending.get(port);
        if (queue == null) {
            return;
        }
        pending.remove(port);
        for (Transfer t : queue) {
            if (!t.overlapped.scope().isAlive() || !t.buffer.scope().isAlive()) {
                throw ports.violation("a " + t.function() + " (transfer)");
            }
            long done = 0;
            int status = NtStatus.SUCCESS;
            long length = t.buffer.byteSize();
            while (done < length) {
                MemorySegment rest = t.buffer.asSlice(done);
                long n = t.write ? Libc.pwrite(t.file.fd, rest, length - done, t.offset + done)
                        : Libc.pread(t.file.fd, rest, length - done, t.offset + done);
                if (n < 0) {
                    int errno = Libc.errno();
                    if (errno == Libc.EINTR) {
                        continue;
                    }
                    status = transferStatus(errno);
                    break;
                }
                if (n == 0) {
                    break;
                }
                done += n;
            }
            if (!t.write && status == NtStatus.SUCCESS && done == 0 && length > 0) {
                status = NtStatus.END_OF_FILE;
            }
            complete(t, status, done);
        }
    }

    private void complete(Transfer t, int status, long bytes) {
        Overlapped.complete(t.overlapped, status, bytes);
        ports.queue(t.file.port, t.file.key, t.overlapped, status, (int) bytes, "a " + t.function());
    }

    /** {@code CancelIoEx} of a file: true when something was pending (its packet says STATUS_CANCELLED). */
    synchronized boolean cancelIoEx(long handle, MemorySegment overlapped) throws WindowsException {
        EmuFile file = file("CancelIoEx", handle);
        boolean all = overlapped == null || overlapped.equals(MemorySegment.NULL);
        List<Transfer> cancelled = new ArrayList<>();
        ArrayDeque<Transfer> queue = pending.get(file.port);
        if (queue != null) {
            for (Iterator<Transfer> it = queue.iterator(); it.hasNext();) {
                Transfer t = it.next();
                if (t.file == file && (all || t.overlapped.address() == overlapped.address())) {
                    it.remove();
                    cancelled.add(t);
                }
            }
        }
        for (Transfer t : cancelled) {
            complete(t, NtStatus.CANCELLED, 0);
        }
        return !cancelled.isEmpty();
    }

    /**
     * A descriptor of its own for the file TransmitFile reads: Windows' operation holds the file object, so the
     * handle may be closed (and its number reused) while the send goes on. The caller closes it when the operation
     * has ended.
     */
    synchronized int duplicateForTransmit(long handle) throws WindowsException {
        EmuFile file = file("TransmitFile", handle);
        if (!file.readable) {
            throw WindowsException.win32("TransmitFile", Win32Error.ERROR_ACCESS_DENIED);
        }
        int fd = Libc.duplicate(file.fd);
        if (fd < 0) {
            throw WindowsException.win32("TransmitFile", Win32Error.ERROR_TOO_MANY_OPEN_FILES);
        }
        return fd;
    }

    /** {@code CloseHandle} of a file: what is pending ends with STATUS_CANCELLED (packets still come). */
    synchronized void close(long handle) throws WindowsException {
        EmuFile file = file("CloseHandle", handle);
        cancelIoEx(handle, null);
        files.remove(handle);
        Libc.close(file.fd);
    }

    synchronized long fileSize(long handle) throws WindowsException {
        long size = Libc.lseek(file("GetFileSizeEx", handle).fd, 0, Libc.SEEK_END);
        if (size < 0) {
            // A FIFO or socket has no size: Windows answers "incorrect function" for calls a device does not take.
            throw WindowsException.win32("GetFileSizeEx", Libc.errno() == ESPIPE ? Win32Error.ERROR_INVALID_FUNCTION
                    : Win32Error.ERROR_GEN_FAILURE);
        }
        return size;
    }

    void flushFileBuffers(long handle) throws WindowsException {
        int fd;
        synchronized (this) {
            fd = file("FlushFileBuffers", handle).fd;
        }
        // Outside the monitor: fsync blocks, as FlushFileBuffers does.
        if (Libc.fsync(fd) != 0) {
            int errno = Libc.errno();
            throw WindowsException.win32("FlushFileBuffers", errno == ENOSPC || errno == EDQUOT
                    ? Win32Error.ERROR_DISK_FULL : Win32Error.ERROR_IO_DEVICE);
        }
    }

    /** Open file handles, for tests. */
    synchronized int openFiles() {
        return files.size();
    }
}
