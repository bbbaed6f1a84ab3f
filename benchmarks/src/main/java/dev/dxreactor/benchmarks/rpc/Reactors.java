package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;

import java.time.Duration;

/** The event loops of the Netty 4.2 servers and clients: dx-reactor on the named transport, unpinned. */
final class Reactors {

    private Reactors() {
    }

    static DxReactor start(String transport, int workers) {
        return DxReactor.builder().transport(transport).workers(WorkerStrategy.fixed(workers)).build();
    }

    static void stop(DxReactor reactor) {
        reactor.shutdownGracefully(Duration.ZERO, Duration.ofSeconds(5)).join();
    }
}
