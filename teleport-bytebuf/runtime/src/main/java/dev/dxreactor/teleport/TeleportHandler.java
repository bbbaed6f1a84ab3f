package dev.dxreactor.teleport;

import dev.dxreactor.hbtp.HbtpCall;

/**
 * An HBTP route that reads its request as a teleport view and writes its response as a teleport message
 * (see {@link HbtpTeleport#route}).
 *
 * @param <V> the request's view type
 */
@FunctionalInterface
public interface TeleportHandler<V extends TeleportView<V>> {

    /**
     * Reads {@code request} (valid only during this call) and writes the response message into
     * {@code response}, for example with {@code UserTeleport.write(response, user)}. Throw
     * {@link dev.dxreactor.hbtp.HbtpRpcException} to answer with a status instead.
     */
    void handle(HbtpCall call, V request, TeleportBuffer response) throws Exception;
}
