package dev.dxreactor.hbtp.typescript;

import dev.dxreactor.hbtp.HbtpEncryptionMode;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpStatus;
import dev.dxreactor.hbtp.HbtpTopics;
import dev.dxreactor.hbtp.HbtpWebSocketConfig;
import dev.dxreactor.hbtp.HbtpWebSocketUpgradeHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The server the TypeScript tests run against, mounted as an application mounts HBTP over WebSocket: one
 * HTTP/1.1 port, {@code /hbtp} upgraded, the package's files under {@code /pkg/} (the browser test's page
 * and the compiled client), 404 for anything else.
 *
 * <p>Routes: 1 echo; 2 BAD_REQUEST "refused: body"; 3 answers after 2 s (for deadlines, timeouts and CANCEL); 4 echoes the {@code trace-id} metadata in the response metadata; 5 publishes its body as a delta of
 * topic 7; 6 drops the connection without CLOSE; 8 how many calls of route 3 were cancelled. CLIENT_EVENT 11 comes
 * back as SERVER_EVENT 12.
 */
final class TestServer implements AutoCloseable {

    private static final Map<String, String> TYPES = Map.of(".html", "text/html; charset=utf-8",
            ".js", "text/javascript; charset=utf-8", ".mjs", "text/javascript; charset=utf-8");

    /** The key of {@code /hbtp-sealed}: the Node test gives the same bytes (UTF-8 of this text). */
    static final byte[] PRE_SHARED_KEY = "the TypeScript test pre-shared key".getBytes(StandardCharsets.UTF_8);

    /** How long route 3 takes: far longer than the deadlines and timeouts the tests give it. */
    private static final long SLOW_MILLIS = 2_000;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HbtpTopics topics = new HbtpTopics();
    private final List<dev.dxreactor.hbtp.HbtpCall> slowCalls = new CopyOnWriteArrayList<>();
    private final Channel listener;
    /** The same routes with encryption required and {@link #PRE_SHARED_KEY}, on a port of their own. */
    private final Channel sealedListener;

    TestServer(Path packageDir) throws InterruptedException {
        HbtpRouter router = new HbtpRouter()
                        .route(1, call -> call.payload().retain())
                        .route(2, call -> {
                            throw new HbtpRpcException(HbtpStatus.BAD_REQUEST,
                                    "refused: " + call.payload().toString(StandardCharsets.UTF_8));
                        })
                        .routeAsync(3, call -> {
                            slowCalls.add(call);
                            return CompletableFuture.supplyAsync(() -> Unpooled.EMPTY_BUFFER,
                                    CompletableFuture.delayedExecutor(SLOW_MILLIS, TimeUnit.MILLISECONDS));
                        })
                        .route(4, call -> {
                            call.responseMetadata(dev.dxreactor.hbtp.HbtpMetadata.builder()
                                    .put("trace-id", call.metadata().get("trace-id")).build());
                            return Unpooled.EMPTY_BUFFER;
                        })
                        .route(5, call -> {
                            topics.publishDelta(7, call.payload().retainedDuplicate());
                            return Unpooled.EMPTY_BUFFER;
                        })
                        .route(6, call -> {
                            call.session().channel().close();
                            return Unpooled.EMPTY_BUFFER;
                        })
                        .route(8, call -> Unpooled.copiedBuffer(
                                Long.toString(slowCalls.stream().filter(dev.dxreactor.hbtp.HbtpCall::isCancelled).count()),
                                StandardCharsets.US_ASCII));
        HbtpServerConfig.Builder config = HbtpServerConfig.builder().router(router).topics(topics)
                .onClientEvent(11, (session, event, payload) -> session.sendEvent(12, payload.retain()));
        HbtpServerConfig hbtp = config.build();
        // The same routes with encryption required and a pre-shared key, for the client's encryption tests.
        HbtpServerConfig sealed = config.encryption(HbtpEncryptionMode.REQUIRED).preSharedKey(PRE_SHARED_KEY).build();
        topics.publish(7, Unpooled.copiedBuffer("initial", StandardCharsets.UTF_8));
        HbtpWebSocketConfig ws = HbtpWebSocketConfig.builder(hbtp).path("/hbtp").build();
        HbtpWebSocketConfig sealedWs = HbtpWebSocketConfig.builder(sealed).path("/hbtp").build();
        try {
            listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 << 10),
                                    new HbtpWebSocketUpgradeHandler(ws), new PackageFiles(packageDir));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            sealedListener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 << 10),
                                    new HbtpWebSocketUpgradeHandler(sealedWs));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    int sealedPort() {
        return ((InetSocketAddress) sealedListener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        sealedListener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // A new snapshot releases the history the topic holds; an empty one holds nothing itself.
        topics.publish(7, Unpooled.EMPTY_BUFFER);
    }

    /** The package's own files, for the browser: {@code /pkg/dist/...} and {@code /pkg/test/...}. */
    private static final class PackageFiles extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Path root;

        PackageFiles(Path root) {
            this.root = root.toAbsolutePath().normalize();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
            String uri = request.uri();
            Path file = uri.startsWith("/pkg/") ? root.resolve(uri.substring(5)).normalize() : null;
            boolean served = file != null && file.startsWith(root.resolve("dist")) || file != null
                    && file.startsWith(root.resolve("test"));
            String type = file == null ? null : TYPES.get(extension(file));
            DefaultFullHttpResponse response;
            if (served && type != null && Files.isRegularFile(file)) {
                response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(Files.readAllBytes(file)));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            } else {
                response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.NOT_FOUND,
                        Unpooled.EMPTY_BUFFER);
            }
            HttpUtil.setContentLength(response, response.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private static String extension(Path file) {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            return dot < 0 ? "" : name.substring(dot);
        }
    }
}
