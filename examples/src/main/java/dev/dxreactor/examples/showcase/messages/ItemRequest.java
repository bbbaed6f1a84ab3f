package dev.dxreactor.examples.showcase.messages;

import dev.dxreactor.teleport.Teleportable;

/** HBTP route 1 ({@code item}): the item with this id. */
@Teleportable
public record ItemRequest(long id) {
}
