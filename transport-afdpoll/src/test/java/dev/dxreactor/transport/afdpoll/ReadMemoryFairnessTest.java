package dev.dxreactor.transport.afdpoll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read memory is shared fairly: with one small pool and more senders than chunks, no connection holds more than
 * {@link AfdPollConfig#readChunksPerConnection()} chunks while the application keeps its buffers, and a parked
 * connection sees at most one chunk granted to each other connection before its own, plus those granted while it
 * held its share itself (at most the pool's size here, as nothing is released then): an armed connection cannot
 * overtake the queue.
 */
class ReadMemoryFairnessTest {

    private static final int CHUNK = 4 * 1024;
    private static final int CHUNKS = 8;
    private static final int PER_CONNECTION = 2;
    private static final int SENDERS = 10;
    private static final int BYTES_PER_SENDER = 64 * 1024;

    /** Keeps a connection's bytes; holds its buffers until told to let go, then releases each as it reads. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        final Queue<ByteBuf> held = new ConcurrentLinkedQueue<>();
        final byte[] received = new byte[BYTES_PER_SENDER];
        volatile int size;
        volatile boolean holding = true;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            int n = buf.readableBytes();
            if (size + n <= received.length) {
                buf.getBytes(buf.readerIndex(), received, size, n);
            }
            size += n;
            if (holding) {
                held.add(buf);
            } else {
                buf.release();
            }
        }

        void releaseHeld() {
            holding = false;
            ByteBuf buf;
            while ((buf = held.poll()) != null) {
                buf.release();
            }
        }
    }

    @Test
    void noConnectionHoldsMoreThanItsShareAndNoParkedConnectionIsOvertaken() throws Exception {
        AfdPollConfig limited = AfdPollConfig.builder().readChunkSize(CHUNK).readMemoryLimit((long) CHUNKS * CHUNK)
                .readChunksPerConnection(PER_CONNECTION).rearmBatch(2).build();
        MultiThreadIoEventLoopGroup serverGroup = Loopback.group(1, limited);
        MultiThreadIoEventLoopGroup clientGroup = Loopback.group(1, AfdPollConfig.defaults());
        List<Collector> collectors = new ArrayList<>();
        try {
            Channel server = Loopback.server(serverGroup, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    Collector collector = new Collector();
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
            Loopback.until(() -> snapshot(collectors).size() == SENDERS, 20);
            for (int i = 0; i < SENDERS; i++) {
                clients.get(i).writeAndFlush(Unpooled.wrappedBuffer(payload(i)));
            }

            Loopback.until(() -> Loopback.stats(server).readMemoryHeld() == (long) CHUNKS * CHUNK
                    && Loopback.stats(server).parked() == SENDERS, 20);
            int holdingAny = 0;
            for (Collector collector : snapshot(collectors)) {
                assertThat(collector.held).as("buffers one connection holds").hasSizeLessThanOrEqualTo(PER_CONNECTION);
                holdingAny += collector.held.isEmpty() ? 0 : 1;
            }
            assertThat(holdingAny).as("connections sharing the pool").isGreaterThanOrEqualTo(CHUNKS / PER_CONNECTION);

            // In one task on the loop: no re-arming happens while only some of them are back.
            Loopback.onLoop(server, () -> {
                snapshot(collectors).forEach(Collector::releaseHeld);
                return null;
            });
            Loopback.until(() -> snapshot(collectors).stream().allMatch(c -> c.size == BYTES_PER_SENDER), 60);
            List<byte[]> expected = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                expected.add(payload(i));
            }
            for (Collector collector : snapshot(collectors)) {
                assertThat(expected).as("a sender's bytes, intact and in order")
                        .anyMatch(bytes -> Arrays.equals(bytes, collector.received));
            }
            assertThat(Loopback.stats(server).longestReadMemoryWait()).as("chunks granted to others while parked")
                    .isLessThanOrEqualTo(SENDERS - 1 + CHUNKS);
            Loopback.until(() -> Loopback.stats(server).readMemoryHeld() == 0, 10);
            for (Channel client : clients) {
                client.close().sync();
            }
            server.close().sync();
        } finally {
            snapshot(collectors).forEach(Collector::releaseHeld);
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
        new SplittableRandom(sender).nextBytes(bytes);
        return bytes;
    }
}
