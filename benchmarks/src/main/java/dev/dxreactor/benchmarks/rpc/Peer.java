package dev.dxreactor.benchmarks.rpc;

import java.util.List;

/**
 * One variant the driver runs: a server main and a client main on a class path, the load shape, the transport
 * both are asked for, and flags only this variant's JVMs get (the emulated Windows kernel).
 */
record Peer(String name, String classPath, String serverMain, String clientMain, int connections, int inFlight,
            String transport, List<String> extraFlags) {

    Peer {
        extraFlags = List.copyOf(extraFlags);
    }

    /** The load as the report shows it. */
    String shape() {
        return connections + " x " + inFlight;
    }
}
