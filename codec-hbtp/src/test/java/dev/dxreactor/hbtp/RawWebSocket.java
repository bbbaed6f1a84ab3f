package dev.dxreactor.hbtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hostile WebSocket client on a plain blocking socket: it writes the upgrade request and frames exactly as
 * a test makes them (masked, as a client must), split wherever the test splits them, and reads only when asked.
 */
final class RawWebSocket implements AutoCloseable {

    static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    /** One WebSocket frame as the server sent it. */
    record Frame(int opcode, boolean fin, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        /** The HBTP frames of a binary message. */
        RawPeer.Frame[] hbtpFrames() {
            ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
            java.util.List<RawPeer.Frame> frames = new java.util.ArrayList<>();
            while (in.remaining() >= HbtpHeader.SIZE) {
                int opcode = in.get() & 0xFF;
                int flags = in.get() & 0xFF;
                int sequence = in.getShort() & 0xFFFF;
                byte[] body = new byte[in.getInt()];
                in.get(body);
                frames.add(new RawPeer.Frame(opcode, flags, sequence, body));
            }
            return frames.toArray(RawPeer.Frame[]::new);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;

    /**
     * Connects and sends {@code GET path} with the upgrade headers ({@code upgrade == false}: a plain GET), and
     * {@code Origin} when not {@code null}; reads the response head.
     */
    RawWebSocket(InetSocketAddress server, String path, String origin, boolean upgrade, int receiveBuffer)
            throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(server, 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.getPort()
                + "\r\n");
        if (upgrade) {
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            request.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n");
        }
        if (origin != null) {
            request.append("Origin: ").append(origin).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        status = readStatus();
    }

    static RawWebSocket upgrade(InetSocketAddress server) throws IOException {
        return new RawWebSocket(server, "/hbtp", null, true, 0);
    }

    /** The HTTP status of the response to the request: 101 once upgraded. */
    int status() {
        return status;
    }

    private int readStatus() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String first = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElseThrow();
        return Integer.parseInt(first.split(" ")[1]);
    }

    /** The bytes of one masked client frame. */
    static byte[] frame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        header(f, payload.length);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    /** The header of a masked frame claiming {@code length} payload bytes, without them. */
    static byte[] headerOnly(int opcode, long length) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        header(f, length);
        f.writeBytes(new byte[4]);
        return f.toByteArray();
    }

    private static void header(ByteArrayOutputStream f, long length) {
        if (length < 126) {
            f.write(0x80 | (int) length);
        } else if (length < 65536) {
            f.write(0x80 | 126);
            f.write((int) (length >>> 8));
            f.write((int) length);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) (length >>> shift));
            }
        }
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendBinary(byte[] payload) throws IOException {
        send(frame(BINARY, true, payload));
    }

    /** HELLO in one message and the HELLO_ACK read back. */
    RawPeer.Frame handshake(int capabilities) throws IOException {
        sendBinary(RawPeer.frame(HbtpOpcode.HELLO, HbtpFlags.FINAL, 0, RawPeer.helloBody(capabilities)));
        RawPeer.Frame[] ack = read().hbtpFrames();
        if (ack.length != 1 || !ack[0].is(HbtpOpcode.HELLO_ACK)) {
            throw new IOException("no HELLO_ACK");
        }
        return ack[0];
    }

    /** The next frame from the server, or {@code null} at the end of the stream. */
    Frame read() throws IOException {
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw new IOException("nothing from the server within 10 s", e);
        }
        if (first < 0) {
            return null;
        }
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((second & 0x80) != 0) {
            throw new IOException("a server frame is masked");
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, (first & 0x80) != 0, payload);
    }

    /** Reads until the server's close frame and returns it, with the binary messages before it in {@code seen}. */
    Frame readUntilClose(java.util.List<Frame> seen) throws IOException {
        for (Frame f = read(); f != null; f = read()) {
            if (f.opcode() == CLOSE) {
                return f;
            }
            seen.add(f);
        }
        return null;
    }

    /** Whether the server ended the connection: end of stream (after reading what is left) within 10 s. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // what the server sent before it closed
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
