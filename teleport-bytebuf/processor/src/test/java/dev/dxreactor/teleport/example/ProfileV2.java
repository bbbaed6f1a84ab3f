package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.Since;
import dev.dxreactor.teleport.Teleportable;

import java.util.List;

/**
 * Version 2 of {@link ProfileV1}, with the same schema and template: a component of every kind that can be
 * appended, inline structs among them (one with strings, one nesting a struct, one of primitives only).
 */
@Teleportable(schemaId = 5, templateId = 20, version = 2)
public record ProfileV2(long id, String nick, List<Address> places, @Since(2) int karma, @Since(2) String bio,
                        @Since(2) List<Address> favourites, @Since(2) Role role, @Since(2) Address home,
                        @Since(2) Contact emergency, @Since(2) GeoPoint location, @Since(2) byte[] avatar,
                        @Since(2) int[] scores) {
}
