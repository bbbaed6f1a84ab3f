package dev.dxreactor.examples.devserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.dxreactor.fileio.BatchRead;
import dev.dxreactor.fileio.FileEvent;
import dev.dxreactor.fileio.FileIoConfig;
import dev.dxreactor.fileio.FileIoException;
import dev.dxreactor.fileio.FileWatcher;
import dev.dxreactor.fileio.PlatformFiles;
import dev.dxreactor.fileio.ReadResult;
import dev.dxreactor.hbtp.HbtpCall;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import dev.dxreactor.hbtp.HbtpStatus;
import dev.dxreactor.hbtp.HbtpTopics;
import dev.dxreactor.hbtp.HbtpWebSocketConfig;
import dev.dxreactor.hbtp.HbtpWebSocketUpgradeHandler;
import dev.dxreactor.reactor.DxReactor;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A development server: serves a directory over HBTP (one file by path, or many in one batch read on the
 * platform's native file I/O), watches it, and on every change drops the file from its cache and sends a
 * hot-reload notice on topic {@value #TOPIC_RELOAD}, to HBTP clients and to browser pages over WebSocket
 * ({@code /hbtp} on the HTTP port, which also serves the live-reload page at {@code /dev/}, the directory's files
 * at {@code /files/}, {@code GET /stats} and, with a Prometheus registry, {@code GET /metrics}).
 *
 * <p>Routes: {@value #ROUTE_FILE} a file (request: its path, relative, UTF-8; answer: its bytes),
 * {@value #ROUTE_BATCH} files (request: paths, one per line; answer: per path {@code u8 ok, u16 nameLength, name,
 * u32 length, bytes}, the bytes being the file or, when not ok, the error), {@value #ROUTE_STATS} the figures as
 * JSON. Paths outside the directory are refused with BAD_REQUEST.
 */
public final class DevServer implements AutoCloseable {

    public static final int ROUTE_FILE = 1;
    public static final int ROUTE_BATCH = 2;
    public static final int ROUTE_STATS = 3;
    public static final int TOPIC_RELOAD = 1;

    private static final Logger LOG = LoggerFactory.getLogger("devserver");
    private static final Duration DEBOUNCE = Duration.ofMillis(50);
    private static final long CACHE_BYTES = 64L << 20;
    private static final int MAX_BATCH = 1024;
    private static final JsonFactory JSON = new JsonFactory();

    private final SafePaths paths;
    private final PlatformFiles files;
    private final FileCache cache = new FileCache(CACHE_BYTES);
    private final HbtpTopics topics = new HbtpTopics();
    private final DevStats stats;
    private final DxReactor reactor;
    private FileWatcher watcher;
    private Channel hbtp;
    private Channel http;

    private DevServer(Path root, DxReactor reactor) throws IOException {
        this.paths = new SafePaths(root);
        this.reactor = reactor;
        this.files = PlatformFiles.best(FileIoConfig.builder().reactor(reactor).build());
        this.stats = new DevStats(() -> watcher == null ? 0 : watcher.watchedPaths());
    }

    /**
     * Serves {@code root} on {@code hbtpPort} (HBTP) and {@code httpPort} (HBTP over WebSocket, the page, files, stats) of
     * {@code host}, on {@code reactor}'s event loops (closed with the server).
     *
     * @param registry where the figures go as meters too, or {@code null}
     */
    public static DevServer start(Path root, String host, int hbtpPort, int httpPort, DxReactor reactor,
                                  MeterRegistry registry) throws Exception {
        DevServer server = new DevServer(root, reactor);
        try {
            server.open(host, hbtpPort, httpPort, registry);
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private void open(String host, int hbtpPort, int httpPort, MeterRegistry registry) throws Exception {
        if (registry != null) {
            stats.bindTo(registry);
        }
        topics.publish(TOPIC_RELOAD, notice("START", ""));
        watcher = FileWatcher.watch(paths.root(), DEBOUNCE, this::changed);
        HbtpRouter router = new HbtpRouter()
                .routeAsync(ROUTE_FILE, this::file)
                .routeAsync(ROUTE_BATCH, this::batch)
                .route(ROUTE_STATS, call -> Unpooled.copiedBuffer(stats.json(), StandardCharsets.UTF_8));
        HbtpServerConfig.Builder config = HbtpServerConfig.builder().router(router).topics(topics)
                .offloadExecutor(reactor.offload());
        if (registry != null) {
            config.meterRegistry(registry);
        }
        HbtpServerConfig hbtpConfig = config.build();
        hbtp = reactor.serverBootstrap().childHandler(new HbtpServerInitializer(hbtpConfig))
                .bind(new InetSocketAddress(host, hbtpPort)).sync().channel();
        HbtpWebSocketConfig webSocket = HbtpWebSocketConfig.builder(hbtpConfig).build();
        DevHttp endpoints = new DevHttp(stats, registry, this::read);
        http = reactor.serverBootstrap().childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8 << 10),
                                new HbtpWebSocketUpgradeHandler(webSocket), endpoints);
                    }
                })
                .bind(new InetSocketAddress(host, httpPort)).sync().channel();
        LOG.info("dev server: {} ({} paths watched) on HBTP {} and HTTP {}, file I/O on {}", paths.root(),
                watcher.watchedPaths(), hbtp.localAddress(), http.localAddress(), files.backendName());
    }

    public InetSocketAddress hbtpAddress() {
        return (InetSocketAddress) hbtp.localAddress();
    }

    public InetSocketAddress httpAddress() {
        return (InetSocketAddress) http.localAddress();
    }

    /** The file I/O backend in use ({@code io_uring} or {@code fallback}). */
    public String backend() {
        return files.backendName();
    }

    /** The figures, as {@code /stats} and route {@value #ROUTE_STATS} answer them. */
    public String statsJson() {
        return stats.json();
    }

    private CompletionStage<ByteBuf> file(HbtpCall call) {
        String name = call.payload().toString(StandardCharsets.UTF_8);
        CompletionStage<ByteBuf> read;
        try {
            read = read(name);
        } catch (IllegalArgumentException e) {
            throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, "'" + name + "': " + e.getMessage());
        }
        return read.handle((content, error) -> {
            if (error != null) {
                FileIoException io = ioFailure(error);
                throw io != null ? new HbtpRpcException(HbtpStatus.BAD_REQUEST, io.errno() + ": " + paths.name(io.path()))
                        : new HbtpRpcException(HbtpStatus.INTERNAL, "read failed");
            }
            return content;
        });
    }

    /**
     * The content of the file clients call {@code name} (route {@value #ROUTE_FILE}, and {@code /files/} over
     * HTTP): from the cache, else read and kept. A read that fails completes exceptionally ({@link #ioFailure}
     * tells why).
     *
     * @throws IllegalArgumentException saying why the path is refused
     */
    CompletionStage<ByteBuf> read(String name) {
        stats.operation();
        Path file;
        try {
            file = paths.resolve(name);
        } catch (IllegalArgumentException e) {
            stats.error();
            throw e;
        }
        byte[] cached = cache.get(file);
        if (cached != null) {
            stats.hit();
            return CompletableFuture.completedFuture(Unpooled.wrappedBuffer(cached));
        }
        stats.miss();
        long generation = cache.generation();
        return files.readAll(file, ByteBufAllocator.DEFAULT).whenComplete((content, error) -> {
            if (error != null) {
                stats.error();
            } else {
                cache.put(file, bytes(content), generation);
            }
        });
    }

    /** The file-system error a failed {@link #read} carries, or {@code null} when it failed otherwise. */
    static FileIoException ioFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof FileIoException io) {
                return io;
            }
        }
        return null;
    }

    private CompletionStage<ByteBuf> batch(HbtpCall call) {
        String[] names = call.payload().toString(StandardCharsets.UTF_8).split("\n");
        if (names.length > MAX_BATCH) {
            stats.error();
            throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, "at most " + MAX_BATCH + " paths in a batch");
        }
        List<Path> valid = new ArrayList<>(names.length);
        List<String> refused = new ArrayList<>();
        for (String name : names) {
            stats.operation();
            try {
                valid.add(paths.resolve(name));
            } catch (IllegalArgumentException e) {
                stats.error();
                refused.add(name + "\0" + e.getMessage());
            }
        }
        long generation = cache.generation();
        return files.batchRead(valid, ByteBufAllocator.DEFAULT).thenApply(read -> {
            try (BatchRead batch = read) {
                ByteBuf answer = ByteBufAllocator.DEFAULT.buffer();
                for (ReadResult entry : batch.entries()) {
                    if (entry.isSuccess()) {
                        stats.miss();
                        cache.put(entry.path(), bytes(entry.content()), generation);
                        writeEntry(answer, true, paths.name(entry.path()), entry.content());
                    } else {
                        stats.error();
                        writeEntry(answer, false, paths.name(entry.path()), Unpooled.copiedBuffer(
                                entry.error().errno() + ": " + entry.error().getMessage(), StandardCharsets.UTF_8));
                    }
                }
                for (String refusal : refused) {
                    int split = refusal.indexOf('\0');
                    writeEntry(answer, false, refusal.substring(0, split),
                            Unpooled.copiedBuffer(refusal.substring(split + 1), StandardCharsets.UTF_8));
                }
                return answer;
            }
        });
    }

    private static void writeEntry(ByteBuf out, boolean ok, String name, ByteBuf content) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        out.writeByte(ok ? 1 : 0).writeShortLE(nameBytes.length).writeBytes(nameBytes)
                .writeIntLE(content.readableBytes()).writeBytes(content, content.readerIndex(), content.readableBytes());
    }

    private static byte[] bytes(ByteBuf content) {
        byte[] copy = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), copy);
        return copy;
    }

    /** A change in the tree: the cache forgets the file and every subscriber hears of it. */
    private synchronized void changed(FileEvent event) {
        boolean everything = event.directory() || event.kind() == FileEvent.Kind.OVERFLOW;
        cache.changed(event.path(), everything);
        stats.reload();
        ByteBuf notice = notice(event.kind().name(), event.path() == null ? "" : paths.name(event.path()));
        try {
            topics.publishDelta(TOPIC_RELOAD, notice.retain());
        } catch (IllegalStateException deltasUsedUp) {
            topics.publish(TOPIC_RELOAD, notice.retain());
        } finally {
            notice.release();
        }
        LOG.info("hot reload: {} {}", event.kind(), event.path());
    }

    /** {@code {"kind":"MODIFIED","path":"css/site.css"}}; a file name may hold any character, so Jackson escapes it. */
    private static ByteBuf notice(String kind, String path) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("kind", kind);
            json.writeStringField("path", path);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Unpooled.copiedBuffer(text.toString(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (http != null) {
            http.close().syncUninterruptibly();
        }
        if (hbtp != null) {
            hbtp.close().syncUninterruptibly();
        }
        if (watcher != null) {
            watcher.close();
        }
        files.close();
        reactor.close();
        topics.close();
    }
}
