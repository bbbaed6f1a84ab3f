package dev.dxreactor.dbteleport;

import dev.dxreactor.hbtp.HbtpCall;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpStatus;
import io.netty.buffer.ByteBuf;

import java.io.Serial;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Serves a registered query as an HBTP route: the request bytes become the query's parameters, and the
 * cached bytes are the response body as they are.
 *
 * <pre>{@code
 * DbTeleportRoute.route(router, 7, cache, "user", request -> List.of(request.readLongLE()));
 * }</pre>
 *
 * <p>Every answer carries the entry's {@code version} metadata (an unsigned decimal number). A call that
 * sends {@code version} metadata is conditional: when that version is current, it is answered with
 * NOT_MODIFIED (and the same {@code version}) instead of the body. A request the {@link ParamDecoder}
 * refuses, or whose parameters do not fit the query, is answered BAD_REQUEST without a query. A result
 * larger than the cache's per-entry limit ({@link ResultTooLargeException}) is answered RESOURCE_EXHAUSTED.
 *
 * <p>A hit allocates nothing beyond the decoder's parameters and the key: the response body is the
 * entry's own read-only buffer (the server copies a body into its output without moving the body's
 * indices, and releasing it does nothing), and the completed stage and the metadata were built with the
 * entry.
 */
public final class DbTeleportRoute {

    /** A plain failed future, which the HBTP server answers at once (see {@link CacheEntry#bodyStage()}). */
    private static final CompletionStage<ByteBuf> NOT_MODIFIED =
            CompletableFuture.failedFuture(new NotModifiedException());

    private DbTeleportRoute() {
    }

    /**
     * Registers route {@code routeId} of {@code router} to answer query {@code queryId} of {@code cache}.
     *
     * @return {@code router}
     * @throws IllegalArgumentException when {@code queryId} is not registered with {@code cache}
     */
    public static HbtpRouter route(HbtpRouter router, int routeId, DbTeleport cache, String queryId,
                                   ParamDecoder decoder) {
        if (!cache.isRegistered(queryId)) {
            throw new IllegalArgumentException("query '" + queryId + "' is not registered with the cache");
        }
        if (decoder == null) {
            throw new NullPointerException("decoder");
        }
        return router.routeAsync(routeId, call -> answer(call, cache, queryId, decoder));
    }

    private static CompletionStage<ByteBuf> answer(HbtpCall call, DbTeleport cache, String queryId,
                                                   ParamDecoder decoder) {
        long knownVersion = 0;
        boolean conditional = false;
        String versionText = call.metadata().get(HbtpMetadata.VERSION);
        if (versionText != null) {
            try {
                knownVersion = Long.parseUnsignedLong(versionText);
                conditional = true;
            } catch (NumberFormatException e) {
                throw new HbtpRpcException(HbtpStatus.BAD_REQUEST,
                        "version metadata must be an unsigned decimal number, got '" + versionText + "'");
            }
        }
        List<?> params;
        try {
            params = decoder.decode(call.payload());
        } catch (RuntimeException e) {
            throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, "bad request for query '" + queryId + "': " + e);
        }
        if (params == null) {
            throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, "bad request for query '" + queryId
                    + "': no parameters");
        }
        QueryKey key = new QueryKey(queryId, params);
        CacheEntry hit = cache.cached(key);
        if (hit != null) {
            return respond(call, hit, conditional, knownVersion);
        }
        CompletableFuture<CacheEntry> loaded;
        try {
            loaded = cache.load(key);
        } catch (IllegalArgumentException e) {
            throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, e.getMessage());
        }
        boolean isConditional = conditional;
        long known = knownVersion;
        return loaded.handle((entry, error) -> error == null ? respond(call, entry, isConditional, known)
                : CompletableFuture.<ByteBuf>failedFuture(status(error))).thenCompose(stage -> stage);
    }

    /** A result over the per-entry limit is RESOURCE_EXHAUSTED; anything else goes to the server as it is. */
    private static Throwable status(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof ResultTooLargeException tooLarge
                ? new HbtpRpcException(HbtpStatus.RESOURCE_EXHAUSTED, tooLarge.getMessage()) : cause;
    }

    private static CompletionStage<ByteBuf> respond(HbtpCall call, CacheEntry entry, boolean conditional,
                                                    long knownVersion) {
        call.responseMetadata(entry.versionMetadata());
        return conditional && knownVersion == entry.version() ? NOT_MODIFIED : entry.bodyStage();
    }

    /** One shared instance: it carries no stack trace and nothing specific to a call. */
    private static final class NotModifiedException extends HbtpRpcException {
        @Serial
        private static final long serialVersionUID = 1L;

        NotModifiedException() {
            super(HbtpStatus.NOT_MODIFIED, "not modified");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
