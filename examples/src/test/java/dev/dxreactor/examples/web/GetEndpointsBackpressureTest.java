package dev.dxreactor.examples.web;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that pipelines requests and reads no answer: the server must stop taking its requests instead of
 * building an answer for every one of them.
 */
class GetEndpointsBackpressureTest {

    private static final int ANSWER_BYTES = 8 * 1024;
    private static final int REQUESTS = 5_000;

    private final AtomicInteger answers = new AtomicInteger();
    private final AtomicReference<Channel> served = new AtomicReference<>();
    private EventLoopGroup group;
    private Channel listener;

    @ChannelHandler.Sharable
    private final class Big extends GetEndpoints {
        @Override
        protected boolean serves(String path) {
            return path.equals("/big");
        }

        @Override
        protected FullHttpResponse answer(ChannelHandlerContext ctx, String path) {
            answers.incrementAndGet();
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(new byte[ANSWER_BYTES]));
        }
    }

    @BeforeEach
    void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Big big = new Big();
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(16 * 1024, 32 * 1024))
                .childOption(ChannelOption.SO_SNDBUF, 16 * 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        served.set(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1024), big);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterEach
    void stop() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aClientThatReadsNoAnswerGetsOnlyABoundedNumberOfThem() throws Exception {
        byte[] request = "GET /big HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[request.length * REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            System.arraycopy(request, 0, all, i * request.length, request.length);
        }
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(16 * 1024);
            client.setSoTimeout(30_000);
            client.connect(listener.localAddress());
            OutputStream out = client.getOutputStream();
            // The server stops reading, so this write may never finish: it runs beside the test.
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    out.write(all);
                    out.flush();
                } catch (Exception ignored) {
                    // the server closed the connection or stopped reading: either is what is tested
                }
            });
            int settled = settle();

            // What the two socket buffers and the outbound buffer up to its high water mark hold, plus the answers
            // allowed while unwritable: some tens of answers. Without backpressure it is every one of the 5,000.
            assertThat(settled).as("answers built for %d pipelined requests", REQUESTS).isPositive().isLessThan(300);
            Channel channel = served.get();
            assertThat(!channel.isActive() || !channel.config().isAutoRead())
                    .as("the server closed the connection or stopped reading from it").isTrue();
            sending.cancel(true);

            // A client that reads again is served again, until it has every answer or the server gave up on it.
            if (channel.isActive()) {
                InputStream in = client.getInputStream();
                byte[] sink = new byte[64 * 1024];
                int before = answers.get();
                while (channel.isActive() && answers.get() == before && in.read(sink) >= 0) {
                    // draining what the server wrote
                }
                assertThat(answers.get() > before || !channel.isActive()).isTrue();
            }
        }
    }

    /** The number of answers once it has not changed for a while (no clock is asserted on). */
    private int settle() throws InterruptedException {
        int last = -1;
        int unchanged = 0;
        while (unchanged < 10) {
            Thread.sleep(50);
            int now = answers.get();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }
}
