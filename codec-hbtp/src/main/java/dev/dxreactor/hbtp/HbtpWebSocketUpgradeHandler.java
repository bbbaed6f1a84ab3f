package dev.dxreactor.hbtp;

import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Serves HBTP over WebSocket on one path of an HTTP/1.1 pipeline, beside whatever else that pipeline serves
 * (a JSON API on the same port): put it after the {@code HttpServerCodec} and an {@code HttpObjectAggregator},
 * before the application's HTTP handlers.
 *
 * <pre>{@code
 * ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 << 10),
 *         new HbtpWebSocketUpgradeHandler(wsConfig),    // GET /hbtp with Upgrade: websocket
 *         apiHandler);                                  // every other request
 * }</pre>
 *
 * When added it puts in its place {@code hbtp-ws-origin} (refuses a browser {@code Origin} the config does not
 * allow: 403), {@code hbtp-ws} (Netty's {@link WebSocketServerProtocolHandler}: the handshake, ping/pong and the
 * WebSocket close handshake; no extensions, so no permessage-deflate: HBTP compresses with zstd) and
 * {@code hbtp-ws-frames}. Other requests pass on untouched. Once upgraded, {@code hbtp-ws-frames} adds the same
 * handlers {@link HbtpServerInitializer} builds for TCP ({@code hbtp-metrics}, {@code hbtp-codec},
 * {@code hbtp-middleware}, {@code hbtp-session}) behind itself, so the connection has the same session, limits,
 * encryption, compression, topics and events; the session starts then, and handlers further on see nothing more
 * of the connection. One instance per channel, and one per pipeline: the handlers it adds have fixed names, and once
 * one path upgraded, every frame of the connection is that path's, so a second instance is refused with
 * {@link IllegalStateException} when it is added (serve a second HBTP endpoint on another port, or one path with
 * routes for both).
 */
public final class HbtpWebSocketUpgradeHandler extends ChannelHandlerAdapter {

    private static final String WS_HANDLER = "hbtp-ws";

    private final HbtpWebSocketConfig config;

    public HbtpWebSocketUpgradeHandler(HbtpWebSocketConfig config) {
        if (config == null) {
            throw new NullPointerException("config");
        }
        this.config = config;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        if (p.get(WS_HANDLER) != null) {
            throw new IllegalStateException("this pipeline already serves HBTP over WebSocket; one "
                    + "HbtpWebSocketUpgradeHandler per pipeline (refused for path " + config.path() + ")");
        }
        HbtpServerConfig hbtp = config.hbtp();
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxMessageLength())
                .allowExtensions(false)
                .allowMaskMismatch(false)
                // Reported to hbtp-ws-frames instead, so that HBTP CLOSE goes out before the close frame.
                .closeOnProtocolViolation(false)
                // Text messages are refused whole (1003): whether their UTF-8 is valid does not matter.
                .withUTF8Validator(false)
                .build();
        WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(config.path())
                .checkStartsWith(false)
                .handshakeTimeoutMillis(config.handshakeTimeout().toMillis())
                .decoderConfig(decoder)
                .dropPongFrames(true)
                // hbtp-ws-frames writes the close frame, with the HBTP session's code.
                .sendCloseFrame(null)
                .build();
        p.addAfter(ctx.name(), "hbtp-ws-frames", new WebSocketFrames(config.maxMessageLength(),
                hbtp.frameTimeout().toNanos(), false, this::addHbtpHandlers));
        p.addAfter(ctx.name(), WS_HANDLER, new WebSocketServerProtocolHandler(protocol));
        p.addAfter(ctx.name(), "hbtp-ws-origin", new WebSocketOriginGate(config));
        p.remove(this);
    }

    private void addHbtpHandlers(ChannelHandlerContext frames) {
        HbtpServerConfig hbtp = config.hbtp();
        ChannelPipeline p = frames.pipeline();
        String last = frames.name();
        if (hbtp.metrics() != null) {
            p.addAfter(last, "hbtp-metrics", hbtp.metrics().newWireCounter());
            last = "hbtp-metrics";
        }
        p.addAfter(last, "hbtp-codec", hbtp.newCodec());
        last = "hbtp-codec";
        if (hbtp.middleware() != null) {
            p.addAfter(last, "hbtp-middleware", hbtp.middleware().get());
            last = "hbtp-middleware";
        }
        p.addAfter(last, "hbtp-session", new HbtpServerHandler(hbtp, true));
    }
}
