package dev.dxreactor.hbtp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Serves HBTP over WebSocket, and nothing else, on every channel of a
 * {@link io.netty.bootstrap.ServerBootstrap}:
 *
 * <pre>{@code
 * b.childHandler(new HbtpWebSocketInitializer(HbtpWebSocketConfig.builder(hbtpConfig).path("/hbtp").build()));
 * }</pre>
 *
 * Pipeline per connection: {@code ssl} (when the HBTP config has an {@code sslContext}: wss), {@code http}
 * ({@code HttpServerCodec}), {@code http-aggregator} (an upgrade request has no body: at most 8 KiB),
 * the handlers of {@link HbtpWebSocketUpgradeHandler}, and {@code http-not-found} (any other request: 404).
 * To serve it beside other HTTP handlers on one port, add {@link HbtpWebSocketUpgradeHandler} to that
 * pipeline instead.
 */
public class HbtpWebSocketInitializer extends ChannelInitializer<Channel> {

    /** The largest upgrade request body taken in: it has none. */
    static final int MAX_REQUEST_CONTENT = 8 << 10;

    private final HbtpWebSocketConfig config;

    public HbtpWebSocketInitializer(HbtpWebSocketConfig config) {
        if (config == null) {
            throw new NullPointerException("config");
        }
        this.config = config;
    }

    public HbtpWebSocketConfig config() {
        return config;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (config.hbtp().sslContext() != null) {
            p.addLast("ssl", config.hbtp().sslContext().newHandler(ch.alloc()));
        }
        p.addLast("http", new HttpServerCodec());
        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_REQUEST_CONTENT));
        p.addLast("hbtp-ws-upgrade", new HbtpWebSocketUpgradeHandler(config));
        p.addLast("http-not-found", HttpNotFound.INSTANCE);
    }
}
