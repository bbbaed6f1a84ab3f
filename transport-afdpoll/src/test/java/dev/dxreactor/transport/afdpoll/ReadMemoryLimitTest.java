package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule 11 and the tofu brief: with {@link AfdPollConfig#readMemoryLimit()} reached, sockets wait unarmed for
 * read, and when the application releases buffers (here on another thread) they are re-armed and every byte
 * arrives, in order and intact.
 */
class ReadMemoryLimitTest {

    private static final int CHUNK = 16 * 1024;
    private static final int LIMIT = 4 * CHUNK;
    private static final int SENDERS = 12;
    private static final int BYTES_PER_SENDER = 256 * 1024;

    /** Keeps what a connection reads, and holds the buffers until told to let go. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Queue<ByteBuf> held;
        volatile boolean holding = true;
        Channel channel;

        Collector(Queue<ByteBuf> held) {
            this.held = held;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] copy = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), copy);
            synchronized (bytes) {
                bytes.writeBytes(copy);
            }
            if (holding) {
                held.add(buf);
            } else {
                buf.release();
            }
        }

        int size() {
            synchronized (bytes) {
                return bytes.size();
            }
        }

        byte[] received() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }
    }

    @Test
    void aBurstOfSendersWhileThePoolIsExhaustedLosesNothingOnceMemoryFrees() throws Exception {
        AfdPollConfig limited = AfdPollConfig.builder().readMemoryLimit(LIMIT).readChunkSize(CHUNK).rearmBatch(2)
                .build();
        MultiThreadIoEventLoopGroup serverGroup = Loopback.group(1, limited);
        MultiThreadIoEventLoopGroup clientGroup = Loopback.group(2, AfdPollConfig.defaults());
        Queue<ByteBuf> held = new ConcurrentLinkedQueue<>();
        List<Collector> collectors = new ArrayList<>();
        try {
            Channel server = Loopback.server(serverGroup, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    Collector collector = new Collector(held);
                    synchronized (collectors) {
                        collectors.add(collector);
                    }
                    ch.pipeline().addLast(collector);
                }
            }, true);
            List<Channel> clients = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                clients.add(Loopback.client(clientGroup, server, new ChannelInboundHandlerAdapter()));
            }
            for (int i = 0; i < SENDERS; i++) {
                clients.get(i).writeAndFlush(Unpooled.wrappedBuffer(payload(i)));
            }

            Loopback.until(() -> Loopback.stats(server).parked() > 0
                    && Loopback.stats(server).readMemoryHeld() == LIMIT, 20);
            int unarmedForRead = 0;
            for (Collector collector : snapshot(collectors)) {
                Channel child = collector.channel;
                AfdPollRegistration registration = Loopback.registration(child);
                if (Loopback.onLoop(child, () -> registration.parked)) {
                    assertThat(Loopback.armedMask(child) & Afd.POLL_RECEIVE).as("a parked socket has no read poll")
                            .isZero();
                    unarmedForRead++;
                }
            }
            assertThat(unarmedForRead).isPositive();

            // Released on this thread, not the loop: the pool must wake the loop itself.
            for (Collector collector : snapshot(collectors)) {
                collector.holding = false;
            }
            Loopback.until(() -> {
                ByteBuf buf;
                while ((buf = held.poll()) != null) {
                    buf.release();
                }
                return snapshot(collectors).stream().mapToInt(Collector::size).sum() == SENDERS * BYTES_PER_SENDER;
            }, 60);
            for (Collector collector : snapshot(collectors)) {
                byte[] received = collector.received();
                int sender = received[3];
                assertThat(received).as("bytes of sender %d", sender).isEqualTo(payload(sender));
            }
            Loopback.until(() -> Loopback.stats(server).readMemoryHeld() == 0, 10);
            assertThat(Loopback.stats(server).parked()).isZero();
            for (Channel client : clients) {
                client.close().sync();
            }
            server.close().sync();
        } finally {
            ByteBuf buf;
            while ((buf = held.poll()) != null) {
                buf.release();
            }
            Loopback.shutdown(clientGroup, serverGroup);
        }
    }

    private static List<Collector> snapshot(List<Collector> collectors) {
        synchronized (collectors) {
            return new ArrayList<>(collectors);
        }
    }

    private static byte[] payload(int sender) {
        byte[] bytes = new byte[BYTES_PER_SENDER];
        new Random(sender).nextBytes(bytes);
        bytes[0] = 0;
        bytes[1] = 0;
        bytes[2] = 0;
        bytes[3] = (byte) sender;
        return bytes;
    }
}
