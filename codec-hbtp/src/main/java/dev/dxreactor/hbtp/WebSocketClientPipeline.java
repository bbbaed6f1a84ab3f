package dev.dxreactor.hbtp;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;

/**
 * The handlers that carry a client's HBTP over WebSocket: the HTTP/1.1 upgrade, Netty's WebSocket client
 * protocol handler (no extensions: HBTP compresses with zstd) and {@link WebSocketFrames}, which holds the
 * HBTP handlers' {@code channelActive} (and so HELLO) back until the upgrade is done.
 */
final class WebSocketClientPipeline {

    /** The upgrade response has no body worth keeping: an error page is cut off here. */
    private static final int MAX_RESPONSE_CONTENT = 8 << 10;

    private WebSocketClientPipeline() {
    }

    static void add(ChannelPipeline p, SocketAddress address, HbtpClientConfig config) {
        String authority = address instanceof InetSocketAddress inet
                ? hostForUri(inet.getHostString()) + ":" + inet.getPort() : "localhost";
        URI uri = URI.create((config.sslContext() != null ? "wss://" : "ws://") + authority + config.webSocketPath());
        int limit = WebSocketFrames.messageLimit(config.maxFrameLength());
        WebSocketClientProtocolConfig protocol = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(false)
                .customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(limit)
                .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                .dropPongFrames(true)
                .sendCloseFrame(null)
                .withUTF8Validator(false)
                .build();
        p.addLast("http", new HttpClientCodec());
        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_RESPONSE_CONTENT));
        p.addLast("hbtp-ws", new WebSocketClientProtocolHandler(protocol));
        p.addLast("hbtp-ws-frames", new WebSocketFrames(limit, config.frameTimeout().toNanos(), true, ctx -> { }));
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
