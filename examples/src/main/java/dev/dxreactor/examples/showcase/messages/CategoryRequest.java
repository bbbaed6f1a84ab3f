package dev.dxreactor.examples.showcase.messages;

import dev.dxreactor.teleport.Teleportable;

/** HBTP route 2 ({@code category}): every item of this category, by id. */
@Teleportable
public record CategoryRequest(String category) {
}
