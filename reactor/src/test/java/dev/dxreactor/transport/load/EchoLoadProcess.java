package dev.dxreactor.transport.load;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Echo clients in a process of their own, for connection counts one process cannot hold both ends of (a loopback
 * connection costs a descriptor at either end). It opens every connection first, then has each send its own
 * pseudo-random bytes and checks every byte echoed back, and closes them only when all are verified, so the
 * server holds all of them at once. Plain NIO: the transport under test is only on the server side. It prints
 * {@code verified N} and exits with 0 when all N were verified, else prints what failed and exits with 1.
 */
public final class EchoLoadProcess {

    /** Connects started but not finished at any time: a backlog-sized trickle instead of a SYN flood. */
    private static final int CONNECTS_IN_FLIGHT = 512;

    private EchoLoadProcess() {
    }

    /**
     * Starts the clients in a new JVM of this runtime and class path against {@code server}; their output goes
     * to {@code output}.
     */
    public static Process launch(InetSocketAddress server, int connections, int bytes, int timeoutSeconds,
            File output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                EchoLoadProcess.class.getName(), server.getHostString(), Integer.toString(server.getPort()),
                Integer.toString(connections), Integer.toString(bytes), Integer.toString(timeoutSeconds))
                .redirectErrorStream(true).redirectOutput(output).start();
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int connections = Integer.parseInt(args[2]);
        int bytes = Integer.parseInt(args[3]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        String failure;
        try (Selector selector = Selector.open()) {
            failure = run(selector, server, connections, bytes, deadline);
        }
        if (failure == null) {
            System.out.println("verified " + connections);
            System.exit(0);
        }
        System.out.println(failure);
        System.exit(1);
    }

    private static final class Connection {
        final int id;
        final byte[] sent;
        final ByteBuffer toSend;
        final ByteBuffer received;

        Connection(int id, int bytes) {
            this.id = id;
            this.sent = new byte[bytes];
            new SplittableRandom(id).nextBytes(sent);
            this.toSend = ByteBuffer.wrap(sent);
            this.received = ByteBuffer.allocate(bytes);
        }
    }

    private static String run(Selector selector, InetSocketAddress server, int connections, int bytes,
            long deadline) throws IOException {
        List<SocketChannel> channels = new ArrayList<>(connections);
        try {
            int started = 0;
            int connected = 0;
            while (connected < connections) {
                while (started < connections && started - connected < CONNECTS_IN_FLIGHT) {
                    SocketChannel channel = SocketChannel.open();
                    channels.add(channel);
                    channel.configureBlocking(false);
                    Connection connection = new Connection(started++, bytes);
                    if (channel.connect(server)) {
                        connected++;
                        channel.register(selector, 0, connection);
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, connection);
                    }
                }
                if (System.nanoTime() > deadline) {
                    return "timed out with " + connected + " of " + connections + " connected";
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isConnectable() && ((SocketChannel) key.channel()).finishConnect()) {
                        key.interestOps(0);
                        connected++;
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
            int verified = 0;
            while (verified < connections) {
                if (System.nanoTime() > deadline) {
                    return "timed out with " + verified + " of " + connections + " verified";
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    Connection connection = (Connection) key.attachment();
                    if (key.isWritable()) {
                        channel.write(connection.toSend);
                        if (!connection.toSend.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (key.isReadable()) {
                        if (channel.read(connection.received) < 0) {
                            return "connection " + connection.id + " ended after " + connection.received.position()
                                    + " of " + bytes + " bytes";
                        }
                        if (!connection.received.hasRemaining()) {
                            if (!Arrays.equals(connection.received.array(), connection.sent)) {
                                return "connection " + connection.id + " got other bytes back than it sent";
                            }
                            key.interestOps(0);
                            verified++;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            return null;
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
    }
}
