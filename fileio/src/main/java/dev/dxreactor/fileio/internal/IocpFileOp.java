package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileIoException;
import dev.dxreactor.transport.iocp.NtStatus;
import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.Win32File;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;

/**
 * One file's walk on an IOCP loop: {@code CreateFileW}, overlapped {@code ReadFile}s or {@code WriteFile}s until
 * done, ({@code FlushFileBuffers},) {@code CloseHandle}. A whole-file read is sized with {@code GetFileSizeEx} on
 * the open handle and read with one {@code ReadFile} (more only if it comes back short). At most one transfer is
 * in flight, and its buffer stays with the operation until the transfer's packet arrives. Failures carry the
 * Win32 error's name. Runs on the loop only.
 */
final class IocpFileOp extends LoopFileOp {


    private static final Map<Integer, String> TEXTS = Map.of(
            Win32Error.ERROR_FILE_NOT_FOUND, "The system cannot find the file specified",
            Win32Error.ERROR_PATH_NOT_FOUND, "The system cannot find the path specified",
            Win32Error.ERROR_ACCESS_DENIED, "Access is denied",
            Win32Error.ERROR_SHARING_VIOLATION, "The file is being used by another process",
            Win32Error.ERROR_OPERATION_ABORTED, "The I/O operation has been aborted",
            Win32Error.ERROR_FILE_TOO_LARGE, "The file size exceeds the limit allowed",
            Win32Error.ERROR_DISK_FULL, "There is not enough space on the disk",
            Win32Error.ERROR_FILENAME_EXCED_RANGE, "The filename or extension is too long",
            Win32Error.ERROR_INVALID_PARAMETER, "The parameter is incorrect");

    private IocpFileLoop loop;
    private long file = Win32File.INVALID_HANDLE_VALUE;
    private long length;
    private long done;
    private long ioAddress;
    /** The OVERLAPPED address of the transfer in flight, 0 when none is. */
    long inFlight;

    private IocpFileOp(FileOpKind kind, Path path, ByteBufAllocator alloc, long offset, int length, ByteBuf source,
                       boolean fsync, int maxReadBytes, FileCompletion completion) {
        super(kind, path, alloc, offset, source, fsync, maxReadBytes, completion);
        this.length = length;
    }

    static IocpFileOp readAll(Path path, ByteBufAllocator alloc, int maxReadBytes, FileCompletion completion) {
        return new IocpFileOp(FileOpKind.READ_ALL, path, alloc, 0, 0, null, false, maxReadBytes, completion);
    }

    static IocpFileOp readRange(Path path, long offset, int length, ByteBufAllocator alloc, int maxReadBytes,
                                FileCompletion completion) {
        return new IocpFileOp(FileOpKind.READ_RANGE, path, alloc, offset, length, null, false, maxReadBytes, completion);
    }

    static IocpFileOp write(FileOpKind kind, Path path, long offset, ByteBuf data, boolean fsync, FileCompletion completion) {
        return new IocpFileOp(kind, path, null, offset, data.readableBytes(), data, fsync, 0, completion);
    }

    /** The failure for Win32 error {@code code}, named as Windows names it. */
    static FileIoException error(Path path, int code) {
        return new FileIoException(path, Win32Error.name(code), TEXTS.getOrDefault(code, "Win32 error " + code));
    }

    static FileIoException tooLarge(Path path, long size) {
        return new FileIoException(path, Win32Error.name(Win32Error.ERROR_FILE_TOO_LARGE),
                size + " bytes is above the read limit");
    }

    static FileIoException aborted(Path path, String why) {
        return new FileIoException(path, Win32Error.name(Win32Error.ERROR_OPERATION_ABORTED),
                TEXTS.get(Win32Error.ERROR_OPERATION_ABORTED) + " (" + why + ")");
    }

    long fileHandle() {
        return file;
    }

