package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.Teleportable;

/** A struct with a struct inside, appended inline to {@link ProfileV2}. */
@Teleportable(templateId = 3)
public record Contact(String name, Address address) {
}
