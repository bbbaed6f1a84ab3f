package dev.dxreactor.cim;

/**
 * One middleware of a fused chain.
 *
 * <p>Semantics of a chain {@code A, B, C} around an application:
 * <ul>
 *   <li>befores run in declared order: {@code A.before, B.before, C.before}, then the application;</li>
 *   <li>afters run in reverse: {@code C.after, B.after, A.after}, after the application's answer is there
 *       (an asynchronous answer is awaited without blocking the event loop);</li>
 *   <li>a before that returns a response short-circuits: later befores and the application do not run,
 *       and the after of every middleware whose before was called (including the one that answered) runs,
 *       in reverse (the onion model);</li>
 *   <li>a middleware annotated {@link AlwaysAfter} wraps the whole chain: its after runs on every final
 *       response, after all the other afters, even when a before declared ahead of it answered;</li>
 *   <li>an exception in a hook or in the application becomes an error response ({@link CimException} keeps
 *       its status; anything else is {@link CimStatus#INTERNAL} with no detail) and is logged once; the
 *       afters still run on that error response.</li>
 * </ul>
 *
 * <p>Hooks run on the connection's event loop and must not block. A middleware instance is shared by every
 * connection of a {@link CimConfig}: keep per-request state in the {@link MiddlewareContext}. The processor
 * constructs it through a public constructor whose parameters are any of {@link CimConfig} and
 * {@link OriginPolicy} (or none).
 *
 * @param <Q> the requests it handles: {@link CimRequest} for any protocol, or a protocol's own type
 * @param <R> the responses it handles
 */
public interface Middleware<Q extends CimRequest, R extends CimResponse> {

    /**
     * Runs before the application.
     *
     * @return {@code null} to continue, or the response that answers the request now (build it with
     *         {@link CimRequest#reply})
     */
    default R before(MiddlewareContext context, Q request) {
        return null;
    }

    /**
     * Runs after the application (or a short-circuit) answered.
     *
     * @return the response to send on: {@code response}, changed or not, or a new one from
     *         {@link CimRequest#reply} (then {@link CimResponse#discard() discard} {@code response})
     */
    default R after(MiddlewareContext context, Q request, R response) {
        return response;
    }
}
