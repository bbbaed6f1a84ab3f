package dev.dxreactor.examples.showcase.messages;

import dev.dxreactor.teleport.Teleportable;

/**
 * The answer of route 3: the item as the write left it, and where its change went in the category's topic.
 *
 * @param topic    the category's topic
 * @param topicSeq the change's number in that topic's log, the same on every server
 */
@Teleportable
public record PriceChanged(Item item, int topic, long topicSeq) {
}
