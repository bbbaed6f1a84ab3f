package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileIoException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * One file's walk through the ring: open, read or write until done, (fsync,) close. A whole-file read starts with
 * one read of the size its loop's {@link FirstReadSize} gives; a shorter result is the whole file (a regular file
 * reads short only at its end), so most files cost three submissions. Only a file that fills the first read is sized
 * with statx. Exactly one submission is in flight at a time, so the slot index is enough to route its completion.
 * Runs on the ring's event loop only.
 */
final class UringFileOp extends LoopFileOp {

    private enum Phase { OPENING, STATING, READING, WRITING, SYNCING, CLOSING }

    private final byte[] pathBytes;

    private UringFileRing ring;
    private MemorySegment scratch;
    private Phase phase;
    private int fd = -1;
    /** Bytes to read or write: for a whole-file read the first read's size, then the size statx gave. */
    private int length;
    private int done;
    /** Whether statx sized a whole-file read (after its first read came back full). */
    private boolean sized;
    private long ioAddress;
    /** What {@code IoRegistration.submit} returned for the submission in flight, for cancelling it. */
    long inFlight;

    private UringFileOp(FileOpKind kind, Path path, ByteBufAllocator alloc, long offset, int length, ByteBuf source,
                        boolean fsync, int maxReadBytes, FileCompletion completion) {
        super(kind, path, alloc, offset, source, fsync, maxReadBytes, completion);
        this.pathBytes = PathBytes.of(path);
        this.length = length;
    }

    static UringFileOp readAll(Path path, ByteBufAllocator alloc, int maxReadBytes, FileCompletion completion) {
        return new UringFileOp(FileOpKind.READ_ALL, path, alloc, 0, 0, null, false, maxReadBytes, completion);
    }

    static UringFileOp readRange(Path path, long offset, int length, ByteBufAllocator alloc, int maxReadBytes,
                                 FileCompletion completion) {
        return new UringFileOp(FileOpKind.READ_RANGE, path, alloc, offset, length, null, false, maxReadBytes, completion);
    }

    static UringFileOp write(FileOpKind kind, Path path, long offset, ByteBuf data, boolean fsync,
                             FileCompletion completion) {
        return new UringFileOp(kind, path, null, offset, data.readableBytes(), data, fsync, 0, completion);
    }

    /** Takes {@code slot}; its scratch memory holds the path until the open completes, and the statx result. */
    void start(UringFileRing ring, int slot, MemorySegment scratch) {
        this.ring = ring;
        this.slot = slot;
        this.scratch = scratch;
        if (pathBytes.length >= UringOps.PATH_MAX) {
            error = Errno.ENAMETOOLONG.exception(path);
            ring.finish(this);
            return;
        }
        if (kind == FileOpKind.READ_RANGE && length > maxReadBytes) {
            error = FallbackFiles.tooLarge(path, length);
            ring.finish(this);
            return;
        }
        MemorySegment.copy(pathBytes, 0, scratch, ValueLayout.JAVA_BYTE, UringOps.PATH_OFFSET, pathBytes.length);
        scratch.set(ValueLayout.JAVA_BYTE, UringOps.PATH_OFFSET + pathBytes.length, (byte) 0);
        phase = Phase.OPENING;
        int flags = switch (kind) {
            case READ_ALL, READ_RANGE -> UringOps.OPEN_READ;
            case WRITE_RANGE -> UringOps.OPEN_WRITE;
            case WRITE_ALL -> UringOps.OPEN_REPLACE;
        };
        ring.submit(this, UringOps.openat(scratch.address() + UringOps.PATH_OFFSET, flags, slot));
    }

    boolean isClosingFile() {
        return phase == Phase.CLOSING;
    }

    /** The completion of the submission in flight. */
    void complete(int res) {
        inFlight = 0;
        switch (phase) {
            case OPENING -> opened(res);
            case STATING -> stated(res);
            case READING -> readDone(res);
            case WRITING -> written(res);
            case SYNCING -> synced(res);
            case CLOSING -> closed(res);
        }
    }

    /** The ring is closing: stop after the current step, closing the file if it is open. */
    private void stopAtClose() {
        failWith(Errno.ECANCELED.exception(path, "closed"));
        closeFile();
    }

    /** Nothing of it is with the ring (never started, or the ring cannot take submissions): release it now. */
    @Override
    public void abandon(String why) {
        failWith(Errno.ECANCELED.exception(path, why));
        if (fd >= 0) {
            UringFileRing.closeNow(fd);
            fd = -1;
            ring.fileClosed();
        }
    }

