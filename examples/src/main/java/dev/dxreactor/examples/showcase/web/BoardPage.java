package dev.dxreactor.examples.showcase.web;

import dev.dxreactor.examples.web.GetEndpoints;
import dev.dxreactor.examples.web.PageFiles;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The live board page on the HTTP port, ahead of the API's middleware: {@code /} redirects to {@code /board/},
 * which serves {@code index.html}; {@code /board/<file>}, {@code /board/hbtp/<file>} and
 * {@code /board/teleport/<package path>/<file>} serve the page's script and style, the HBTP TypeScript client and the
 * teleport views of the showcase's messages, compiled into the classes by the Maven build when Node.js is there
 * ({@link PageFiles} says which names are looked up: nothing else is reachable). Every other request goes on down
 * the pipeline untouched.
 */
@ChannelHandler.Sharable
public final class BoardPage extends GetEndpoints {

    /** Where the page's files are, on the class path. */
    private static final String ROOT = "dev/dxreactor/examples/showcase/web/";
    private static final String PREFIX = "/board/";
    /** Asked for by every browser; answered here rather than by the API's middleware (a 401). */
    private static final String FAVICON = "/favicon.ico";
    private static final String NOT_BUILT = "The board page's script was not built: building the showcase compiles"
            + " it with Node.js and npm when they are installed (see examples/README.md).\n";

    private final PageFiles files = new PageFiles(ROOT, "teleport");

    /** Whether the page's script is in the class path (it is compiled only where Node.js is). */
    public boolean isBuilt() {
        return files.has("board.js");
    }

    @Override
    protected boolean serves(String path) {
        return path.equals("/") || path.equals("/board") || path.startsWith(PREFIX) || path.equals(FAVICON);
    }

    @Override
    protected FullHttpResponse answer(ChannelHandlerContext ctx, String path) {
        if (path.equals(FAVICON)) {
            return text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "");
        }
        if (path.equals("/") || path.equals("/board")) {
            FullHttpResponse moved = text(ctx.alloc(), HttpResponseStatus.FOUND, "");
            moved.headers().set(HttpHeaderNames.LOCATION, PREFIX);
            return moved;
        }
        String name = path.equals(PREFIX) ? "index.html" : path.substring(PREFIX.length());
        if (name.equals("board.js") && !isBuilt()) {
            return text(ctx.alloc(), HttpResponseStatus.NOT_FOUND, NOT_BUILT);
        }
        return files.answer(ctx.alloc(), name);
    }
}