    void start(IocpFileLoop owner, int newSlot) {
        this.loop = owner;
        this.slot = newSlot;
        if (kind == FileOpKind.READ_RANGE && length > maxReadBytes) {
            error = tooLarge(path, length);
            loop.finish(this);
            return;
        }
        WindowsKernel kernel = loop.kernel();
        int share = Win32File.FILE_SHARE_READ | Win32File.FILE_SHARE_WRITE | Win32File.FILE_SHARE_DELETE;
        try {
            file = switch (kind) {
                case READ_ALL -> kernel.createFile(path.toString(), Win32File.GENERIC_READ, share,
                        Win32File.OPEN_EXISTING, Win32File.FILE_FLAG_SEQUENTIAL_SCAN);
                case READ_RANGE -> kernel.createFile(path.toString(), Win32File.GENERIC_READ, share,
                        Win32File.OPEN_EXISTING, Win32File.FILE_ATTRIBUTE_NORMAL);
                case WRITE_RANGE -> kernel.createFile(path.toString(), Win32File.GENERIC_WRITE, share,
                        Win32File.OPEN_ALWAYS, Win32File.FILE_ATTRIBUTE_NORMAL);
                case WRITE_ALL -> kernel.createFile(path.toString(), Win32File.GENERIC_WRITE, share,
                        Win32File.CREATE_ALWAYS, Win32File.FILE_ATTRIBUTE_NORMAL);
            };
        } catch (WindowsException e) {
            error = error(path, e.win32Code());
            loop.finish(this);
            return;
        }
        loop.fileOpened();
        try {
            loop.associate(file);
            if (kind == FileOpKind.READ_ALL) {
                long size = kernel.fileSize(file);
                if (size > maxReadBytes) {
                    fail(tooLarge(path, size));
                    return;
                }
                length = size;
            }
        } catch (WindowsException e) {
            fail(error(path, e.win32Code()));
            return;
        }
        if (source == null) {
            ioAddress = readBuffer((int) length);
        } else if (length > 0) {
            ioAddress = writeSource((int) length);
        }
        next();
    }

    /** The next transfer, or the end: flush (writes with fsync) and close. */
    private void next() {
        if (done < length && !loop.isClosing()) {
            transfer();
            return;
        }
        if (loop.isClosing() && done < length && error == null) {
            error = aborted(path, "closed");
        }
        if (error == null && source != null && fsync) {
            // Windows has no overlapped flush: FlushFileBuffers blocks the loop until the device has the data.
            try {
                loop.kernel().flushFileBuffers(file);
            } catch (WindowsException e) {
                error = error(path, e.win32Code());
            }
        }
        closeFile();
    }

    private void transfer() {
        MemorySegment memory = MemorySegment.ofAddress(ioAddress + done).reinterpret(length - done);
        int result = loop.submit(this, source != null, memory, offset + done);
        if (result == Win32Error.ERROR_HANDLE_EOF) {
            // The end of the file reported at once, with no packet.
            length = done;
            next();
        } else if (result != Win32Error.ERROR_SUCCESS) {
            fail(error(path, result));
        }
    }

    /** The packet of the transfer in flight. */
    void completed(int status, int bytes) {
        inFlight = 0;
        if (status == NtStatus.SUCCESS && bytes > 0) {
            done += Integer.toUnsignedLong(bytes);
            next();
        } else if (status == NtStatus.SUCCESS || status == NtStatus.END_OF_FILE) {
            // A read at the end: the file is shorter than when it was sized (or than the range asked for).
            if (source == null) {
                length = done;
                next();
            } else {
                fail(error(path, Win32Error.ERROR_GEN_FAILURE));
            }
        } else if (status == NtStatus.CANCELLED) {
            fail(aborted(path, "closed"));
        } else {
            fail(error(path, NtStatus.toWin32(status)));
        }
    }

    private void fail(FileIoException e) {
        failWith(e);
        closeFile();
    }

    private void closeFile() {
        if (file != Win32File.INVALID_HANDLE_VALUE) {
            try {
                loop.kernel().closeHandle(file);
            } catch (WindowsException e) {
                // A write whose close fails may not have reached the file.
                if (error == null && source != null) {
                    error = error(path, e.win32Code());
                }
            }
            file = Win32File.INVALID_HANDLE_VALUE;
            loop.fileClosed();
        }
        loop.finish(this);
    }

    /** The loop cannot take this any more: nothing is in flight, so it ends here. */
    @Override
    public void abandon(String why) {
        failWith(aborted(path, why));
    }

    @Override
    long transferred() {
        return done;
    }
}
