package dev.dxreactor.benchmarks.dbteleport;

import dev.dxreactor.hbtp.HbtpFrame;
import dev.dxreactor.hbtp.HbtpFrameCodec;
import dev.dxreactor.hbtp.HbtpOpcode;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * One accepted HBTP connection without a socket: the pipeline {@link HbtpServerInitializer} installs on
 * every connection the server accepts (codec, keepalive timer, session with the config's router), on an
 * {@link EmbeddedChannel}, past the handshake. Writing a request's bytes inbound runs everything the
 * server does for it on the calling thread, up to the response bytes it hands to the socket; those are
 * read back instead of being sent. What it leaves out is exactly the transport: the socket read and write
 * and the hand-offs between threads.
 */
final class EmbeddedHbtpServer implements AutoCloseable {

    private final EmbeddedChannel channel;
    /** Decodes what the server wrote, as a client's codec would; for checks only. */
    private final EmbeddedChannel decoder = new EmbeddedChannel(new HbtpFrameCodec());

    /**
     * @param hello the client's HELLO frame as it went on the wire
     * @throws IllegalStateException when the server does not answer it with one HELLO_ACK
     */
    EmbeddedHbtpServer(HbtpServerConfig config, byte[] hello) {
        channel = new EmbeddedChannel(new HbtpServerInitializer(config));
        List<HbtpFrame> answer = exchange(buffer(hello));
        boolean accepted = answer.size() == 1 && answer.get(0).opcode() == HbtpOpcode.HELLO_ACK;
        String seen = answer.toString();
        answer.forEach(HbtpFrame::release);
        if (!accepted) {
            close();
            throw new IllegalStateException("the server answered the client's HELLO with " + seen);
        }
    }

    /** {@code bytes} in a pooled direct buffer, as a socket read hands them to the pipeline. */
    static ByteBuf buffer(byte[] bytes) {
        return ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    /**
     * Writes {@code request} (released by the server) inbound and returns the size of the one buffer the
     * server wrote in answer, released here.
     *
     * @throws IllegalStateException when the server wrote nothing
     */
    int answer(ByteBuf request) {
        channel.writeInbound(request);
        ByteBuf out = channel.readOutbound();
        if (out == null) {
            throw new IllegalStateException("the server wrote no answer");
        }
        int size = out.readableBytes();
        out.release();
        return size;
    }

    /**
     * Writes {@code request} (released by the server) inbound and returns every frame the server wrote, decoded
     * by a client's codec; the caller releases them.
     */
    List<HbtpFrame> exchange(ByteBuf request) {
        channel.writeInbound(request);
        for (Object out; (out = channel.readOutbound()) != null; ) {
            decoder.writeInbound(out);
        }
        List<HbtpFrame> frames = new ArrayList<>();
        for (HbtpFrame frame; (frame = decoder.readInbound()) != null; ) {
            frames.add(frame);
        }
        return frames;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }
}
