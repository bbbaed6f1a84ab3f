package dev.dxreactor.transport.iocp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What the file backend relies on from the emulated kernel's files: {@code CreateFileW}'s errors as Windows names
 * them, {@code ReadFile}/{@code WriteFile} answering {@code ERROR_IO_PENDING} and completing through the port with
 * the bytes moved, the end of the file as {@code STATUS_END_OF_FILE} ({@code ERROR_HANDLE_EOF}), offsets past
 * 4 GiB through {@code OffsetHigh}, and cancel and close ending pending transfers with {@code STATUS_CANCELLED}.
 */
@EnabledOnOs(OS.LINUX)
class OverlappedFileSemanticsTest {

    private static final long KEY = 11;
    private static final int SHARE = Win32File.FILE_SHARE_READ | Win32File.FILE_SHARE_WRITE;

    @TempDir
    Path dir;

    private final EmulatedWindowsKernel kernel = WindowsKernel.emulated();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries = arena.allocate(OverlappedEntry.SIZE * 16, 8);
    private long port;

    @BeforeEach
    void openPort() throws WindowsException {
        port = kernel.createCompletionPort();
    }

    @AfterEach
    void close() throws Exception {
        kernel.closeHandle(port);
        assertThat(kernel.memoryViolations()).isEmpty();
        arena.close();
    }

    private long open(Path path, int access, int disposition) throws WindowsException {
        long file = kernel.createFile(path.toString(), access, SHARE, disposition, Win32File.FILE_ATTRIBUTE_NORMAL);
        kernel.associate(file, port, KEY);
        return file;
    }

    private int createError(Path path, int access, int disposition) {
        try {
            long file = kernel.createFile(path.toString(), access, SHARE, disposition, 0);
            kernel.closeHandle(file);
            throw new AssertionError("CreateFileW of " + path + " succeeded");
        } catch (WindowsException e) {
            assertThat(e.function()).isEqualTo("CreateFileW");
            return e.win32Code();
        }
    }

    /** One packet: {status, bytes}, after checking it names {@code overlapped} and carries the key. */
    private int[] packet(MemorySegment overlapped) throws WindowsException {
        int n = kernel.dequeue(port, entries, 5000);
        assertThat(n).isEqualTo(1);
        assertThat(OverlappedEntry.overlapped(entries, 0)).isEqualTo(overlapped.address());
        assertThat(OverlappedEntry.completionKey(entries, 0)).isEqualTo(KEY);
        int status = OverlappedEntry.status(entries, 0);
        assertThat(Overlapped.status(overlapped)).isEqualTo(status);
        assertThat(Overlapped.bytes(overlapped)).isEqualTo(OverlappedEntry.bytesTransferred(entries, 0));
        return new int[] {status, OverlappedEntry.bytesTransferred(entries, 0)};
    }

    @Test
    void createFileErrorsAreWindowsOnes() throws Exception {
        Path file = Files.write(dir.resolve("f"), new byte[] {1});
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThat(createError(dir.resolve("missing"), Win32File.GENERIC_READ, Win32File.OPEN_EXISTING))
                .isEqualTo(Win32Error.ERROR_FILE_NOT_FOUND);
        assertThat(createError(dir.resolve("no/such/f"), Win32File.GENERIC_READ, Win32File.OPEN_EXISTING))
                .isEqualTo(Win32Error.ERROR_PATH_NOT_FOUND);
        assertThat(createError(dir.resolve("no/such/f"), Win32File.GENERIC_WRITE, Win32File.CREATE_ALWAYS))
                .isEqualTo(Win32Error.ERROR_PATH_NOT_FOUND);
        assertThat(createError(file.resolve("child"), Win32File.GENERIC_READ, Win32File.OPEN_EXISTING))
                .isEqualTo(Win32Error.ERROR_PATH_NOT_FOUND);
        assertThat(createError(sub, Win32File.GENERIC_READ, Win32File.OPEN_EXISTING))
                .isEqualTo(Win32Error.ERROR_ACCESS_DENIED);
        assertThat(createError(sub, Win32File.GENERIC_WRITE, Win32File.CREATE_ALWAYS))
                .isEqualTo(Win32Error.ERROR_ACCESS_DENIED);
        assertThat(createError(file, Win32File.GENERIC_WRITE, Win32File.CREATE_NEW))
                .isEqualTo(Win32Error.ERROR_FILE_EXISTS);
        assertThat(Win32Error.name(Win32Error.ERROR_FILE_NOT_FOUND)).isEqualTo("ERROR_FILE_NOT_FOUND");
        assertThat(Win32Error.name(Win32Error.ERROR_HANDLE_EOF)).isEqualTo("ERROR_HANDLE_EOF");
    }

