package dev.dxreactor.examples.devserver;

import dev.dxreactor.examples.web.GetEndpoints;
import dev.dxreactor.examples.web.PageFiles;
import dev.dxreactor.fileio.FileIoException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The dev server's HTTP answers besides HBTP over WebSocket: the live-reload page ({@code /} redirects to
 * {@code /dev/}; its script, style and the HBTP TypeScript client under {@code /dev/}, as {@link PageFiles} allows),
 * the served directory's files ({@code /files/<path>}, read as route 1 reads them, {@code index.html} for a
 * folder), {@code /stats} (JSON) and {@code /metrics}. It is the last handler: every other path is 404 here.
 */
@ChannelHandler.Sharable
final class DevHttp extends GetEndpoints {

    private static final String PAGE = "/dev/";
    private static final String FILES = "/files/";
    /** Where the page's files are, on the class path. */
    private static final String ROOT = "dev/dxreactor/examples/devserver/web/";
    private static final String SCRIPT = "reload.js";
    private static final String NOT_BUILT = "The live-reload page's script was not built: building the examples"
            + " compiles it with Node.js and npm when they are installed (see examples/README.md).\n";
    private static final String HELP = "GET /dev/ (the live-reload page), /files/<path>, /stats, /metrics,"
            + " or HBTP over WebSocket at /hbtp\n";
    /** The types a browser needs to be told to use a file as a page, style, script or image. */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("woff2", "font/woff2"));

    private final DevStats stats;
    private final MeterRegistry registry;
    private final Function<String, CompletionStage<ByteBuf>> files;
    final PageFiles page = new PageFiles(ROOT);

    /** @param files reads a served file by its name (as {@link DevServer#read}) */
    DevHttp(DevStats stats, MeterRegistry registry, Function<String, CompletionStage<ByteBuf>> files) {
        this.stats = stats;
        this.registry = registry;
        this.files = files;
    }

    /** Whether the page's script is in the class path (it is compiled only where Node.js is). */
    boolean isBuilt() {
        return page.has(SCRIPT);
    }

    @Override
    protected boolean serves(String path) {
        return true;
    }

    @Override
    protected FullHttpResponse answer(ChannelHandlerContext ctx, String path) {
        if (path.equals("/") || path.equals("/dev")) {
            FullHttpResponse moved = text(ctx.alloc(), HttpResponseStatus.FOUND, "");
            moved.headers().set(HttpHeaderNames.LOCATION, PAGE);
            return moved;
        }
        if (path.startsWith(PAGE)) {
            String name = path.equals(PAGE) ? "index.html" : path.substring(PAGE.length());
            return name.equals(SCRIPT) && !isBuilt() ? text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, NOT_BUILT)
                    : page.answer(ctx.alloc(), name);
        }
        if (path.equals("/stats")) {
            return typed(text(ctx.alloc(), HttpResponseStatus.OK, stats.json()), "application/json");
        }
        if (path.equals("/metrics") && registry instanceof PrometheusMeterRegistry prometheus) {
            return typed(text(ctx.alloc(), HttpResponseStatus.OK, prometheus.scrape()),
                    "text/plain; version=0.0.4; charset=utf-8");
        }
        return text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, HELP);
    }

    @Override
    protected CompletionStage<FullHttpResponse> answerLater(ChannelHandlerContext ctx, String path) {
        if (!path.startsWith(FILES)) {
            return super.answerLater(ctx, path);
        }
        String relative = path.substring(FILES.length());
        String name = relative.isEmpty() || relative.endsWith("/") ? relative + "index.html" : relative;
        CompletionStage<ByteBuf> read;
        try {
            read = files.apply(name);
        } catch (IllegalArgumentException refused) {
            return CompletableFuture.completedFuture(
                    text(ctx.alloc(), HttpResponseStatus.FORBIDDEN, refused.getMessage() + "\n"));
        }
        return read.handle((content, error) -> {
            if (error == null) {
                FullHttpResponse found = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
                found.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                return typed(found, type(name));
            }
            FileIoException io = DevServer.ioFailure(error);
            return io == null ? text(ctx.alloc(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "read failed\n")
                    : text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, io.errno() + ": " + name + "\n");
        });
    }

    private static String type(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < name.lastIndexOf('/') + 1 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static FullHttpResponse typed(FullHttpResponse response, String type) {
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return response;
    }
}
