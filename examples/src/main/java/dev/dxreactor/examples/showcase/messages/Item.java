package dev.dxreactor.examples.showcase.messages;

import dev.dxreactor.teleport.Teleportable;

/**
 * One row of the {@code items} table as it goes over HBTP: the answer of route 1, each element of the answer of
 * route 2 and of a category topic's snapshot, and a category topic's delta (the item as it is now).
 *
 * @param updatedAtMicros when the row last changed, microseconds since the epoch
 */
@Teleportable
public record Item(long id, String category, String name, long priceCents, int stock, long updatedAtMicros) {
}
