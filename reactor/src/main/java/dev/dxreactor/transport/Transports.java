package dev.dxreactor.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The transports on the class path, and the choice among them.
 *
 * <p>Providers are found once, with {@link ServiceLoader}. The best one is the available provider with
 * the highest {@link TransportProvider#priority()}; the system property {@value #TRANSPORT_PROPERTY}
 * overrides that choice by name (for example {@code -Ddx.transport=nio}).
 */
public final class Transports {

    /** System property that forces a transport by name. */
    public static final String TRANSPORT_PROPERTY = "dx.transport";

    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

    private Transports() {
    }

    /** Every available transport, best first. */
    public static List<TransportProvider> available() {
        return Loaded.SELECTION.available();
    }

    /**
     * The transport named by {@value #TRANSPORT_PROPERTY} when that is set, else the best available one.
     *
     * @throws IllegalArgumentException if the property names an unknown or unavailable transport
     * @throws IllegalStateException if no transport is available at all
     */
    public static TransportProvider best() {
        return Loaded.SELECTION.best(override());
    }

    /**
     * The available transport called {@code name}.
     *
     * @throws IllegalArgumentException naming the available transports, when {@code name} is unknown or
     *                                  unavailable (with the reason as the cause in the latter case)
     */
    public static TransportProvider byName(String name) {
        return Loaded.SELECTION.byName(name);
    }

    /** Every transport found, available or not, with the reason for each unavailable one. */
    public static String describe() {
        return Loaded.SELECTION.describe(override());
    }

    /** Why {@code chosen} was taken over the others: for log lines. */
    public static String explain(TransportProvider chosen) {
        return Loaded.SELECTION.explain(chosen, override());
    }

    static String override() {
        return System.getProperty(TRANSPORT_PROPERTY);
    }

    /** Loads the providers on first use, so that merely naming this class costs nothing. */
    private static final class Loaded {
        static final TransportSelection SELECTION = new TransportSelection(load());

        private static List<TransportProvider> load() {
            List<TransportProvider> providers = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Iterator<TransportProvider> it =
                    ServiceLoader.load(TransportProvider.class, TransportProvider.class.getClassLoader()).iterator();
            while (true) {
                TransportProvider provider;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    provider = it.next();
                } catch (ServiceConfigurationError e) {
                    LOG.warn("dx-reactor: skipping a transport provider that failed to load", e);
                    continue;
                }
                if (names.add(provider.name())) {
                    providers.add(provider);
                } else {
                    LOG.warn("dx-reactor: ignoring {} because a transport named '{}' was already found",
                            provider.getClass().getName(), provider.name());
                }
            }
            return providers;
        }
    }
}
