package dev.dxreactor.hbtp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * Serves HBTP on every channel of a {@link io.netty.bootstrap.ServerBootstrap}, on any transport:
 *
 * <pre>{@code
 * ServerBootstrap b = ...;                       // your own, or DxReactor.serverBootstrap()
 * b.childHandler(new HbtpServerInitializer(HbtpServerConfig.builder().router(router).build()));
 * }</pre>
 *
 * Pipeline per connection: {@code ssl} (when the config has an {@code sslContext}), {@code hbtp-idle}
 * (keepalive timer, when enabled), {@code hbtp-codec}
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
        if (!config.idleTimeout().isZero()) {
            p.addLast("hbtp-idle", new IdleStateHandler(0, 0, config.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        }
        p.addLast("hbtp-codec", config.newCodec());
        if (config.middleware() != null) {
            p.addLast("hbtp-middleware", config.middleware().get());
        }
        p.addLast("hbtp-session", new HbtpServerHandler(config));
    }
}
