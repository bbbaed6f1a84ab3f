package dev.dxreactor.cim;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.dxreactor.cim.chains.ApiChainHandler;
import dev.dxreactor.cim.middleware.JwtConfig;
import dev.dxreactor.cim.middleware.RateLimitConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cim.rejections}: what each middleware of a generated chain refused, counted by middleware and status. */
class RejectionMetricsTest {

    private static final byte[] SECRET = "a shared secret for the metrics test, 32+ bytes".getBytes(StandardCharsets.UTF_8);

    private final HttpApplication application = (context, request) -> CompletableFuture.completedFuture(
            new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok", StandardCharsets.UTF_8)));

    private static int status(EmbeddedChannel channel, FullHttpRequest request) {
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            return response.status().code();
        } finally {
            response.release();
        }
    }

    private static FullHttpRequest get(String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/items",
                Unpooled.EMPTY_BUFFER);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().set(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static String token() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice").audience("api")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    @Test
    void eachRefusalIsCountedByTheMiddlewareThatAnsweredAndItsStatus() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CimConfig config = CimConfig.builder()
                .jwt(JwtConfig.builder().hmacKey(SECRET).audience("api").build())
                .rateLimit(RateLimitConfig.builder().permitsPerSecond(0.01).burst(4).build())
                .meterRegistry(registry, "app", "test")
                .build();
        EmbeddedChannel channel = new EmbeddedChannel(new ApiChainHandler(config, application));
        String bearer = "Bearer " + token();

        assertThat(status(channel, get("Authorization", bearer))).isEqualTo(200);
        assertThat(status(channel, get())).isEqualTo(401);
        assertThat(status(channel, get("Origin", "https://evil.example"))).isEqualTo(403);
        FullHttpRequest preflight = get("Origin", "https://app.example.com", "Access-Control-Request-Method", "DELETE");
        preflight.setMethod(HttpMethod.OPTIONS);
        assertThat(status(channel, preflight)).as("a preflight answered is no rejection").isEqualTo(204);
        // The burst of 4 is spent: the next request is refused by the rate limit before anything else.
        assertThat(status(channel, get("Authorization", bearer))).isEqualTo(429);
        assertThat(channel.finishAndReleaseAll()).isFalse();

        assertThat(count(registry, "AuthMiddleware", "UNAUTHENTICATED")).isEqualTo(1);
        assertThat(count(registry, "CorsMiddleware", "PERMISSION_DENIED")).isEqualTo(1);
        assertThat(count(registry, "RateLimitMiddleware", "RESOURCE_EXHAUSTED")).isEqualTo(1);
        assertThat(registry.find("cim.rejections").counters()).hasSize(3)
                .allSatisfy(c -> assertThat(c.getId().getTag("app")).isEqualTo("test"));
    }

    @Test
    void withoutARegistryNothingIsCounted() {
        CimConfig config = CimConfig.builder().jwt(JwtConfig.builder().hmacKey(SECRET).audience("api").build())
                .build();
        EmbeddedChannel channel = new EmbeddedChannel(new ApiChainHandler(config, application));
        assertThat(status(channel, get())).isEqualTo(401);
        assertThat(config.hasMetrics()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private static double count(SimpleMeterRegistry registry, String middleware, String status) {
        Counter counter = registry.get("cim.rejections").tags("middleware", middleware, "status", status).counter();
        return counter.count();
    }
}
