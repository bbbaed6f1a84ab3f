package dev.dxreactor.benchmarks.teleport;

import dev.dxreactor.teleport.Teleportable;

/**
 * One line of a {@link BenchUser}: a small fixed-size struct (18 bytes of fields), the kind a list of eight
 * is made of in the teleport-codec benchmark. Jackson serializes the record itself.
 */
@Teleportable(templateId = 2)
public record BenchItem(long sku, int quantity, int priceCents, short flags) {
}
