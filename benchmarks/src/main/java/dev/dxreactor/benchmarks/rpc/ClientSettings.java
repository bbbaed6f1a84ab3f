package dev.dxreactor.benchmarks.rpc;

/**
 * A load client's arguments (the process contract): where the server is, {@code connections} connections with
 * {@code inFlight} requests in flight on each, {@code payload} bytes per request, the warm-up and measured
 * seconds and the client's own transport where it can choose.
 */
record ClientSettings(String host, int port, int connections, int inFlight, int payload, double warmupSeconds,
                      double seconds, String transport) {

    ClientSettings {
        if (connections < 1 || inFlight < 1) {
            throw new IllegalArgumentException("connections and in-flight must be at least 1");
        }
        if (payload < Payloads.MIN_SIZE) {
            throw new IllegalArgumentException("payload " + payload + " B: at least " + Payloads.MIN_SIZE
                    + " B, the request id");
        }
        if (warmupSeconds < 0 || seconds <= 0) {
            throw new IllegalArgumentException("warm-up must be >= 0 s and the measured window > 0 s");
        }
    }

    static ClientSettings parse(String[] args) {
        CliArgs a = CliArgs.parse(args);
        return new ClientSettings(a.string("host", "127.0.0.1"), a.integer("port", -1), a.integer("connections", 16),
                a.integer("in-flight", 16), a.integer("payload", 64), a.decimal("warmup-seconds", 20),
                a.decimal("seconds", 10), a.string("transport", ServerSettings.bestTransport()));
    }

    /** The arguments that {@link #parse} reads back. */
    String[] toArgs() {
        return new String[] {"--host", host, "--port", String.valueOf(port), "--connections",
                String.valueOf(connections), "--in-flight", String.valueOf(inFlight), "--payload",
                String.valueOf(payload), "--warmup-seconds", String.valueOf(warmupSeconds), "--seconds",
                String.valueOf(seconds), "--transport", transport};
    }
}
