package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.transport.Transports;

/** A server's arguments (the process contract): its port (0 = any free one), transport and event loop threads. */
record ServerSettings(int port, String transport, int workers) {

    static ServerSettings parse(String[] args) {
        CliArgs a = CliArgs.parse(args);
        return new ServerSettings(a.integer("port", 0), a.string("transport", bestTransport()),
                a.integer("workers", 1));
    }

    /** dx-reactor's best transport on this machine (io_uring where the kernel allows it). */
    static String bestTransport() {
        return Transports.best().name();
    }
}