    @Test
    void aFileWithoutReadPermissionIsAccessDenied() throws Exception {
        Path denied;
        if ("root".equals(System.getProperty("user.name"))) {
            denied = Path.of("/proc/sys/vm/drop_caches");
            assumeThat(Files.exists(denied)).isTrue();
        } else {
            denied = Files.write(dir.resolve("secret"), new byte[] {1});
            Files.setPosixFilePermissions(denied, PosixFilePermissions.fromString("---------"));
        }
        assertThat(createError(denied, Win32File.GENERIC_READ, Win32File.OPEN_EXISTING))
                .isEqualTo(Win32Error.ERROR_ACCESS_DENIED);
    }

    @Test
    void readFilePendsThenItsPacketCarriesTheBytesAndEndOfFileComesAsItsOwnStatus() throws Exception {
        byte[] data = new byte[10_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        long file = open(Files.write(dir.resolve("r"), data), Win32File.GENERIC_READ, Win32File.OPEN_EXISTING);
        assertThat(kernel.fileSize(file)).isEqualTo(10_000);
        MemorySegment buffer = arena.allocate(4096);
        MemorySegment overlapped = arena.allocate(Overlapped.LAYOUT);

        assertThat(kernel.readFile(file, buffer, 8000, overlapped)).isEqualTo(Win32Error.ERROR_IO_PENDING);
        assertThat(Overlapped.status(overlapped)).isEqualTo(NtStatus.PENDING);
        assertThat(Overlapped.offset(overlapped)).isEqualTo(8000);
        assertThat(packet(overlapped)).containsExactly(NtStatus.SUCCESS, 2000);
        for (int i = 0; i < 2000; i++) {
            assertThat(buffer.get(ValueLayout.JAVA_BYTE, i)).isEqualTo(data[8000 + i]);
        }

        assertThat(kernel.readFile(file, buffer, 10_000, overlapped)).isEqualTo(Win32Error.ERROR_IO_PENDING);
        int[] eof = packet(overlapped);
        assertThat(eof).containsExactly(NtStatus.END_OF_FILE, 0);
        assertThat(NtStatus.toWin32(eof[0])).isEqualTo(Win32Error.ERROR_HANDLE_EOF);
        kernel.closeHandle(file);
    }

    @Test
    void writeFileReachesOffsetsPast4GiBThroughOffsetHigh() throws Exception {
        Path path = dir.resolve("sparse");
        long file = open(path, Win32File.GENERIC_WRITE | Win32File.GENERIC_READ, Win32File.CREATE_ALWAYS);
        MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 1, (byte) 2, (byte) 3);
        MemorySegment overlapped = arena.allocate(Overlapped.LAYOUT);
        long at = (4L << 30) + 5;
        assertThat(kernel.writeFile(file, data, at, overlapped)).isEqualTo(Win32Error.ERROR_IO_PENDING);
        assertThat(overlapped.get(ValueLayout.JAVA_INT, Overlapped.OFFSET)).isEqualTo(5);
        assertThat(overlapped.get(ValueLayout.JAVA_INT, Overlapped.OFFSET_HIGH)).isEqualTo(1);
        assertThat(packet(overlapped)).containsExactly(NtStatus.SUCCESS, 3);
        kernel.flushFileBuffers(file);
        assertThat(kernel.fileSize(file)).isEqualTo(at + 3);
        kernel.closeHandle(file);
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "r")) {
            raf.seek(at);
            assertThat(new byte[] {raf.readByte(), raf.readByte(), raf.readByte()}).containsExactly(1, 2, 3);
            raf.seek(5);
            assertThat(raf.readByte()).isZero();
        }
    }

    @Test
    void cancelAndCloseEndPendingTransfersWithCancelledEachWithItsPacket() throws Exception {
        long file = open(Files.write(dir.resolve("c"), new byte[100]), Win32File.GENERIC_READ,
                Win32File.OPEN_EXISTING);
        MemorySegment buffer = arena.allocate(100);
        MemorySegment first = arena.allocate(Overlapped.LAYOUT);
        MemorySegment second = arena.allocate(Overlapped.LAYOUT);
        kernel.readFile(file, buffer, 0, first);
        assertThat(kernel.cancelIoEx(file, first)).isTrue();
        assertThat(packet(first)).containsExactly(NtStatus.CANCELLED, 0);
        assertThat(NtStatus.toWin32(NtStatus.CANCELLED)).isEqualTo(Win32Error.ERROR_OPERATION_ABORTED);
        assertThat(kernel.cancelIoEx(file, first)).isFalse();

        kernel.readFile(file, buffer, 0, second);
        kernel.closeHandle(file);
        assertThat(packet(second)).containsExactly(NtStatus.CANCELLED, 0);
        assertThatThrownBy(() -> kernel.readFile(file, buffer, 0, second))
                .isInstanceOfSatisfying(WindowsException.class,
                        e -> assertThat(e.win32Code()).isEqualTo(Win32Error.ERROR_INVALID_HANDLE));
    }

    @Test
    void wrongAccessFailsAtOnceWithoutAPacket() throws Exception {
        long file = open(Files.write(dir.resolve("ro"), new byte[10]), Win32File.GENERIC_READ,
                Win32File.OPEN_EXISTING);
        MemorySegment overlapped = arena.allocate(Overlapped.LAYOUT);
        assertThatThrownBy(() -> kernel.writeFile(file, arena.allocate(4), 0, overlapped))
                .isInstanceOfSatisfying(WindowsException.class,
                        e -> assertThat(e.win32Code()).isEqualTo(Win32Error.ERROR_ACCESS_DENIED));
        assertThat(kernel.dequeue(port, entries, 0)).isZero();
        kernel.closeHandle(file);
    }

    @Test
    void aBufferReleasedBeforeItsTransferRanIsAMemoryViolation() throws Exception {
        // A kernel of its own: the violation stays on its record.
        EmulatedWindowsKernel own = WindowsKernel.emulated();
        long ownPort = own.createCompletionPort();
        long file = own.createFile(Files.write(dir.resolve("v"), new byte[64]).toString(), Win32File.GENERIC_READ,
                SHARE, Win32File.OPEN_EXISTING, 0);
        own.associate(file, ownPort, KEY);
        MemorySegment overlapped = arena.allocate(Overlapped.LAYOUT);
        try (Arena scratch = Arena.ofConfined()) {
            own.readFile(file, scratch.allocate(64), 0, overlapped);
        }
        assertThatThrownBy(() -> own.dequeue(ownPort, entries, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ReadFile");
        assertThat(own.memoryViolations()).hasSize(1);
        own.closeHandle(file);
        own.closeHandle(ownPort);
    }

    @Test
    void aPendingReadWakesABlockedDequeue() throws Exception {
        long file = open(Files.write(dir.resolve("w"), new byte[] {42}), Win32File.GENERIC_READ,
                Win32File.OPEN_EXISTING);
        MemorySegment buffer = arena.allocate(8);
        MemorySegment overlapped = arena.allocate(Overlapped.LAYOUT);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
                kernel.readFile(file, buffer, 0, overlapped);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(packet(overlapped)).containsExactly(NtStatus.SUCCESS, 1);
        reader.join();
        assertThat(buffer.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 42);
        kernel.closeHandle(file);
    }

    /** Descriptors this process has open: a call that fails must not leave the one it duplicated behind. */
    private static long openDescriptors() throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void transmitFileRefusesBadArgumentsAndHandlesWithoutLeavingADescriptorBehind() throws Exception {
        Path path = Files.write(dir.resolve("t"), new byte[100]);
        long readable = open(path, Win32File.GENERIC_READ, Win32File.OPEN_EXISTING);
        long writeOnly = open(path, Win32File.GENERIC_WRITE, Win32File.OPEN_EXISTING);
        long socket = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        MemorySegment overlapped = arena.allocate(Overlapped.LAYOUT);
        long descriptors = openDescriptors();

        assertThatThrownBy(() -> kernel.transmitFile(socket, readable, -1, 10, overlapped))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
        assertThatThrownBy(() -> kernel.transmitFile(socket, readable, 0, -1, overlapped))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4294967295");
        assertThatThrownBy(() -> kernel.transmitFile(socket, readable, 0, Integer.MAX_VALUE, overlapped))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2147483646");
        assertThat(((WindowsException) catchThrown(() -> kernel.transmitFile(socket, socket, 0, 10, overlapped)))
                .win32Code()).isEqualTo(Win32Error.ERROR_INVALID_HANDLE);
        assertThat(((WindowsException) catchThrown(() -> kernel.transmitFile(socket, writeOnly, 0, 10, overlapped)))
                .win32Code()).isEqualTo(Win32Error.ERROR_ACCESS_DENIED);
        assertThat(((WindowsException) catchThrown(() -> kernel.transmitFile(readable, readable, 0, 10, overlapped)))
                .win32Code()).isEqualTo(Win32Error.WSAENOTSOCK);
        // Not associated with a port: the emulated kernel delivers overlapped results only through one.
        assertThatThrownBy(() -> kernel.transmitFile(socket, readable, 0, 10, overlapped))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TransmitFile");

        assertThat(openDescriptors()).as("descriptors after seven refused calls").isEqualTo(descriptors);
        kernel.closeSocket(socket);
        kernel.closeHandle(readable);
        kernel.closeHandle(writeOnly);
    }

    private static Throwable catchThrown(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(WindowsException.class);
        return thrown;
    }
}
