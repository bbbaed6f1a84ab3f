package dev.dxreactor.benchmarks.rsocket;

import java.util.Set;

/**
 * The client main's options.
 *
 * @param host           the server's address
 * @param port           the server's port
 * @param connections    RSocket connections, each a TCP connection
 * @param inFlight       requests kept in flight on each connection
 * @param payload        bytes per request (and per answer)
 * @param warmupSeconds  time before the measured window, not recorded
 * @param seconds        the measured window
 * @param transport      the transport the driver asked for; only reported, as for the server
 * @param workers        the client's event-loop threads
 */
record ClientOptions(String host, int port, int connections, int inFlight, int payload, double warmupSeconds,
                     double seconds, String transport, int workers) {

    private static final Set<String> NAMES = Set.of("host", "port", "connections", "in-flight", "payload",
            "warmup-seconds", "seconds", "transport", "workers");

    static ClientOptions parse(String[] args) {
        PeerArgs a = PeerArgs.parse(args, NAMES);
        int port = a.integer("port", 0, 0, 65_535);
        if (port == 0) {
            throw new IllegalArgumentException("--port is required (the port the server printed)");
        }
        ClientOptions options = new ClientOptions(
                a.text("host", "127.0.0.1"),
                port,
                a.integer("connections", 16, 1, 4_096),
                a.integer("in-flight", 16, 1, 65_536),
                a.integer("payload", 64, 1, 16 * 1024 * 1024),
                a.seconds("warmup-seconds", 5),
                a.seconds("seconds", 10),
                a.text("transport", "nio"),
                a.integer("workers", 1, 1, 1_024));
        if (options.seconds() == 0) {
            throw new IllegalArgumentException("--seconds must be > 0");
        }
        return options;
    }
}
