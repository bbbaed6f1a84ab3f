package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.Teleportable;

/** A small struct, nested in {@link User} both inline and in a list. */
@Teleportable(templateId = 2)
public record Address(String street, String zip, int number, short floor) {
}
