package dev.dxreactor.benchmarks.rsocket;

import java.util.Set;

/**
 * The server main's options.
 *
 * @param port      the TCP port on 127.0.0.1; 0 picks a free one
 * @param transport the transport the driver asked for; RSocket's reactor-netty chooses its own (epoll when
 *                  available, else NIO), so it is only reported
 * @param workers   event-loop threads
 */
record ServerOptions(int port, String transport, int workers) {

    private static final Set<String> NAMES = Set.of("port", "transport", "workers");

    static ServerOptions parse(String[] args) {
        PeerArgs a = PeerArgs.parse(args, NAMES);
        return new ServerOptions(
                a.integer("port", 0, 0, 65_535),
                a.text("transport", "nio"),
                a.integer("workers", 1, 1, 1_024));
    }
}
