package dev.dxreactor.transport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Choosing among a fixed set of providers; {@link Transports} is this over the providers on the class path.
 * Kept apart from service loading so that the rules can be checked against any set of providers.
 */
final class TransportSelection {

    private static final Comparator<TransportProvider> BEST_FIRST =
            Comparator.comparingInt(TransportProvider::priority).reversed().thenComparing(TransportProvider::name);

    private final List<TransportProvider> all;

    TransportSelection(List<? extends TransportProvider> providers) {
        List<TransportProvider> sorted = new ArrayList<>(providers);
        sorted.sort(BEST_FIRST);
        this.all = List.copyOf(sorted);
    }

    /** Every provider found, best first, available or not. */
    List<TransportProvider> all() {
        return all;
    }

    List<TransportProvider> available() {
        return all.stream().filter(TransportProvider::isAvailable).toList();
    }

    /** The provider named by {@code override} when it is not blank, else the best available one. */
    TransportProvider best(String override) {
        if (override != null && !override.isBlank()) {
            return byName(override.trim());
        }
        List<TransportProvider> available = available();
        if (available.isEmpty()) {
            throw new IllegalStateException("dx-reactor: no transport is available.\n" + describe(null));
        }
        return available.getFirst();
    }

    TransportProvider byName(String name) {
        for (TransportProvider provider : all) {
            if (provider.name().equals(name)) {
                if (!provider.isAvailable()) {
                    throw new IllegalArgumentException("dx-reactor: transport '" + name + "' is unavailable: "
                            + reason(provider) + "; available: " + availableNames(),
                            provider.unavailabilityCause());
                }
                return provider;
            }
        }
        throw new IllegalArgumentException("dx-reactor: unknown transport '" + name + "'; available: "
                + availableNames() + (all.size() > available().size() ? "; found but unavailable: "
                + all.stream().filter(p -> !p.isAvailable()).map(TransportProvider::name)
                        .collect(Collectors.joining(", ")) : ""));
    }

    /**
     * Why {@code chosen} was taken, for the reactor's start line: the alternatives it beat, and for every
     * provider ranked above it, why that one was not used.
     */
    String explain(TransportProvider chosen, String override) {
        StringBuilder sb = new StringBuilder();
        if (override != null && !override.isBlank()) {
            sb.append("forced by -D").append(Transports.TRANSPORT_PROPERTY).append('=').append(override.trim());
            sb.append("; available: ").append(availableNames());
            return sb.toString();
        }
        sb.append("best of ").append(availableNames());
        for (TransportProvider better : all) {
            if (better == chosen) {
                break;
            }
            if (!better.isAvailable()) {
                sb.append("; ").append(better.name()).append(" unavailable: ").append(reason(better));
            }
        }
        return sb.toString();
    }

    String describe(String override) {
        StringBuilder sb = new StringBuilder("dx-reactor transports (best first):");
        int width = all.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        for (TransportProvider provider : all) {
            sb.append("\n  ").append(String.format("%-" + width + "s", provider.name()))
                    .append("  priority ").append(provider.priority()).append("  ")
                    .append(provider.isAvailable() ? "available" : "unavailable: " + reason(provider));
        }
        if (override != null && !override.isBlank()) {
            sb.append("\n  override: -D").append(Transports.TRANSPORT_PROPERTY).append('=').append(override.trim());
        }
        return sb.toString();
    }

    private String availableNames() {
        List<TransportProvider> available = available();
        return available.isEmpty() ? "none"
                : available.stream().map(TransportProvider::name).collect(Collectors.joining(", "));
    }

    /** The first message in the cause chain, so that wrappers without text still say something useful. */
    static String reason(TransportProvider provider) {
        Throwable cause = provider.unavailabilityCause();
        if (cause == null) {
            return "no reason given";
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t == cause ? t.getMessage() : cause.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return cause.getClass().getName();
    }
}
