package dev.dxreactor.hbtp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * HBTP over WebSocket mounted the way an application mounts it: one HTTP/1.1 port, {@code /hbtp} upgraded,
 * {@code GET /api} answered by a JSON handler behind it, and (when given a directory) the files under
 * {@code /static/} served, for the browser test's page. One NIO loop and an allocator of its own, so that a
 * test can read how many bytes the server holds.
 */
final class WebSocketServer implements AutoCloseable {

    final PooledByteBufAllocator alloc = new PooledByteBufAllocator(true);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel listener;

    WebSocketServer(HbtpWebSocketConfig config) throws InterruptedException {
        this(config, null, 0);
    }

    /** @param files the directory served under {@code /static/}, or {@code null} */
    WebSocketServer(HbtpWebSocketConfig config, Path files, int port) throws InterruptedException {
        try {
            listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, alloc)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 << 10),
                                    new HbtpWebSocketUpgradeHandler(config), new Api(files));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    long bytesHeld() {
        return alloc.metric().usedDirectMemory() + alloc.metric().usedHeapMemory();
    }

    /** Connections open now. */
    int connections() {
        return connections.size();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The application's own HTTP handler on the same port. */
    private static final class Api extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Path files;

        Api(Path files) {
            this.files = files;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
            String uri = request.uri();
            if (uri.equals("/api")) {
                respond(ctx, request, HttpResponseStatus.OK, "application/json",
                        Unpooled.copiedBuffer("{\"ok\":true}", StandardCharsets.UTF_8));
                return;
            }
            if (files != null && uri.startsWith("/static/") && !uri.contains("..")) {
                Path file = files.resolve(uri.substring("/static/".length())).normalize();
                if (file.startsWith(files) && Files.isRegularFile(file)) {
                    String type = uri.endsWith(".html") ? "text/html; charset=utf-8"
                            : uri.endsWith(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream";
                    respond(ctx, request, HttpResponseStatus.OK, type, Unpooled.wrappedBuffer(Files.readAllBytes(file)));
                    return;
                }
            }
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain", Unpooled.EMPTY_BUFFER);
        }

        private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                    String type, ByteBuf body) {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            HttpUtil.setContentLength(response, body.readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
