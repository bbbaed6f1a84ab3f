package dev.dxreactor.teleport.example;

import dev.dxreactor.teleport.Teleportable;

import java.util.List;

/** The example message of the issue, plus one component of every other supported kind. */
@Teleportable(templateId = 1)
public record User(long id, int age, boolean active, String name, String email, List<Address> addresses,
                   Address home, Role role, byte flags, short rank, char initial, float score, double balance,
                   byte[] avatar, int[] friends, long[] sessions, boolean[] badges, short[] levels, char[] code,
                   float[] weights, double[] history) {
}
