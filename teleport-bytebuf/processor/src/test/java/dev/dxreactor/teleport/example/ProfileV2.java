package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.Since;
import dev.dxreactor.teleport.Teleportable;

import java.util.List;

/** Version 2 of {@link ProfileV1}, with the same schema and template: four components appended. */
@Teleportable(schemaId = 5, templateId = 20, version = 2)
public record ProfileV2(long id, String nick, List<Address> places, @Since(2) int karma, @Since(2) String bio,
                        @Since(2) List<Address> favourites, @Since(2) Role role) {
}
