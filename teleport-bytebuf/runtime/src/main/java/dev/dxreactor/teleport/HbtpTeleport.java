package dev.dxreactor.teleport;

import dev.dxreactor.hbtp.HbtpRouter;
import dev.dxreactor.hbtp.HbtpRpcException;
import dev.dxreactor.hbtp.HbtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.function.Supplier;

/**
 * Serves teleport messages over HBTP: the call's payload is wrapped as a view in place (no copy) and the
 * handler's message is the response body.
 *
 * <pre>{@code
 * HbtpTeleport.route(router, 7, UserQueryView::new, (call, query, out) ->
 *         UserTeleport.write(out, users.find(query.id())));
 * }</pre>
 *
 * <p>Each event loop thread keeps one view and one {@link TeleportBuffer} per route, so a call allocates
 * nothing but its response buffer. A payload that is not a valid message is answered with BAD_REQUEST and
 * the validation message. The route runs on the event loop: a handler that blocks belongs on
 * {@link HbtpRouter#routeBlocking} with code of its own.
 */
public final class HbtpTeleport {

    private HbtpTeleport() {
    }

    /**
     * Registers {@code handler} as route {@code route} of {@code router}.
     *
     * @param views makes an empty view of the request type, once per thread
     * @return {@code router}
     */
    public static <V extends TeleportView<V>> HbtpRouter route(HbtpRouter router, int route, Supplier<V> views,
                                                               TeleportHandler<V> handler) {
        FastThreadLocal<Session<V>> sessions = new FastThreadLocal<>() {
            @Override
            protected Session<V> initialValue() {
                return new Session<>(views.get());
            }

            @Override
            protected void onRemoval(Session<V> session) {
                if (session.out != null) {
                    session.out.release();
                }
            }
        };
        return router.route(route, call -> {
            Session<V> session = sessions.get();
            ByteBuf payload = call.payload();
            V request;
            try {
                request = session.view.rewrap(payload, payload.readerIndex());
            } catch (TeleportFormatException e) {
                throw new HbtpRpcException(HbtpStatus.BAD_REQUEST, e.getMessage());
            }
            if (session.out == null) {
                session.out = TeleportBuffer.allocate(call.alloc());
            }
            try {
                handler.handle(call, request, session.out);
                return session.out.finish();
            } finally {
                // A handler that failed, or wrote nothing, leaves nothing for the next call.
                session.out.reset();
            }
        });
    }

    private static final class Session<V> {
        final V view;
        TeleportBuffer out;

        Session(V view) {
            this.view = view;
        }
    }
}
