package dev.dxreactor.hbtp.cli;

import dev.dxreactor.teleport.Teleportable;

import java.util.List;

/** A teleport message of every kind of component the JSON output has to show. */
@Teleportable
public record Greeting(long id, String name, Mood mood, int[] scores, byte[] token, Tag first, List<Tag> tags) {

    /** An enum component: written as its name. */
    public enum Mood { CALM, HAPPY }

    /** A nested record: inline in {@link Greeting}, and the element of its list. */
    @Teleportable
    public record Tag(String label, int weight) {
    }
}
