package dev.dxreactor.examples.web;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
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
 * The files of a browser page, compiled into the classes by the Maven build: the page's own (in its folder on the
 * class path) and, under {@code hbtp/}, the HBTP TypeScript client every page loads through its import map. Only
 * names of letters, digits, underscores, dots and dashes ending in {@code .html}, {@code .js}, {@code .css} or
 * {@code .map} are looked up, in the page's folder, in {@code hbtp/}, or in the sub-folders the page names (no
 * {@code ..}, no other folder), so no request reaches another resource. Files found are kept; a name not found is
 * not remembered, so requests for made-up names hold no memory.
 */
public final class PageFiles {

    /** Where the build puts the compiled HBTP TypeScript client. */
    static final String HBTP_CLIENT = "dev/dxreactor/examples/web/hbtp/";
    private static final String HBTP = "hbtp/";
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9-]+)*\\.(?:html|js|css|map)";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json");

    private final String root;
    private final Pattern names;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /**
     * @param root    the page's folder on the class path, ending in {@code /}
     * @param folders sub-folders of it whose files (at any depth of plain names) are served too
     */
    public PageFiles(String root, String... folders) {
        this.root = root;
        StringBuilder under = new StringBuilder("(?:hbtp/");
        for (String folder : folders) {
            under.append('|').append(Pattern.quote(folder + "/")).append("(?:[A-Za-z0-9_]+/)*");
        }
        this.names = Pattern.compile(under.append(")?").append(NAME).toString());
    }

    /** Whether {@code name} (relative to the page) is there, e.g. a script the build compiles only where npm is. */
    public boolean has(String name) {
        return names.matcher(name).matches() && file(name).isPresent();
    }

    /** The answer to a GET of {@code name} (relative to the page): the file with its type, or 404. */
    public FullHttpResponse answer(ByteBufAllocator alloc, String name) {
        Optional<byte[]> bytes = names.matcher(name).matches() ? file(name) : Optional.empty();
        if (bytes.isEmpty()) {
            return GetEndpoints.text(alloc, HttpResponseStatus.NOT_FOUND, "no such file\n");
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(bytes.get()));
        String extension = name.substring(name.lastIndexOf('.') + 1);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPES.get(extension));
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return response;
    }

    /** How many files are kept: only ones found, however many names were asked for. */
    public int kept() {
        return files.size();
    }

    /** The file's bytes, read once from the class path; empty when there is no such file. */
    private Optional<byte[]> file(String name) {
        byte[] known = files.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        String resource = name.startsWith(HBTP) ? HBTP_CLIENT + name.substring(HBTP.length()) : root + name;
        try (InputStream in = PageFiles.class.getClassLoader().getResourceAsStream(resource)) {
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
