package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/** A connected pair of non-blocking sockets made straight on the kernel surface, for tests below the channels. */
final class SocketPair implements AutoCloseable {

    final WindowsKernel kernel;
    final long client;
    final long server;
    private boolean clientClosed;
    private boolean serverClosed;

    private SocketPair(WindowsKernel kernel, long client, long server) {
        this.kernel = kernel;
        this.client = client;
        this.server = server;
    }

    static SocketPair open(WindowsKernel kernel) throws WindowsException {
        long listener = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        try {
            kernel.bind(listener, new InetSocketAddress("127.0.0.1", 0));
            kernel.listen(listener, 4);
            long client = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
            kernel.connect(client, kernel.localAddress(listener));
            long server = kernel.accept(listener);
            kernel.setNonBlocking(client, true);
            kernel.setNonBlocking(server, true);
            return new SocketPair(kernel, client, server);
        } finally {
            kernel.closeSocket(listener);
        }
    }

    /** Sends all of {@code data} from {@code socket} (the peer must be reading if it is large). */
    void send(long socket, byte[] data) throws WindowsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, segment, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
            long offset = 0;
            while (offset < data.length) {
                int n = kernel.send(socket, segment.asSlice(offset, data.length - offset), 0);
                if (n == WindowsKernel.WOULD_BLOCK) {
                    Thread.onSpinWait();
                } else {
                    offset += n;
                }
            }
        }
    }

    /** Sends from {@code socket} until the kernel takes no more; returns the bytes sent. */
    long fill(long socket) throws WindowsException {
        long total = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(64 * 1024);
            while (true) {
                int n = kernel.send(socket, chunk, 0);
                if (n == WindowsKernel.WOULD_BLOCK) {
                    return total;
                }
                total += n;
            }
        }
    }

    void closeClient() throws WindowsException {
        if (!clientClosed) {
            clientClosed = true;
            kernel.closeSocket(client);
        }
    }

    void closeServer() throws WindowsException {
        if (!serverClosed) {
            serverClosed = true;
            kernel.closeSocket(server);
        }
    }

    @Override
    public void close() throws WindowsException {
        closeClient();
        closeServer();
    }
}
