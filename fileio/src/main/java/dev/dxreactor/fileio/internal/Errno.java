package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileIoException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Linux error numbers the file operations can meet, with their names and {@code strerror} texts: the io_uring
 * backend gets numbers from completions, the fallback gets JDK exceptions whose reason is the same text.
 */
enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EEXIST(17, "File exists"),
    EXDEV(18, "Invalid cross-device link"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    EFBIG(27, "File too large"),
    ENOSPC(28, "No space left on device"),
    EROFS(30, "Read-only file system"),
    ENAMETOOLONG(36, "File name too long"),
    ELOOP(40, "Too many levels of symbolic links"),
    EOPNOTSUPP(95, "Operation not supported"),
    EDQUOT(122, "Disk quota exceeded"),
    ECANCELED(125, "Operation canceled");

    private static final Errno[] BY_NUMBER = new Errno[126];

    static {
        for (Errno e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    final int number;
    final String reason;

    Errno(int number, String reason) {
        this.number = number;
        this.reason = reason;
    }

    FileIoException exception(Path path) {
        return new FileIoException(path, name(), reason);
    }

    FileIoException exception(Path path, String detail) {
        return new FileIoException(path, name(), reason + " (" + detail + ")");
    }

    /** The failure for a completion result {@code res < 0}. */
    static FileIoException fromResult(Path path, int res) {
        int number = -res;
        Errno known = number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
        return known != null ? known.exception(path) : new FileIoException(path, "E" + number, "errno " + number);
    }

    /** The failure for a JDK exception, keeping it as the cause. */
    static FileIoException fromException(Path path, IOException e) {
        if (e instanceof FileIoException fio) {
            return fio;
        }
        Errno errno = classify(e);
        FileIoException mapped = errno.exception(path);
        mapped.initCause(e);
        return mapped;
    }

    private static Errno classify(IOException e) {
        if (e instanceof NoSuchFileException) {
            return ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return EACCES;
        }
        if (e instanceof FileAlreadyExistsException) {
            return EEXIST;
        }
        if (e instanceof NotDirectoryException) {
            return ENOTDIR;
        }
        if (e instanceof FileSystemLoopException) {
            return ELOOP;
        }
        String text = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (text != null) {
            for (Errno candidate : values()) {
                if (text.startsWith(candidate.reason)) {
                    return candidate;
                }
            }
        }
        return EIO;
    }
}
