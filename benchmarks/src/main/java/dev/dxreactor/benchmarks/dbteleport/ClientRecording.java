package dev.dxreactor.benchmarks.dbteleport;

import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpHeader;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bytes a real {@link HbtpClient} sends, frame by frame: the client talks to an HBTP server with the
 * given config over Netty's in-VM transport, and a handler in front of the server's own pipeline keeps a
 * copy of everything the server reads. What is replayed into the server's pipeline is then what the
 * client would have sent, handshake included, not bytes put together by hand.
 */
final class ClientRecording {

    /** What the recording client does once connected; the server has read every frame when it returns. */
    interface Script {
        void run(HbtpClient client) throws Exception;
    }

    private ClientRecording() {
    }

    /**
     * Connects a client configured by {@code client} (its event loop is set here), runs {@code script},
     * closes the client and returns the frames the server read, in order, each as its bytes on the wire.
     */
    static List<byte[]> record(HbtpServerConfig server, HbtpClientConfig.Builder client, Script script)
            throws Exception {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-recording", true),
                LocalIoHandler.newFactory());
        try {
            LocalAddress address = new LocalAddress(ClientRecording.class);
            Channel listening = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new Tap(read)).addLast(new HbtpServerInitializer(server));
                        }
                    })
                    .bind(address).sync().channel();
            try (HbtpClient recorded = HbtpClient.connect(address,
                    client.eventLoop(group, LocalChannel.class).build())) {
                script.run(recorded);
            } finally {
                listening.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        byte[] bytes;
        synchronized (read) {
            bytes = read.toByteArray();
        }
        return frames(bytes);
    }

    /** {@code bytes} cut at the frame boundaries their headers give; a trailing partial frame is dropped. */
    static List<byte[]> frames(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> frames = new ArrayList<>();
        int at = 0;
        while (bytes.length - at >= HbtpHeader.SIZE) {
            long end = at + HbtpHeader.SIZE + Integer.toUnsignedLong(in.getInt(at + HbtpHeader.LENGTH_OFFSET));
            if (end > bytes.length) {
                break;
            }
            frames.add(Arrays.copyOfRange(bytes, at, (int) end));
            at = (int) end;
        }
        return frames;
    }

    /** Copies every buffer the server's pipeline is about to read, and passes it on untouched. */
    private static final class Tap extends ChannelInboundHandlerAdapter {

        private final ByteArrayOutputStream read;

        Tap(ByteArrayOutputStream read) {
            this.read = read;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                byte[] copy = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), copy);
                synchronized (read) {
                    read.writeBytes(copy);
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
