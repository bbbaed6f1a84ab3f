package dev.dxreactor.teleport;

import io.netty.buffer.ByteBuf;

/**
 * What every generated top-level view can do: point itself at another message without allocating.
 *
 * @param <V> the view type itself
 */
public interface TeleportView<V extends TeleportView<V>> {

    /**
     * Points this view at the message starting at {@code offset} of {@code buf} and validates it.
     *
     * @return this view
     * @throws TeleportFormatException when the bytes are not a valid message of this type
     */
    V rewrap(ByteBuf buf, int offset);
}
