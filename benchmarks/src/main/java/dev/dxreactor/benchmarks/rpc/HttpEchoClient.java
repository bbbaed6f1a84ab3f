package dev.dxreactor.benchmarks.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;


/**
 * The load client of {@link HttpEchoServer}: keep-alive connections, {@code POST /echo} with the request as
 * body, the answer's body checked byte for byte (a status other than 200 is an error). HTTP/1.1 has one request
 * in flight per connection, so the driver runs it with 256 connections x 1.
 */
public final class HttpEchoClient {

    private HttpEchoClient() {
    }

    public static void main(String[] args) {
        LoadRun.main(args, HttpEchoClient::run);
    }

    static RpcResult run(ClientSettings settings) throws InterruptedException {
        String host = settings.host() + ":" + settings.port();
        return NettyLoadClient.run(settings, NettyLoadClient.of(() -> new Connection(settings.payload(), host),
                () -> new ChannelHandler[] {
                    new HttpClientCodec(), new HttpObjectAggregator(HttpEchoServer.MAX_BODY)}));
    }

    private static final class Connection extends FifoConnection {
        private final String host;

        Connection(int payload, String host) {
            super(payload);
            this.host = host;
        }

        @Override
        Object request(Channel channel, long id, int payload) {
            ByteBuf body = channel.alloc().ioBuffer(payload);
            Payloads.write(body, id, payload);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/echo", body);
            request.headers()
                    .set(HttpHeaderNames.HOST, host)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, payload);
            return request;
        }

        @Override
        ByteBuf body(Object answer) {
            FullHttpResponse response = (FullHttpResponse) answer;
            return response.status().equals(HttpResponseStatus.OK) ? response.content() : null;
        }
    }
}
