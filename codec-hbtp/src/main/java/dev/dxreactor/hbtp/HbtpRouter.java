package dev.dxreactor.hbtp;

import java.util.Arrays;

/**
 * Maps route ids to handlers. Routes are dense small integers, so dispatch is an array index: no hashing,
 * no search.
 *
 * <pre>{@code
 * HbtpRouter router = new HbtpRouter()
 *         .route(1, call -> call.payload().retain())                 // echo, on the event loop
 *         .routeAsync(2, call -> service.lookup(call.payload()))     // CompletionStage<ByteBuf>
 *         .routeBlocking(3, call -> jdbcQuery(call.payload()));      // on the offload executor
 * }</pre>
 *
 * Register routes before the server starts; the table is copied on each change so that connections read it
 * without locks.
 */
public final class HbtpRouter {

    /** Route ids are u16 on the wire; this is a sanity bound for the table. */
    public static final int MAX_ROUTE = 0xFFFF;

    private volatile Route[] routes = new Route[0];

    /** An empty router: every call is answered UNKNOWN_ROUTE until routes are added. */
    public HbtpRouter() {
    }

    /** How a route runs. */
    enum Kind { INLINE, ASYNC, BLOCKING }

    /** One registered route. */
    record Route(int id, Kind kind, HbtpHandler handler, HbtpAsyncHandler asyncHandler) {
    }

    /** A handler that answers on the event loop; it must not block. */
    public HbtpRouter route(int routeId, HbtpHandler handler) {
        return put(new Route(check(routeId), Kind.INLINE, requireNonNull(handler), null));
    }

    /** A handler that answers with a stage, completed from any thread. */
    public HbtpRouter routeAsync(int routeId, HbtpAsyncHandler handler) {
        return put(new Route(check(routeId), Kind.ASYNC, null, requireNonNull(handler)));
    }

    /** A handler that may block (JDBC, files): it runs on the server's offload executor, never on a loop. */
    public HbtpRouter routeBlocking(int routeId, HbtpHandler handler) {
        return put(new Route(check(routeId), Kind.BLOCKING, requireNonNull(handler), null));
    }

    /** The route for {@code routeId}, or {@code null}. */
    Route find(int routeId) {
        Route[] table = routes;
        return routeId >= 0 && routeId < table.length ? table[routeId] : null;
    }

    /** Whether a handler is registered for {@code routeId}. */
    public boolean has(int routeId) {
        return find(routeId) != null;
    }

    private synchronized HbtpRouter put(Route route) {
        Route[] table = routes;
        if (route.id() >= table.length) {
            table = Arrays.copyOf(table, route.id() + 1);
        } else {
            table = table.clone();
        }
        if (table[route.id()] != null) {
            throw new IllegalStateException("route " + route.id() + " is already registered");
        }
        table[route.id()] = route;
        routes = table;
        return this;
    }

    private static int check(int routeId) {
        if (routeId < 0 || routeId > MAX_ROUTE) {
            throw new IllegalArgumentException("route id " + routeId + " is outside 0.." + MAX_ROUTE);
        }
        return routeId;
    }

    private static <T> T requireNonNull(T handler) {
        if (handler == null) {
            throw new NullPointerException("handler");
        }
        return handler;
    }
}
