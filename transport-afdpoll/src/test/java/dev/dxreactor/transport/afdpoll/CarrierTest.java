package dev.dxreactor.transport.afdpoll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules 9 and 10: polls go through helper handles of at most 32 sockets, or on each base socket itself. */
class CarrierTest {

    @Test
    void helperHandlesCarryAtMostTheirShareOfSockets() throws Exception {
        MultiThreadIoEventLoopGroup group = Loopback.group(1, AfdPollConfig.defaults());
        try {
            Channel server = Loopback.server(group, EchoClient.echoServer(), true);
            List<Channel> clients = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                clients.add(Loopback.client(group, server, new ChannelInboundHandlerAdapter()));
            }
            Loopback.until(() -> Loopback.stats(server).registrations() == 81, 10);
            Loopback.until(() -> Loopback.stats(server).helpers() >= 3, 10);
            AfdPollIoHandler.Stats stats = Loopback.stats(server);
            assertThat(stats.maxSocketsOnOneHelper()).isLessThanOrEqualTo(32);
            assertThat(stats.helpers()).as("81 sockets need at least 3 helpers of 32").isGreaterThanOrEqualTo(3);
            for (Channel client : clients) {
                client.close().sync();
            }
            server.close().sync();
        } finally {
            Loopback.shutdown(group);
        }
    }

    @Test
    void theBaseSocketCarrierEchoesWithoutAnyHelperHandle() throws Exception {
        MultiThreadIoEventLoopGroup group = Loopback.group(2,
                AfdPollConfig.builder().carrier(AfdPollCarrier.BASE_SOCKET).build());
        try {
            Channel server = Loopback.server(group, EchoClient.echoServer(), true);
            EchoClient.roundTrip(group, server, EchoClient.payload(512 * 1024, 7), 20);
            assertThat(Loopback.stats(server).helpers()).isZero();
            server.close().sync();
        } finally {
            Loopback.shutdown(group);
        }
    }

    @Test
    void aChannelPolledOnItsBaseSocketCannotMoveToAnotherLoop() throws Exception {
        MultiThreadIoEventLoopGroup group = Loopback.group(2,
                AfdPollConfig.builder().carrier(AfdPollCarrier.BASE_SOCKET).build());
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        try {
            Channel server = Loopback.server(group, EchoClient.echoServer(), true);
            Channel client = Loopback.client(group, server, new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    failure.complete(cause);
                }
            });
            Loopback.until(() -> Loopback.armedMask(client) != 0, 10);
            IoEventLoop other = null;
            for (var executor : group) {
                if (executor != client.eventLoop()) {
                    other = (IoEventLoop) executor;
                }
            }
            client.deregister().sync();
            other.register(client).sync();
            assertThat(failure.get(10, TimeUnit.SECONDS)).hasMessageContaining("cannot be polled from another");
            client.closeFuture().await(10, TimeUnit.SECONDS);
            assertThat(client.isOpen()).isFalse();
            server.close().sync();
        } finally {
            Loopback.shutdown(group);
        }
    }

    @Test
    void withHelperHandlesAChannelMovesToAnotherLoopAndKeepsWorking() throws Exception {
        MultiThreadIoEventLoopGroup group = Loopback.group(2, AfdPollConfig.defaults());
        try {
            Channel server = Loopback.server(group, EchoClient.echoServer(), true);
            byte[] payload = EchoClient.payload(64 * 1024, 3);
            EchoClient echo = new EchoClient(payload);
            Channel client = Loopback.client(group, server, echo);
            IoEventLoop other = null;
            for (var executor : group) {
                if (executor != client.eventLoop()) {
                    other = (IoEventLoop) executor;
                }
            }
            client.deregister().sync();
            other.register(client).sync();
            client.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(payload));
            echo.done.get(10, TimeUnit.SECONDS);
            assertThat(client.eventLoop()).isSameAs(other);
            client.close().sync();
            echo.release();
            server.close().sync();
        } finally {
            Loopback.shutdown(group);
        }
    }
}
