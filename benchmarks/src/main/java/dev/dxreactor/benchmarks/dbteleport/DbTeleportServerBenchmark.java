package dev.dxreactor.benchmarks.dbteleport;

import dev.dxreactor.benchmarks.ForkEnvironment;
import dev.dxreactor.dbteleport.DbTeleport;
import dev.dxreactor.hbtp.HbtpClientConfig;
import dev.dxreactor.hbtp.HbtpFlags;
import dev.dxreactor.hbtp.HbtpFrame;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpOpcode;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpStatus;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.dxreactor.benchmarks.dbteleport.DbTeleportBenchmark.CACHED_ROUTE;
import static dev.dxreactor.benchmarks.dbteleport.DbTeleportBenchmark.CATEGORY;
import static dev.dxreactor.benchmarks.dbteleport.DbTeleportBenchmark.QUERY_ID;

/**
 * What the HBTP server itself spends on a cached read: the request frame a real client sends for one key,
 * written into the pipeline the server installs on an accepted connection ({@link EmbeddedHbtpServer}: same
 * config, the router of {@link DbTeleportBenchmark} with its {@code DbTeleportRoute}), up to the response
 * frame that pipeline hands to the socket. The client's round trip to the server is the same whether the
 * server answers from the cache or runs the query; this is the part the cache replaces, and what the speed
 * bar compares with {@link DbTeleportBenchmark#directR2dbcQuery}.
 *
 * <p>The benchmark thread is made like an event-loop thread ({@link EventLoopThreads}), since a server runs
 * this pipeline on one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.dxreactor.benchmarks.dbteleport.EventLoopThreads"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DbTeleportServerBenchmark {

    private BenchDatabase db;
    private ConnectionPool pool;
    private DbTeleport cache;
    private EmbeddedHbtpServer server;
    /** The RPC_CALL frames a real client sends for category 0: plain, and conditional on the current version. */
    private ByteBuf hitRequest;
    private ByteBuf notModifiedRequest;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ForkEnvironment.recordIfRequested();
        db = new BenchDatabase();
        pool = new ConnectionPool(ConnectionPoolConfiguration.builder(db.connectionFactory()).maxSize(4).build());
        cache = DbTeleportBenchmark.cache(pool);
        HbtpServerConfig config = HbtpServerConfig.builder().router(DbTeleportBenchmark.router(cache, pool)).build();
        byte[] body = DbTeleportBenchmark.query(pool, CATEGORY[0]).block(Duration.ofSeconds(30));
        long version = cache.get(QUERY_ID, List.of(CATEGORY[0])).toCompletableFuture().get(30, TimeUnit.SECONDS)
                .version();
        String versionText = Long.toUnsignedString(version);

        // What a client configured like the loopback benchmarks' sends: HELLO, a call, the call with the version.
        List<byte[]> frames = ClientRecording.record(config, HbtpClientConfig.builder().compressionThreshold(0),
                client -> {
                    if (!Arrays.equals(body, DbTeleportBenchmark.call(client, CACHED_ROUTE, 0, HbtpMetadata.empty()))) {
                        throw new IllegalStateException("the recording client got another body than the query's");
                    }
                    try {
                        DbTeleportBenchmark.call(client, CACHED_ROUTE, 0,
                                HbtpMetadata.builder().put(HbtpMetadata.VERSION, versionText).build());
                        throw new IllegalStateException("a call with the current version was answered with a body");
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof HbtpRpcException rpc) || rpc.status() != HbtpStatus.NOT_MODIFIED) {
                            throw e;
                        }
                    }
                });
        if (frames.size() < 3 || Byte.toUnsignedInt(frames.get(0)[0]) != HbtpOpcode.HELLO.code()
                || Byte.toUnsignedInt(frames.get(1)[0]) != HbtpOpcode.RPC_CALL.code()
                || Byte.toUnsignedInt(frames.get(2)[0]) != HbtpOpcode.RPC_CALL.code()) {
            throw new IllegalStateException("the recording client did not send HELLO and two calls");
        }
        server = new EmbeddedHbtpServer(config, frames.get(0));
        hitRequest = EmbeddedHbtpServer.buffer(frames.get(1));
        notModifiedRequest = EmbeddedHbtpServer.buffer(frames.get(2));
        check(body, versionText);
    }

    /**
     * Both requests on the server's pipeline: the exact cached body with its version, and NOT_MODIFIED with
     * it; each counted by the cache as a hit, neither as a miss; the request buffers released by the server.
     */
    private void check(byte[] body, String version) {
        Counter hits = cache.meterRegistry().get("dx.dbteleport.hits").counter();
        Counter misses = cache.meterRegistry().get("dx.dbteleport.misses").counter();
        double hitsBefore = hits.count();
        double missesBefore = misses.count();
        ByteBuf answer = onlyFrame(server.exchange(hitRequest.retainedDuplicate()), HbtpOpcode.RPC_RESPONSE, version);
        boolean sameBody = Arrays.equals(body, ByteBufUtil.getBytes(answer));
        answer.release();
        if (!sameBody) {
            throw new IllegalStateException("the server's pipeline answered another body than the query's");
        }
        ByteBuf notModified = onlyFrame(server.exchange(notModifiedRequest.retainedDuplicate()), HbtpOpcode.RPC_ERROR,
                version);
        int status = notModified.readUnsignedShortLE();
        notModified.release();
        if (status != HbtpStatus.NOT_MODIFIED) {
            throw new IllegalStateException("the conditional call was answered " + HbtpStatus.name(status));
        }
        if (hits.count() != hitsBefore + 2 || misses.count() != missesBefore) {
            throw new IllegalStateException("the two calls counted " + (hits.count() - hitsBefore) + " hits and "
                    + (misses.count() - missesBefore) + " misses, not 2 hits");
        }
        if (hitRequest.refCnt() != 1 || notModifiedRequest.refCnt() != 1) {
            throw new IllegalStateException("the server did not release the request it was handed");
        }
    }

    /**
     * The payload of the one frame in {@code frames}, past its metadata, when it is {@code opcode}, not
     * compressed, and carries {@code version}; the caller releases it.
     */
    private static ByteBuf onlyFrame(List<HbtpFrame> frames, HbtpOpcode opcode, String version) {
        if (frames.size() != 1) {
            frames.forEach(HbtpFrame::release);
            throw new IllegalStateException("the server wrote " + frames + ", not one " + opcode);
        }
        HbtpFrame frame = frames.get(0);
        ByteBuf payload = frame.payload();
        if (frame.opcode() != opcode || !frame.hasFlag(HbtpFlags.METADATA) || frame.hasFlag(HbtpFlags.COMPRESSED)
                || !version.equals(HbtpMetadata.read(payload, HbtpMetadata.DEFAULT_MAX_SIZE).get(HbtpMetadata.VERSION))) {
            frame.release();
            throw new IllegalStateException("the server wrote " + frame + ", not " + opcode + " with version " + version);
        }
        return payload;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        server.close();
        hitRequest.release();
        notModifiedRequest.release();
        cache.close();
        pool.close().block(Duration.ofSeconds(10));
        db.close();
    }

    /** The server's share of a cached read: request frame in, response frame out, on the server's pipeline. */
    @Benchmark
    public int serverCachedHit() {
        return server.answer(hitRequest.retainedDuplicate());
    }

    /** The same for a call that carries the current version: NOT_MODIFIED instead of the body. */
    @Benchmark
    public int serverNotModified() {
        return server.answer(notModifiedRequest.retainedDuplicate());
    }
}