    private void opened(int res) {
        if (res < 0) {
            error = Errno.fromResult(path, res);
            ring.finish(this);
            return;
        }
        fd = res;
        ring.fileOpened();
        if (ring.isClosing()) {
            stopAtClose();
        } else if (kind == FileOpKind.READ_ALL) {
            length = ring.firstReadSize().next(maxReadBytes);
            startRead();
        } else if (kind == FileOpKind.READ_RANGE) {
            startRead();
        } else {
            startWrite();
        }
    }

    private void startRead() {
        ioAddress = readBuffer(length);
        phase = Phase.READING;
        nextRead();
    }

    private void nextRead() {
        if (done == length) {
            if (kind == FileOpKind.READ_ALL && !sized) {
                filledFirstRead();
            } else {
                closeFile();
            }
        } else {
            ring.submit(this, UringOps.read(fd, ioAddress + done, length - done, offset + done, slot));
        }
    }

    /** The first read came back full: either the file is above the limit, or statx tells how much more there is. */
    private void filledFirstRead() {
        if (done > maxReadBytes) {
            fail(FallbackFiles.tooLarge(path, done));
            return;
        }
        phase = Phase.STATING;
        sized = true;
        ring.submit(this, UringOps.statx(fd, scratch.address() + UringOps.EMPTY_PATH_OFFSET,
                scratch.address() + UringOps.STATX_OFFSET, slot));
    }

    private void stated(int res) {
        if (res < 0) {
            fail(Errno.fromResult(path, res));
            return;
        }
        int mode = UringOps.statxMode(scratch);
        if (!UringOps.isRegularFile(mode)) {
            fail(UringOps.isDirectory(mode) ? Errno.EISDIR.exception(path)
                    : Errno.EINVAL.exception(path, "not a regular file"));
            return;
        }
        long size = UringOps.statxSize(scratch);
        if (size > maxReadBytes) {
            fail(FallbackFiles.tooLarge(path, size));
            return;
        }
        if (ring.isClosing()) {
            stopAtClose();
            return;
        }
        if (size <= done) {
            closeFile();
            return;
        }
        length = (int) size;
        // Growing may move the memory; the kernel has nothing in flight on it now.
        io.capacity(length);
        ioAddress = NativeMemory.address(io, 0);
        if (ioAddress == -1) {
            ByteBuf copy = PooledByteBufAllocator.DEFAULT.directBuffer(length);
            copy.writeBytes(io, 0, done);
            io.release();
            io = copy;
            staged = true;
            ioAddress = NativeMemory.address(io, 0);
        }
        phase = Phase.READING;
        nextRead();
    }

    private void readDone(int res) {
        if (res == -Errno.EAGAIN.number) {
            // Only a FIFO or device reads "would block" under O_NONBLOCK; regular files never do.
            fail(Errno.EINVAL.exception(path, "not a regular file"));
        } else if (res < 0) {
            fail(Errno.fromResult(path, res));
        } else if (ring.isClosing()) {
            done += res;
            stopAtClose();
        } else if (res == 0) {
            closeFile();
        } else {
            done += res;
            nextRead();
        }
    }

    private void startWrite() {
        phase = Phase.WRITING;
        if (length > 0) {
            ioAddress = writeSource(length);
        }
        nextWrite();
    }

    private void nextWrite() {
        if (done < length) {
            ring.submit(this, UringOps.write(fd, ioAddress + done, length - done, offset + done, slot));
        } else if (fsync) {
            phase = Phase.SYNCING;
            ring.submit(this, UringOps.fsync(fd, slot));
        } else {
            closeFile();
        }
    }

    private void written(int res) {
        if (res < 0) {
            fail(Errno.fromResult(path, res));
        } else if (ring.isClosing()) {
            stopAtClose();
        } else {
            done += res;
            nextWrite();
        }
    }

    private void synced(int res) {
        if (res < 0) {
            fail(Errno.fromResult(path, res));
        } else {
            closeFile();
        }
    }

    private void closed(int res) {
        fd = -1;
        ring.fileClosed();
        // A write whose close fails may not have reached the file (NFS reports errors here).
        if (res < 0 && error == null && source != null) {
            error = Errno.fromResult(path, res);
        }
        ring.finish(this);
    }

    private void fail(FileIoException e) {
        failWith(e);
        closeFile();
    }

    private void closeFile() {
        if (fd < 0) {
            ring.finish(this);
            return;
        }
        phase = Phase.CLOSING;
        ring.submit(this, UringOps.close(fd, slot));
    }

    @Override
    long transferred() {
        return done;
    }

    @Override
    void readWhole(int size) {
        ring.firstReadSize().record(size);
    }
}
