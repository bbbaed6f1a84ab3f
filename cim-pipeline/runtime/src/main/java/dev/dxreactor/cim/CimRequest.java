package dev.dxreactor.cim;

import java.net.SocketAddress;

/**
 * A request as protocol-neutral middleware sees it. HTTP requests are also
 * {@link dev.dxreactor.cim.http.HttpCimRequest}s and HBTP calls {@link dev.dxreactor.cim.hbtp.HbtpCimRequest}s,
 * for middleware that needs the protocol's own object.
 */
public interface CimRequest {

    Protocol protocol();

    /**
     * A header (HTTP, case-insensitive) or metadata entry (HBTP, exact key) as text; {@code null} when
     * absent. Over HTTP a name given as a constant {@link io.netty.util.AsciiString} is found faster: its hash
     * is computed once, not per lookup.
     */
    String header(CharSequence name);

    /**
     * The bearer token: HTTP {@code Authorization: Bearer <token>}, HBTP metadata {@code auth} (with or
     * without the {@code Bearer } prefix); {@code null} when there is none.
     */
    String bearerToken();

    /** The {@code Origin} the client sent (HTTP); {@code null} when absent and for HBTP calls. */
    String origin();

    /** Whether this is a CORS preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}). */
    boolean isPreflight();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** A short description for logs: {@code "GET /path"} or {@code "HBTP route 3"}. */
    String describe();

    /**
     * A response in this request's protocol, to short-circuit with or to replace a response in an after:
     * an HTTP response with that status code and {@code message} as its text body, or (for an error status)
     * an HBTP {@code RPC_ERROR} with {@code message}.
     */
    CimResponse reply(CimStatus status, String message);
}
