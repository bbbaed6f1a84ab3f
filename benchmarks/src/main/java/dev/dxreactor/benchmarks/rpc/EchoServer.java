package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.benchmarks.ForkEnvironment;

import java.io.IOException;
import java.io.InputStream;

/** A running echo server of one protocol, listening on loopback. */
interface EchoServer extends AutoCloseable {

    /** Starts a server of one protocol. */
    @FunctionalInterface
    interface Starter {
        EchoServer start(ServerSettings settings) throws Exception;
    }

    int port();

    /** Stops accepting, closes the connections and the event loops. */
    @Override
    void close();

    /**
     * A server main as the process contract has it: start, print {@code LISTENING <port>}, serve until stdin
     * ends, stop and exit 0.
     */
    static void serve(String[] args, Starter starter) throws Exception {
        ForkEnvironment.recordIfRequested();
        EchoServer server = starter.start(ServerSettings.parse(args));
        System.out.println("LISTENING " + server.port());
        System.out.flush();
        awaitEndOfInput(System.in);
        server.close();
        System.exit(0);
    }

    private static void awaitEndOfInput(InputStream in) throws IOException {
        byte[] sink = new byte[256];
        while (in.read(sink) >= 0) {
            // The driver never writes; it only closes.
        }
    }
}
