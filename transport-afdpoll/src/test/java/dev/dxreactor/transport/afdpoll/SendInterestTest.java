package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Afd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Rule 7, second half: SEND is asked for only while a write is blocked, so a full idle socket costs nothing. */
class SendInterestTest {

    private static final int TOTAL = 8 * 1024 * 1024;

    @Test
    void sendIsArmedOnlyWhileAWriteIsBlockedAndAFullIdleSocketDoesNotSpin() throws Exception {
        MultiThreadIoEventLoopGroup serverGroup = Loopback.group(1, AfdPollConfig.defaults());
        MultiThreadIoEventLoopGroup clientGroup = Loopback.group(1, AfdPollConfig.defaults());
        CompletableFuture<Channel> child = new CompletableFuture<>();
        AtomicLong received = new AtomicLong();
        try {
            Channel server = Loopback.server(serverGroup, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    child.complete(ctx.channel());
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    received.addAndGet(((ByteBuf) msg).readableBytes());
                    ((ByteBuf) msg).release();
                }
            }, false);
            Channel client = Loopback.client(clientGroup, server, new ChannelInboundHandlerAdapter());
            Channel peer = child.get(10, TimeUnit.SECONDS);

            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < TOTAL; sent += chunk.length) {
                client.write(Unpooled.wrappedBuffer(chunk));
            }
            client.flush();
            Loopback.until(() -> Loopback.desired(client).contains(AfdPollIoOps.WRITE), 10);
            Loopback.until(() -> (Loopback.armedMask(client) & Afd.POLL_SEND) != 0, 10);

            AfdPollIoHandler.Stats before = Loopback.stats(client);
            Thread.sleep(500);
            AfdPollIoHandler.Stats after = Loopback.stats(client);
            assertThat(after.packets() - before.packets()).as("no SEND packet while the kernel buffer stays full")
                    .isZero();
            assertThat(after.submissions() - before.submissions()).isZero();
            assertThat(after.dequeues() - before.dequeues()).as("the loop waits instead of spinning")
                    .isLessThanOrEqualTo(3);

            peer.config().setAutoRead(true);
            Loopback.until(() -> received.get() == TOTAL, 30);
            Loopback.until(() -> !Loopback.desired(client).contains(AfdPollIoOps.WRITE), 10);
            Loopback.until(() -> (Loopback.armedMask(client) & Afd.POLL_SEND) == 0, 10);

            AfdPollIoHandler.Stats drained = Loopback.stats(client);
            Thread.sleep(500);
            AfdPollIoHandler.Stats idle = Loopback.stats(client);
            assertThat(idle.dequeues() - drained.dequeues()).as("a writable idle socket does not wake the loop")
                    .isLessThanOrEqualTo(3);
            assertThat(idle.packets() - drained.packets()).isZero();
            client.close().sync();
            server.close().sync();
        } finally {
            Loopback.shutdown(clientGroup, serverGroup);
        }
    }
}
