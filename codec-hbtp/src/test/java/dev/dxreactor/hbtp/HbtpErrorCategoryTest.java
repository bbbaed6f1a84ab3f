package dev.dxreactor.hbtp;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class HbtpErrorCategoryTest {

    @Test
    void statusesCloseCodesAndThrowablesHaveCategories() {
        assertThat(HbtpErrorCategory.ofStatus(HbtpStatus.UNAVAILABLE)).isEqualTo(HbtpErrorCategory.UNAVAILABLE);
        assertThat(HbtpErrorCategory.ofStatus(HbtpStatus.RESOURCE_EXHAUSTED)).isEqualTo(HbtpErrorCategory.RESOURCE);
        assertThat(HbtpErrorCategory.ofStatus(HbtpStatus.UNAUTHENTICATED)).isEqualTo(HbtpErrorCategory.SECURITY);
        assertThat(HbtpErrorCategory.ofStatus(HbtpStatus.DEADLINE_EXCEEDED)).isEqualTo(HbtpErrorCategory.TIMEOUT);
        assertThat(HbtpErrorCategory.ofStatus(HbtpStatus.BAD_REQUEST)).isEqualTo(HbtpErrorCategory.APPLICATION);
        assertThat(HbtpErrorCategory.ofStatus(4711)).isEqualTo(HbtpErrorCategory.APPLICATION);
        assertThat(HbtpErrorCategory.ofCloseCode(HbtpCloseCode.POLICY)).isEqualTo(HbtpErrorCategory.SECURITY);
        assertThat(HbtpErrorCategory.ofCloseCode(HbtpCloseCode.PROTOCOL_ERROR)).isEqualTo(HbtpErrorCategory.PROTOCOL);
        assertThat(HbtpErrorCategory.ofCloseCode(HbtpCloseCode.TOO_LARGE)).isEqualTo(HbtpErrorCategory.RESOURCE);

        assertThat(HbtpErrorCategory.of(new CompletionException(new ExecutionException(
                new HbtpRpcException(HbtpStatus.UNAVAILABLE, "bye"))))).isEqualTo(HbtpErrorCategory.UNAVAILABLE);
        assertThat(HbtpErrorCategory.of(new TimeoutException())).isEqualTo(HbtpErrorCategory.TIMEOUT);
        assertThat(HbtpErrorCategory.of(new IOException())).isEqualTo(HbtpErrorCategory.NETWORK);
        assertThat(HbtpErrorCategory.of(new IllegalStateException())).isEqualTo(HbtpErrorCategory.APPLICATION);
        assertThat(HbtpErrorCategory.of(new HbtpProtocolException(HbtpCloseCode.UNSUPPORTED, "x")))
                .isEqualTo(HbtpErrorCategory.PROTOCOL);
    }

    @Test
    void retryableFollowsTheCategoryUnlessTheErrorSaysOtherwise() {
        assertThat(new HbtpException("lost").category()).isEqualTo(HbtpErrorCategory.NETWORK);
        assertThat(new HbtpException("lost").retryable()).isTrue();
        assertThat(new HbtpRpcException(HbtpStatus.BAD_REQUEST, "no").retryable()).isFalse();
        assertThat(new HbtpRpcException(HbtpStatus.RESOURCE_EXHAUSTED, "later").retryable()).isTrue();
        assertThat(new HbtpException(HbtpErrorCategory.RESOURCE, false, "too large", null).retryable()).isFalse();
        assertThat(new HbtpTimeoutException("slow")).isInstanceOf(TimeoutException.class)
                .extracting(HbtpTimeoutException::retryable).isEqualTo(true);
    }

    @Test
    void aCallThatTimesOutFailsWithATimeoutException() throws Exception {
        CompletableFuture<io.netty.buffer.ByteBuf> never = new CompletableFuture<>();
        try (LoopbackServer server = new LoopbackServer(HbtpServerConfig.builder()
                .router(new HbtpRouter().routeAsync(1, call -> never)).build());
             HbtpClient client = HbtpClient.connect(server.address(), HbtpClientConfig.defaults())) {
            Throwable failure = catchThrowable(() -> client.call(1, Unpooled.EMPTY_BUFFER, HbtpMetadata.empty(),
                    Duration.ofMillis(50)).get(10, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(HbtpTimeoutException.class).isInstanceOf(TimeoutException.class);
            assertThat(HbtpErrorCategory.of(failure)).isEqualTo(HbtpErrorCategory.TIMEOUT);
        } finally {
            never.complete(Unpooled.EMPTY_BUFFER);
        }
    }

    @Test
    void tooManyCallsInFlightIsAResourceError() throws Exception {
        CompletableFuture<io.netty.buffer.ByteBuf> never = new CompletableFuture<>();
        try (LoopbackServer server = new LoopbackServer(HbtpServerConfig.builder()
                .router(new HbtpRouter().routeAsync(1, call -> never)).build());
             HbtpClient client = HbtpClient.connect(server.address(),
                     HbtpClientConfig.builder().maxInFlight(1).build())) {
            client.call(1, Unpooled.EMPTY_BUFFER);
            Throwable failure = catchThrowable(() -> client.call(1, Unpooled.EMPTY_BUFFER).get(10, TimeUnit.SECONDS));
            assertThat(failure.getCause()).isInstanceOf(HbtpException.class);
            assertThat(((HbtpException) failure.getCause()).category()).isEqualTo(HbtpErrorCategory.RESOURCE);
        } finally {
            never.complete(Unpooled.EMPTY_BUFFER);
        }
    }
}
