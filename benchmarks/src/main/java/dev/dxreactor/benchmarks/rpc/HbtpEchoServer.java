package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The product's HBTP server as a user configures it: {@link HbtpServerConfig}'s defaults (every limit on,
 * encryption offered, keepalive), one inline echo route, on a dx-reactor. {@link WithMetrics} is the same server
 * publishing its meters ({@code hbtp.server.*}: the call timer with p50 and p99 and its histogram, counts,
 * gauges) to a Micrometer registry, for what metrics cost.
 */
public final class HbtpEchoServer {

    /** The echo route of the HBTP servers and client. */
    static final int ECHO_ROUTE = 1;

    private HbtpEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        EchoServer.serve(args, HbtpEchoServer::start);
    }

    static EchoServer start(ServerSettings settings) throws InterruptedException {
        return NettyEchoServer.start(settings, new HbtpServerInitializer(config().build()));
    }

    static EchoServer startWithMetrics(ServerSettings settings) throws InterruptedException {
        return NettyEchoServer.start(settings,
                new HbtpServerInitializer(config().meterRegistry(new SimpleMeterRegistry()).build()));
    }

    private static HbtpServerConfig.Builder config() {
        return HbtpServerConfig.builder().router(new HbtpRouter().route(ECHO_ROUTE, call -> call.payload().retain()));
    }

    /** The {@code hbtp+metrics} server's main. */
    public static final class WithMetrics {
        private WithMetrics() {
        }

        public static void main(String[] args) throws Exception {
            EchoServer.serve(args, HbtpEchoServer::startWithMetrics);
        }
    }
}
