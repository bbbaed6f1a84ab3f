package dev.dxreactor.cim;

import dev.dxreactor.cim.chains.CorsChainHandler;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application may answer with any {@code CompletionStage}, also the minimal kind
 * ({@link CompletableFuture#minimalCompletionStage()}, what some libraries hand out), which refuses
 * {@code isDone()} and {@code join()}: the chain still answers, completed or not, over HTTP and HBTP.
 */
class MinimalStageTest {

    private final CimConfig config = CimConfig.builder().build();

    private static FullHttpResponse ok(String text) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Test
    void httpAnswersFromACompletedAndAPendingMinimalStage() {
        CompletableFuture<FullHttpResponse> later = new CompletableFuture<>();
        CorsChainHandler completed = new CorsChainHandler(config,
                (context, request) -> CompletableFuture.completedStage(ok("now")));
        CorsChainHandler pending = new CorsChainHandler(config,
                (context, request) -> later.minimalCompletionStage());

        assertThat(answer(new EmbeddedChannel(completed), null)).isEqualTo("200 now");
        assertThat(answer(new EmbeddedChannel(pending), () -> later.complete(ok("later")))).isEqualTo("200 later");
    }

    private static String answer(EmbeddedChannel channel, Runnable meanwhile) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/items",
                Unpooled.EMPTY_BUFFER));
        if (meanwhile != null) {
            meanwhile.run();
            channel.runPendingTasks();
        }
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).as("an answer").isNotNull();
        try {
            return response.status().code() + " " + response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void hbtpAnswersFromACompletedAndAPendingMinimalStage() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CompletableFuture<ByteBuf> later = new CompletableFuture<>();
        HbtpRouter router = new HbtpRouter()
                .routeAsync(1, new CorsChainHandler(config,
                        call -> CompletableFuture.completedStage(Unpooled.copiedBuffer("now", StandardCharsets.UTF_8))))
                .routeAsync(2, new CorsChainHandler(config, call -> later.minimalCompletionStage()));
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try (HbtpClient client = HbtpClient.connect(server.localAddress(),
                HbtpClientConfig.builder().eventLoop(group, NioSocketChannel.class).build())) {
            assertThat(text(client.call(1, Unpooled.EMPTY_BUFFER))).isEqualTo("now");
            CompletableFuture<ByteBuf> pendingCall = client.call(2, Unpooled.EMPTY_BUFFER);
            later.complete(Unpooled.copiedBuffer("later", StandardCharsets.UTF_8));
            assertThat(text(pendingCall)).isEqualTo("later");
        } finally {
            server.close().sync();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static String text(CompletableFuture<ByteBuf> call) throws Exception {
        ByteBuf body = call.get(10, TimeUnit.SECONDS);
        try {
            return body.toString(StandardCharsets.UTF_8);
        } finally {
            body.release();
        }
    }
}
