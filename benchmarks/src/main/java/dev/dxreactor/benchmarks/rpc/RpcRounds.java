package dev.dxreactor.benchmarks.rpc;

import dev.dxreactor.benchmarks.report.Interleaved;
import dev.dxreactor.benchmarks.report.RoundFigures;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rounds of a report: every peer measured once per round ({@link Interleaved}: the order reversed every
 * other round), each round's throughput, p50 and p99 kept per peer, and the errors summed.
 */
final class RpcRounds {

    /** Measures one peer once; the driver's {@link PairRunner#measure}, or a stand-in in tests. */
    @FunctionalInterface
    interface Measure {
        RpcResult measure(Peer peer) throws Exception;
    }

    final RoundFigures throughput = new RoundFigures();
    final RoundFigures p50 = new RoundFigures();
    final RoundFigures p99 = new RoundFigures();
    /** CPU µs per call of the server process and of the client process; absent where the OS did not tell. */
    final RoundFigures serverCpu = new RoundFigures();
    final RoundFigures clientCpu = new RoundFigures();
    final Map<String, Long> errors = new LinkedHashMap<>();
    private final int rounds;

    RpcRounds(int rounds) {
        this.rounds = rounds;
    }

    int rounds() {
        return rounds;
    }

    /** Runs every round; {@code peers} in their first round's order. */
    RpcRounds run(List<Peer> peers, Measure measure) throws Exception {
        Interleaved.run(rounds, peers, (round, peer) -> {
            RpcResult result = measure.measure(peer);
            add(peer.name(), result);
            System.out.printf(Locale.ROOT, "round %d/%d  %-22s %12.0f req/s  p50 %6d us  p99 %6d us  "
                            + "CPU/call server %5.2f us client %5.2f us  errors %d%n",
                    round + 1, rounds, peer.name(), result.throughput(), result.p50us(), result.p99us(),
                    result.serverCpuMicrosPerCall(), result.clientCpuMicrosPerCall(), result.errors());
        });
        return this;
    }

    void add(String peer, RpcResult result) {
        throughput.add(peer, result.throughput());
        p50.add(peer, result.p50us());
        p99.add(peer, result.p99us());
        if (!Double.isNaN(result.serverCpuMicrosPerCall())) {
            serverCpu.add(peer, result.serverCpuMicrosPerCall());
            clientCpu.add(peer, result.clientCpuMicrosPerCall());
        }
        errors.merge(peer, result.errors(), Long::sum);
    }

    long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
