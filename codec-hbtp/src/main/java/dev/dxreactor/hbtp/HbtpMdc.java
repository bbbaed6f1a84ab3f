package dev.dxreactor.hbtp;

import org.slf4j.MDC;

/**
 * The SLF4J MDC keys a server with {@link HbtpServerConfig.Builder#mdc(boolean) mdc(true)} sets around every
 * handler call, so that whatever a handler logs names its call. Set on the thread that runs the handler (the
 * event loop, or the offload executor for blocking routes) and removed when the handler returns; an async
 * handler has them while it runs, not in the callbacks of the stage it returns.
 */
public final class HbtpMdc {

    /** The connection: Netty's short channel id, as Netty's own log lines print it. */
    public static final String CONNECTION = "hbtp.conn";
    /** The route id called. */
    public static final String ROUTE = "hbtp.route";
    /** The call's sequence on its connection. */
    public static final String SEQUENCE = "hbtp.seq";

    private HbtpMdc() {
    }

    static void put(String connection, HbtpCall call) {
        MDC.put(CONNECTION, connection);
        MDC.put(ROUTE, Integer.toString(call.route()));
        MDC.put(SEQUENCE, Integer.toString(call.sequence()));
    }

    static void remove() {
        MDC.remove(CONNECTION);
        MDC.remove(ROUTE);
        MDC.remove(SEQUENCE);
    }
}
