package dev.dxreactor.cim;

import dev.dxreactor.cim.chains.ThreeStepsHandler;
import dev.dxreactor.cim.chains.Trace;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A request Netty failed to decode is answered 400 and the connection closes; no hook or application sees it. */
class MalformedHttpRequestTest {

    @Test
    void aRequestThatFailedToDecodeIsRefusedBeforeTheChain() {
        AtomicInteger applicationCalls = new AtomicInteger();
        EmbeddedChannel channel = new EmbeddedChannel(new ThreeStepsHandler(CimConfig.builder().build(),
                (context, request) -> {
                    applicationCalls.incrementAndGet();
                    throw new AssertionError("the application must not run");
                }));
        Trace.take();
        FullHttpRequest broken = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/bad",
                Unpooled.buffer().writeByte(1));
        broken.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid header")));

        channel.writeInbound(broken);

        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(400);
            assertThat(response.headers().get("connection")).isEqualToIgnoringCase("close");
        } finally {
            response.release();
        }
        assertThat(Trace.take()).isEmpty();
        assertThat(applicationCalls).hasValue(0);
        assertThat(broken.refCnt()).isZero();
        assertThat(channel.isOpen()).isFalse();
    }
}
