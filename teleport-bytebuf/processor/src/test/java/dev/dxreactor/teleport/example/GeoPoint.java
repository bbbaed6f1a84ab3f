package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.Teleportable;

/** A struct of primitives only (nothing for {@code wrap} to check), appended inline to {@link ProfileV2}. */
@Teleportable(templateId = 4)
public record GeoPoint(double latitude, double longitude) {
}
