package dev.dxreactor.examples.showcase.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The live board page on the HTTP port, ahead of the API's middleware: {@code /} redirects to {@code /board/},
 * which serves {@code index.html}; {@code /board/<file>}, {@code /board/hbtp/<file>} and
 * {@code /board/teleport/<package path>/<file>} serve the page's script and style, the HBTP TypeScript client and the
 * teleport views of the showcase's messages, compiled into the showcase's classes by the Maven build when Node.js is
 * there. Only names of letters, digits, underscores, dots and dashes ending in {@code .html}, {@code .js},
 * {@code .css} or {@code .map} under those folders are looked up (no {@code ..}, no other folder), so no request can
 * reach another resource. Every other request goes on down the pipeline untouched.
 */
@ChannelHandler.Sharable
public final class BoardPage extends GetEndpoints {

    /** Where the page's files are, on the class path. */
    static final String ROOT = "dev/dxreactor/examples/showcase/web/";
    /** The page's folder holds the classes of this package too: only the page's own kinds of file are served. */
    private static final Pattern FILE =
            Pattern.compile("/board/((?:hbtp/|teleport/(?:[A-Za-z0-9_]+/)*)?"
                    + "[A-Za-z0-9][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9-]+)*\\.(?:html|js|css|map))");
    /** Asked for by every browser; answered here rather than by the API's middleware (a 401). */
    private static final String FAVICON = "/favicon.ico";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json");
    private static final String NOT_BUILT = "The board page's script was not built: building the showcase compiles"
            + " it with Node.js and npm when they are installed (see examples/README.md).\n";

    /** Files found, by name; a name not found is not remembered, so requests for made-up names hold no memory. */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** Whether the page's script is in the class path (it is compiled only where Node.js is). */
    public boolean isBuilt() {
        return file("board.js").isPresent();
    }

    @Override
    protected boolean serves(String path) {
        return path.equals("/") || path.equals("/board") || path.startsWith("/board/") || path.equals(FAVICON);
    }

    @Override
    protected FullHttpResponse answer(ChannelHandlerContext ctx, String path) {
        if (path.equals(FAVICON)) {
            return text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "");
        }
        if (path.equals("/") || path.equals("/board")) {
            FullHttpResponse moved = text(ctx.alloc(), HttpResponseStatus.FOUND, "");
            moved.headers().set(HttpHeaderNames.LOCATION, "/board/");
            return moved;
        }
        String name = path.equals("/board/") ? "index.html" : null;
        if (name == null) {
            var m = FILE.matcher(path);
            if (!m.matches()) {
                return text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "no such file\n");
            }
            name = m.group(1);
        }
        if (name.equals("board.js") && !isBuilt()) {
            return text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, NOT_BUILT);
        }
        Optional<byte[]> bytes = file(name);
        if (bytes.isEmpty()) {
            return text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "no such file\n");
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(bytes.get()));
        String extension = name.substring(name.lastIndexOf('.') + 1);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPES.getOrDefault(extension, "application/octet-stream"));
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return response;
    }

    /** The file's bytes, read once from the class path; empty when there is no such file. */
    private Optional<byte[]> file(String name) {
        byte[] known = files.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        try (InputStream in = BoardPage.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            files.putIfAbsent(name, bytes);
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
