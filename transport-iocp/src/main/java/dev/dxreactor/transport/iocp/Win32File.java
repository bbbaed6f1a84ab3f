package dev.dxreactor.transport.iocp;

/** The {@code CreateFileW} arguments the file calls of {@link WindowsKernel} take, as in {@code fileapi.h}. */
public final class Win32File {

    public static final int GENERIC_READ = 0x80000000;
    public static final int GENERIC_WRITE = 0x40000000;

    public static final int FILE_SHARE_READ = 0x1;
    public static final int FILE_SHARE_WRITE = 0x2;
    public static final int FILE_SHARE_DELETE = 0x4;

    /** Creation dispositions. */
    public static final int CREATE_NEW = 1;
    public static final int CREATE_ALWAYS = 2;
    public static final int OPEN_EXISTING = 3;
    public static final int OPEN_ALWAYS = 4;

    public static final int FILE_ATTRIBUTE_NORMAL = 0x80;
    public static final int FILE_FLAG_SEQUENTIAL_SCAN = 0x08000000;
    /** Always added by {@link WindowsKernel#createFile}: the handle's reads and writes complete through a port. */
    public static final int FILE_FLAG_OVERLAPPED = 0x40000000;

    /** What {@code CreateFileW} returns on failure. */
    public static final long INVALID_HANDLE_VALUE = -1L;

    private Win32File() {
    }
}
