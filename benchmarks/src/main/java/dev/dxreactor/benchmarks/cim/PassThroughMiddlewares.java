package dev.dxreactor.benchmarks.cim;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.Middleware;
import dev.dxreactor.cim.MiddlewareContext;

/**
 * The four middlewares of {@link BenchPassThroughChain}: each hook does the least a middleware can, a before
 * continues and an after returns the response it was given, and counts itself in the chain's
 * {@link HookTally} so that the checks can see it ran. Two have an after and two do not, as in the working
 * chain (and as the separate pass-through pipeline has two duplex handlers and two inbound ones).
 */
final class PassThroughMiddlewares {

    private PassThroughMiddlewares() {
    }

    /** Before and after; the outermost, as the duplex {@code TimingHandler} is among the separate handlers. */
    public static final class First implements Middleware<CimRequest, CimResponse> {

        private final HookTally tally;

        public First(CimConfig config) {
            this.tally = HookTally.of(config);
        }

        @Override
        public CimResponse before(MiddlewareContext context, CimRequest request) {
            tally.befores++;
            return null;
        }

        @Override
        public CimResponse after(MiddlewareContext context, CimRequest request, CimResponse response) {
            tally.afters++;
            return response;
        }
    }

    /** Before only. */
    public static final class Second implements Middleware<CimRequest, CimResponse> {

        private final HookTally tally;

        public Second(CimConfig config) {
            this.tally = HookTally.of(config);
        }

        @Override
        public CimResponse before(MiddlewareContext context, CimRequest request) {
            tally.befores++;
            return null;
        }
    }

    /** Before only. */
    public static final class Third implements Middleware<CimRequest, CimResponse> {

        private final HookTally tally;

        public Third(CimConfig config) {
            this.tally = HookTally.of(config);
        }

        @Override
        public CimResponse before(MiddlewareContext context, CimRequest request) {
            tally.befores++;
            return null;
        }
    }

    /** Before and after; the innermost. */
    public static final class Fourth implements Middleware<CimRequest, CimResponse> {

        private final HookTally tally;

        public Fourth(CimConfig config) {
            this.tally = HookTally.of(config);
        }

        @Override
        public CimResponse before(MiddlewareContext context, CimRequest request) {
            tally.befores++;
            return null;
        }

        @Override
        public CimResponse after(MiddlewareContext context, CimRequest request, CimResponse response) {
            tally.afters++;
            return response;
        }
    }
}
