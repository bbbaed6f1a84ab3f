package dev.dxreactor.fileio.internal;

import io.netty.channel.uring.IoUringIoOps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Every io_uring submission the file backend makes, and every Linux constant it needs, in one place. Each
 * factory fills the fields of {@code io_uring_sqe} the way liburing's {@code io_uring_prep_*} helper of the same
 * name does.
 */
final class UringOps {

    // Opcodes of include/uapi/linux/io_uring.h (stable kernel ABI).
    static final byte OP_FSYNC = 3;
    static final byte OP_ASYNC_CANCEL = 14;
    static final byte OP_OPENAT = 18;
    static final byte OP_CLOSE = 19;
    static final byte OP_STATX = 21;
    static final byte OP_READ = 22;
    static final byte OP_WRITE = 23;

    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 0x1;
    private static final int O_CREAT = 0x40;
    private static final int O_TRUNC = 0x200;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    /**
     * Non-blocking so that a FIFO or device under the path cannot park the read forever: io_uring completes such
     * a read with {@code -EAGAIN} instead of waiting; regular files ignore the flag.
     */
    static final int OPEN_READ = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
    static final int OPEN_WRITE = O_WRONLY | O_CREAT | O_CLOEXEC;
    static final int OPEN_REPLACE = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
    /** 0666, narrowed by the process umask like every JDK file creation. */
    private static final int CREATE_MODE = 0x1B6;

    private static final int STATX_TYPE = 0x1;
    private static final int STATX_MODE = 0x2;
    private static final int STATX_SIZE = 0x200;
    private static final int S_IFMT = 0xF000;
    private static final int S_IFDIR = 0x4000;
    private static final int S_IFREG = 0x8000;

    /** Per-file scratch memory: {@code struct statx}, an empty C string, then the NUL-terminated path. */
    static final long STATX_OFFSET = 0;
    static final long STATX_BYTES = 256;
    static final long EMPTY_PATH_OFFSET = 256;
    static final long PATH_OFFSET = 264;
    static final int PATH_MAX = 4096;
    static final long SLOT_BYTES = PATH_OFFSET + PATH_MAX;
    private static final long STX_MODE_OFFSET = 28;
    private static final long STX_SIZE_OFFSET = 40;

    private UringOps() {
    }

    static IoUringIoOps openat(long path, int flags, long tag) {
        return sqe(OP_OPENAT, AT_FDCWD, 0, path, CREATE_MODE, flags, tag);
    }

    /**
     * {@code statx(fd, "", AT_EMPTY_PATH)}: the opened file itself, not whatever the path names by now. The kernel
     * always runs it on an io_uring worker thread, so reads ask for it only when a file outgrows the first read.
     */
    static IoUringIoOps statx(int fd, long emptyPath, long statxBuf, long tag) {
        return sqe(OP_STATX, fd, statxBuf, emptyPath, STATX_TYPE | STATX_MODE | STATX_SIZE, AT_EMPTY_PATH, tag);
    }

    static IoUringIoOps read(int fd, long address, int length, long offset, long tag) {
        return sqe(OP_READ, fd, offset, address, length, 0, tag);
    }

    static IoUringIoOps write(int fd, long address, int length, long offset, long tag) {
        return sqe(OP_WRITE, fd, offset, address, length, 0, tag);
    }

    static IoUringIoOps fsync(int fd, long tag) {
        return sqe(OP_FSYNC, fd, 0, 0, 0, 0, tag);
    }

    static IoUringIoOps close(int fd, long tag) {
        return sqe(OP_CLOSE, fd, 0, 0, 0, 0, tag);
    }

    /** Cancels the submission that {@code IoRegistration.submit} returned {@code target} for. */
    static IoUringIoOps cancel(long target, long tag) {
        return sqe(OP_ASYNC_CANCEL, -1, 0, target, 0, 0, tag);
    }

    /**
     * {@code tag} is Netty's user data of the submission (a slot index below 32,767, or -1 for cancels): small
     * enough for the handler's fast path, which needs no pending-operation table. The {@code long} tag constructor
     * is 4.2.17's; the {@code short} one is deprecated there.
     */
    private static IoUringIoOps sqe(byte opcode, int fd, long off, long addr, int len, int opFlags, long tag) {
        return new IoUringIoOps(opcode, (byte) 0, (short) 0, fd, off, addr, len, opFlags, tag,
                (short) 0, (short) 0, 0, 0L);
    }

    static int statxMode(MemorySegment slot) {
        return slot.get(ValueLayout.JAVA_SHORT, STATX_OFFSET + STX_MODE_OFFSET) & 0xFFFF;
    }

    static long statxSize(MemorySegment slot) {
        return slot.get(ValueLayout.JAVA_LONG, STATX_OFFSET + STX_SIZE_OFFSET);
    }

    static boolean isDirectory(int mode) {
        return (mode & S_IFMT) == S_IFDIR;
    }

    static boolean isRegularFile(int mode) {
        return (mode & S_IFMT) == S_IFREG;
    }
}
