package dev.dxreactor.cim;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.dxreactor.cim.chains.ApiChainHandler;
import dev.dxreactor.cim.middleware.JwtConfig;
import dev.dxreactor.cim.middleware.RateLimitConfig;
import dev.dxreactor.cim.middleware.RateLimitKey;
import dev.dxreactor.hbtp.HbtpCallFuture;
import dev.dxreactor.hbtp.HbtpClient;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import dev.dxreactor.hbtp.HbtpStatus;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One generated chain ({@code ApiChain}: rate limit, CORS, auth, timing) serving HTTP/1.1 and HBTP over real
 * loopback sockets, with one {@link CimConfig}. Every client here is 127.0.0.1, so all requests of a test
 * count against one bucket.
 */
class ChainOverRealSocketsTest {

    private static final byte[] SECRET = "a shared secret for the chain test, 32+ bytes".getBytes(StandardCharsets.UTF_8);
    private static final int BURST = 5;
    private static final int HELLO = 1;

    private MultiThreadIoEventLoopGroup group;
    private Channel http;
    private Channel hbtp;
    private HbtpClient hbtpClient;
    private final HttpClient httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        // One loop: rate-limit buckets are per loop, so every connection here counts against the same ones.
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CimConfig config = CimConfig.builder()
                .jwt(JwtConfig.builder().hmacKey(SECRET).issuer("https://id.example.com").audience("api").build())
                .rateLimit(RateLimitConfig.builder().permitsPerSecond(0.01).burst(BURST).key(RateLimitKey.REMOTE_ADDRESS)
                        .build())
                .build();
        ApiChainHandler httpChain = new ApiChainHandler(config, (context, request) -> {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                    HttpResponseStatus.OK, Unpooled.copiedBuffer("hello " + context.subject(), StandardCharsets.UTF_8));
            return CompletableFuture.supplyAsync(() -> response);
        });
        http = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), httpChain);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();

        HbtpRouter router = new HbtpRouter().routeAsync(HELLO, new ApiChainHandler(config,
                call -> CompletableFuture.completedFuture(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8))));
        hbtp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        hbtpClient = HbtpClient.connect(hbtp.localAddress(),
                HbtpClientConfig.builder().eventLoop(group, NioSocketChannel.class).build());
    }

    @AfterEach
    void stop() throws Exception {
        hbtpClient.close();
        http.close().sync();
        hbtp.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        httpClient.close();
    }

    private static String token(String subject) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issuer("https://id.example.com")
                .audience("api").expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private HttpResponse<String> get(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ((InetSocketAddress) http.localAddress()).getPort() + "/items")).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return httpClient.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpRequestsGoThroughTheWholeChain() throws Exception {
        HttpResponse<String> anonymous = get();
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("unauthenticated");
        assertThat(anonymous.headers().firstValue("X-Response-Time")).hasValueSatisfying(v -> assertThat(v).endsWith("us"));

        HttpResponse<String> ok = get("Authorization", "Bearer " + token("alice"), "Origin", "https://app.example.com");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("hello alice");
        assertThat(ok.headers().firstValue("X-Response-Time")).isPresent();
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");

        HttpResponse<String> foreign = get("Authorization", "Bearer " + token("alice"), "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(foreign.headers().firstValue("X-Response-Time")).isPresent();
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutCredentials() throws Exception {
        HttpRequest preflight = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ((InetSocketAddress) http.localAddress()).getPort() + "/items"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:8080")
                .header("Access-Control-Request-Method", "POST")
                .build();
        HttpResponse<String> answer = httpClient.send(preflight, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(204);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(
                v -> assertThat(v).contains("POST"));
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:8080");
    }

    @Test
    void httpRateLimitAnswers429WithRetryAfter() throws Exception {
        String bob = token("bob");
        for (int i = 0; i < BURST; i++) {
            assertThat(get("Authorization", "Bearer " + bob).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = get("Authorization", "Bearer " + bob);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isPositive());
        // Counted by address, before the token is read: another subject from the same address waits too.
        assertThat(get("Authorization", "Bearer " + token("carol")).statusCode()).isEqualTo(429);
    }

    @Test
    void aFloodOfBadTokensIsRateLimitedBeforeAnyTokenIsVerified() throws Exception {
        for (int i = 0; i < BURST; i++) {
            assertThat(get("Authorization", "Bearer forged." + i + ".token").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = get("Authorization", "Bearer forged.again.token");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("rate limit exceeded");
    }

    @Test
    void hbtpCallsGoThroughTheSameChain() throws Exception {
        HbtpCallFuture anonymous = hbtpClient.call(HELLO, Unpooled.EMPTY_BUFFER);
        assertThatThrownBy(() -> anonymous.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(HbtpRpcException.class, e -> {
                    assertThat(e.status()).isEqualTo(HbtpStatus.UNAUTHENTICATED);
                    assertThat(e.getMessage()).isEqualTo("unauthenticated");
                    assertThat(e.metadata().get(HbtpMetadata.RESPONSE_TIME_US)).matches("\\d+");
                });

        HbtpMetadata auth = HbtpMetadata.builder().put(HbtpMetadata.AUTH, "Bearer " + token("dave")).build();
        // The anonymous call took the first of the address's BURST tokens.
        for (int i = 1; i < BURST; i++) {
            HbtpCallFuture call = hbtpClient.call(HELLO, Unpooled.EMPTY_BUFFER, auth, Duration.ofSeconds(5));
            ByteBuf body = call.get(5, TimeUnit.SECONDS);
            try {
                assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
            } finally {
                body.release();
            }
            assertThat(call.responseMetadata().get(HbtpMetadata.RESPONSE_TIME_US)).matches("\\d+");
        }
        HbtpCallFuture limited = hbtpClient.call(HELLO, Unpooled.EMPTY_BUFFER, auth, Duration.ofSeconds(5));
        assertThatThrownBy(() -> limited.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(HbtpRpcException.class, e -> {
                    assertThat(e.status()).isEqualTo(HbtpStatus.RESOURCE_EXHAUSTED);
                    assertThat(Long.parseLong(e.metadata().get("retry-after-ms"))).isPositive();
                    assertThat(e.metadata().get(HbtpMetadata.RESPONSE_TIME_US)).isNotNull();
                });
    }
}
