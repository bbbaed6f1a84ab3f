package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpServerConfig;
import dev.dxreactor.hbtp.HbtpServerInitializer;

/**
 * The product's HBTP server as a user configures it: {@link HbtpServerConfig}'s defaults (every limit on,
 * encryption offered, keepalive), one inline echo route, on a dx-reactor.
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
        HbtpServerConfig config = HbtpServerConfig.builder()
                .router(new HbtpRouter().route(ECHO_ROUTE, call -> call.payload().retain()))
                .build();
        return NettyEchoServer.start(settings, new HbtpServerInitializer(config));
    }
}
