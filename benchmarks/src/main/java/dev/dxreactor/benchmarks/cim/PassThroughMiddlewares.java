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
 * chain (and as the separate pass-through pipeline has two duplex handlers and two inbound ones). A chain
 * lists each middleware class once, hence four classes over two shared hook sets.
 */
final class PassThroughMiddlewares {

    private PassThroughMiddlewares() {
    }

    /** A before that counts itself and continues. */
    abstract static class BeforeOnly implements Middleware<CimRequest, CimResponse> {

        final HookTally tally;

        BeforeOnly(CimConfig config) {
            this.tally = HookTally.of(config);
        }

        @Override
        public CimResponse before(MiddlewareContext context, CimRequest request) {
            tally.befores++;
            return null;
        }
    }

    /** A before and an after that count themselves and pass on. */
    abstract static class BeforeAndAfter extends BeforeOnly {

        BeforeAndAfter(CimConfig config) {
            super(config);
        }

        @Override
        public CimResponse after(MiddlewareContext context, CimRequest request, CimResponse response) {
            tally.afters++;
            return response;
        }
    }

    /** Before and after; the outermost, as the duplex {@code TimingHandler} is among the separate handlers. */
    public static final class First extends BeforeAndAfter {
        public First(CimConfig config) {
            super(config);
        }
    }

    /** Before only. */
    public static final class Second extends BeforeOnly {
        public Second(CimConfig config) {
            super(config);
        }
    }

    /** Before only. */
    public static final class Third extends BeforeOnly {
        public Third(CimConfig config) {
            super(config);
        }
    }

    /** Before and after; the innermost. */
    public static final class Fourth extends BeforeAndAfter {
        public Fourth(CimConfig config) {
            super(config);
        }
    }
}
