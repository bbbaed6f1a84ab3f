package dev.dxreactor.hbtp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * Serves HBTP on every channel of a {@link io.netty.bootstrap.ServerBootstrap}, on any transport:
 *
 * <pre>{@code
 * ServerBootstrap b = ...;                       // your own, or DxReactor.serverBootstrap()
 * b.childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()));
 * }</pre>
 *
 * Pipeline per connection: {@code ssl} (when the config has an {@code sslContext}), {@code hbtp-metrics} (when it
 * has a meter registry: counts frames and bytes), {@code hbtp-codec}
 * ({@link HbtpFrameCodec}), {@code hbtp-middleware} (when configured), {@code hbtp-session}.
 */
public class HbtpServerInitializer extends ChannelInitializer<Channel> {

    private final HbtpServerConfig config;

    public HbtpServerInitializer(HbtpServerConfig config) {
        if (config == null) {
            throw new NullPointerException("config");
        }
        this.config = config;
    }

    public HbtpServerConfig config() {
        return config;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (config.sslContext() != null) {
            p.addLast("ssl", config.sslContext().newHandler(ch.alloc()));
        }
        if (config.metrics() != null) {
            // Below the codec, where the stream is whole frames (their headers in the clear even when sealed).
            p.addLast("hbtp-metrics", config.metrics().newWireCounter());
        }
        p.addLast("hbtp-codec", config.newCodec());
        if (config.middleware() != null) {
            p.addLast("hbtp-middleware", config.middleware().get());
        }
        p.addLast("hbtp-session", new HbtpServerHandler(config));
    }
}
