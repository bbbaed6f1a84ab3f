package dev.dxreactor.hbtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * A hostile HBTP peer on a plain blocking socket: it writes whatever bytes a test makes, split wherever the
 * test splits them, and reads frames only when asked, so it can also stop reading altogether.
 */
final class RawPeer implements AutoCloseable {

    /** One frame as it came off the wire. */
    record Frame(int opcode, int flags, int sequence, byte[] payload) {
        boolean is(HbtpOpcode op) {
            return opcode == op.code();
        }

        int closeCode() {
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xFFFF;
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawPeer(InetSocketAddress server) throws IOException {
        this(server, 0);
    }

    /** @param receiveBuffer the socket's receive buffer in bytes, or 0 for the system default */
    RawPeer(InetSocketAddress server, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(server, 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
    }

    /** The bytes of one frame with a plaintext payload. */
    static byte[] frame(HbtpOpcode opcode, int flags, int sequence, byte[] payload) {
        return ByteBuffer.allocate(HbtpHeader.SIZE + payload.length).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) opcode.code()).put((byte) flags).putShort((short) sequence).putInt(payload.length)
                .put(payload).array();
    }

    /** A HELLO body offering {@code capabilities} with the spec's limits, without a public key. */
    static byte[] helloBody(int capabilities) {
        return new HbtpHello(HbtpHello.VERSION, capabilities, 1 << 20, 16 << 20).body();
    }

    /** An RPC_CALL expecting a response: route then request bytes. */
    static byte[] call(int sequence, int route, byte[] request) {
        return frame(HbtpOpcode.RPC_CALL, HbtpFlags.FINAL | HbtpFlags.EXPECTS_RESPONSE, sequence,
                ByteBuffer.allocate(2 + request.length).order(ByteOrder.LITTLE_ENDIAN).putShort((short) route)
                        .put(request).array());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Sends {@code count} messages, the i-th made by {@code message}, from a thread of its own: its writes
     * block once the server stops reading, and end when this peer is closed. Join the thread after closing.
     */
    Thread sendInBackground(int count, IntFunction<byte[]> message) {
        return Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    send(message.apply(i));
                }
            } catch (IOException e) {
                // Closed while a write was blocked: the server had stopped reading, as it should.
            }
        });
    }

    /** Sends the plaintext handshake and returns the server's HELLO_ACK. */
    Frame handshake(int capabilities) throws IOException {
        send(frame(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, helloBody(capabilities)));
        Frame ack = read();
        if (ack == null || !ack.is(HbtpOpcode.HELLO_ACK)) {
            throw new AssertionError("expected HELLO_ACK, got " + ack);
        }
        return ack;
    }

    /** The next frame, or {@code null} when the server closed the connection. */
    Frame read() throws IOException {
        byte[] header = new byte[HbtpHeader.SIZE];
        try {
            in.readFully(header);
        } catch (EOFException | SocketException e) {
            return null;
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int length = h.getInt(4);
        if (length < 0 || length > 64 << 20) {
            throw new AssertionError("server sent a frame of " + Integer.toUnsignedString(length) + " bytes");
        }
        byte[] payload = new byte[length];
        try {
            in.readFully(payload);
        } catch (EOFException | SocketException e) {
            return null;
        }
        return new Frame(header[0] & 0xFF, header[1] & 0xFF, h.getShort(2) & 0xFFFF, payload);
    }

    /** Reads until the server's CLOSE and returns it; fails if the connection ends without one. */
    Frame readUntilClose() throws IOException {
        for (Frame f; (f = read()) != null; ) {
            if (f.is(HbtpOpcode.CLOSE)) {
                return f;
            }
        }
        throw new AssertionError("the server closed without a CLOSE frame");
    }

    /** Whether the server has closed the connection (reads and drops whatever else arrives first). */
    boolean closedByServer() throws IOException {
        try {
            while (read() != null) {
                // Frames still in flight before the close.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Whether the server closed the connection, or sent something, within {@code wait}; consumes nothing. */
    boolean heardFromServerWithin(java.time.Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            in.mark(1);
            int b = in.read();
            if (b < 0) {
                return true;
            }
            in.reset();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
