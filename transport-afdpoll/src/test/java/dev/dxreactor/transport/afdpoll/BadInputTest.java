package dev.dxreactor.transport.afdpoll;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;

import static org.assertj.core.api.Assertions.assertThat;

/** What the channels refuse, and that refusing costs nothing else. */
class BadInputTest {

    private static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void start() {
        group = Loopback.group(1, AfdPollConfig.defaults());
    }

    @AfterAll
    static void stop() {
        Loopback.shutdown(group);
    }

    @Test
    void bindingToAnAddressThatIsNotAnInetSocketAddressFailsWithTheReason() {
        ChannelFuture bind = new ServerBootstrap().group(group).channel(AfdPollServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter())
                .bind(new LocalAddress("not-a-socket")).awaitUninterruptibly();
        assertThat(bind.cause()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("take InetSocketAddress, not io.netty.channel.local.LocalAddress");
    }

    @Test
    void connectingToAnUnresolvedAddressFailsWithoutOpeningASocket() throws Exception {
        Channel channel = new Bootstrap().group(group).channel(AfdPollSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).register().sync().channel();
        ChannelFuture connect = channel.connect(InetSocketAddress.createUnresolved("nowhere.invalid", 80))
                .awaitUninterruptibly();
        assertThat(connect.cause()).isInstanceOf(UnresolvedAddressException.class);
        assertThat(((AbstractAfdPollChannel) channel).hasOpenSocket()).isFalse();
        channel.close().sync();
    }

    @Test
    void writingAnUnsupportedMessageFailsThatWriteOnlyAndTheConnectionGoesOn() throws Exception {
        Channel server = Loopback.server(group, EchoClient.echoServer(), true);
        byte[] payload = EchoClient.payload(4096, 21);
        EchoClient echo = new EchoClient(payload);
        Channel client = Loopback.client(group, server, echo);
        try {
            ChannelFuture write = client.writeAndFlush("a String is not bytes").awaitUninterruptibly();
            assertThat(write.cause()).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("String").hasMessageContaining("expected: ByteBuf or FileRegion");
            assertThat(client.isActive()).isTrue();
            client.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(payload));
            echo.done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            client.close().sync();
            echo.release();
            server.close().sync();
        }
    }
}
