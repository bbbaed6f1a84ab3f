package dev.dxreactor.dbteleport;

import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * Reads a route's request bytes into the parameters of its query, e.g. {@code List.of(payload.readLongLE())}.
 * Runs on the event loop and must not block. Throw {@link IllegalArgumentException} (or any
 * {@link RuntimeException}, e.g. {@link IndexOutOfBoundsException} from a short payload) for a request
 * that is not valid: the client is answered BAD_REQUEST and no query is sent.
 */
@FunctionalInterface
public interface ParamDecoder {
    List<?> decode(ByteBuf request);
}
