package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.Teleportable;

import java.util.List;

/** Version 1 of a message that grew: what an old reader or writer was compiled with. */
@Teleportable(schemaId = 5, templateId = 20, version = 1)
public record ProfileV1(long id, String nick, List<Address> places) {
}
