package dev.dxreactor.teleport.example;

import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import dev.dxreactor.hbtp.HbtpStatus;
import dev.dxreactor.teleport.HbtpTeleport;
import dev.dxreactor.teleport.TeleportBuffer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A teleport route over a real HBTP connection: request read in place, response written as a message. */
class HbtpTeleportTest {

    private final TeleportBuffer out = TeleportBuffer.allocate(ByteBufAllocator.DEFAULT);
    private EventLoopGroup group;
    private Channel listener;
    private HbtpClient client;

    @BeforeEach
    void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HbtpRouter router = new HbtpRouter();
        HbtpTeleport.route(router, 1, UserView::new, (call, user, response) ->
                AddressTeleport.write(response, user.addresses().isEmpty() ? user.home().toRecord()
                        : user.addresses().get(0).toRecord()));
        HbtpTeleport.route(router, 2, UserView::new, (call, user, response) -> {
            throw new HbtpRpcException(HbtpStatus.PERMISSION_DENIED, "not " + user.name());
        });
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        client = HbtpClient.connect(listener.localAddress(), HbtpClientConfig.defaults());
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        listener.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        out.release();
    }

    @Test
    void aRouteReadsTheRequestInPlaceAndAnswersWithAMessage() throws Exception {
        for (int i = 0; i < 3; i++) {
            UserTeleport.write(out, GoldenMessageTest.USER);
            ByteBuf answer = client.call(1, out.finish()).get(10, TimeUnit.SECONDS);
            try {
                assertThat(AddressView.wrap(answer).toRecord()).isEqualTo(GoldenMessageTest.USER.addresses().get(0));
            } finally {
                answer.release();
            }
        }
    }

    @Test
    void aPayloadThatIsNotTheRequestTypeIsABadRequest() {
        AddressTeleport.write(out, GoldenMessageTest.USER.home());
        assertThatThrownBy(() -> client.call(1, out.finish()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(HbtpRpcException.class)
                .satisfies(e -> assertThat(((HbtpRpcException) e).status()).isEqualTo(HbtpStatus.BAD_REQUEST))
                .hasMessageContaining("expected schema 1, template 1");
        assertThatThrownBy(() -> client.call(1, Unpooled.wrappedBuffer(new byte[]{1, 2, 3})).get(10, TimeUnit.SECONDS))
                .cause().hasMessageContaining("16-byte header");
    }

    @Test
    void aHandlersStatusReachesTheClientAndTheNextCallStillWorks() throws Exception {
        UserTeleport.write(out, GoldenMessageTest.USER);
        assertThatThrownBy(() -> client.call(2, out.finish()).get(10, TimeUnit.SECONDS))
                .cause().satisfies(e -> assertThat(((HbtpRpcException) e).status())
                        .isEqualTo(HbtpStatus.PERMISSION_DENIED))
                .hasMessageContaining("not Ada");
        aRouteReadsTheRequestInPlaceAndAnswersWithAMessage();
    }
}
