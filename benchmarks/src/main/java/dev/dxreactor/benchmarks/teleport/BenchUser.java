package dev.dxreactor.benchmarks.teleport;

import dev.dxreactor.teleport.Teleportable;

import java.util.List;

/**
 * The message of the teleport-codec benchmark: ids and flags, two strings and a list of small structs. Every
 * format encodes this record's values and reads them back; teleport and Jackson work on the record itself,
 * SBE, FlatBuffers and protobuf through their own generated classes.
 */
@Teleportable(templateId = 1)
public record BenchUser(long id, int age, boolean active, short flags, String name, String email,
                        List<BenchItem> items) {
}
