package dev.dxreactor.examples.showcase.messages;

import dev.dxreactor.teleport.Teleportable;

/** HBTP route 3 ({@code price}): sets an item's price and stock. */
@Teleportable
public record PriceChange(long id, long priceCents, int stock) {
}
