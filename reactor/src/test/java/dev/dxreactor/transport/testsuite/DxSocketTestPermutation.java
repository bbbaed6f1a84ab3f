package dev.dxreactor.transport.testsuite;

import dev.dxreactor.reactor.DxReactor;
import dev.dxreactor.reactor.WorkerStrategy;
import dev.dxreactor.transport.TransportProvider;
import dev.dxreactor.transport.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.SocketTestPermutation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Netty's socket test permutations built from {@link Transports#available()}: every transport this
 * machine offers runs Netty's own suite, each through a {@link DxReactor}. A new transport joins by being
 * on the test class path.
 *
 * <p>Pairs: each transport with itself, and each native transport against NIO in both directions, so
 * that both ends of a connection are checked against a reference implementation.
 *
 * <p>The system property {@value #TRANSPORTS_PROPERTY} (a comma-separated list of names) narrows the
 * transports, so that a transport module runs the suite on its own transport and the NIO reference only.
 *
 * <p>Servers and clients run on separate reactors of the same transport. Some of Netty's tests block an
 * event loop on purpose until the other end acts; with one shared group, least-loaded placement may put
 * both ends on the same thread and the test waits for itself.
 */
final class DxSocketTestPermutation extends SocketTestPermutation {

    static final DxSocketTestPermutation INSTANCE = new DxSocketTestPermutation();

    static final String TRANSPORTS_PROPERTY = "dx.testsuite.transports";

    private static final String REFERENCE = "nio";

    private final Map<String, DxReactor> servers = new LinkedHashMap<>();
    private final Map<String, DxReactor> clients = new LinkedHashMap<>();

    private DxSocketTestPermutation() {
        Set<String> wanted = wantedTransports();
        for (TransportProvider transport : Transports.available()) {
            if (!wanted.isEmpty() && !wanted.contains(transport.name())) {
                continue;
            }
            servers.put(transport.name(), newReactor(transport));
            clients.put(transport.name(), newReactor(transport));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            servers.values().forEach(DxReactor::close);
            clients.values().forEach(DxReactor::close);
        }));
    }

    private static Set<String> wantedTransports() {
        String names = System.getProperty(TRANSPORTS_PROPERTY, "").trim();
        if (names.isEmpty()) {
            return Set.of();
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : names.split(",")) {
            wanted.add(name.trim());
        }
        for (String name : wanted) {
            if (Transports.available().stream().noneMatch(t -> t.name().equals(name))) {
                throw new IllegalStateException(TRANSPORTS_PROPERTY + " names '" + name
                        + "', which is not available here: " + Transports.describe());
            }
        }
        return wanted;
    }

    private static DxReactor newReactor(TransportProvider transport) {
        return DxReactor.builder().transport(transport.name()).workers(WorkerStrategy.fixed(2)).build();
    }

    @Override
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socket() {
        List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> combos = new ArrayList<>();
        for (String server : servers.keySet()) {
            for (String client : clients.keySet()) {
                if (server.equals(client) || server.equals(REFERENCE) || client.equals(REFERENCE)) {
                    combos.add(combo(server, client));
                }
            }
        }
        return combos;
    }

    /** {@link #socket()} without the pairs that have any of {@code transports} at either end. */
    List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socketWithout(String... transports) {
        return socket().stream()
                .filter(combo -> java.util.Arrays.stream(transports).noneMatch(t -> combo.toString().contains(t + " ")))
                .toList();
    }

    @Override
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socketWithFastOpen() {
        return socket();
    }

    @Override
    public List<BootstrapFactory<ServerBootstrap>> serverSocket() {
        List<BootstrapFactory<ServerBootstrap>> factories = new ArrayList<>();
        for (DxReactor reactor : servers.values()) {
            factories.add(named(reactor.transport().name(), reactor::serverBootstrap));
        }
        return factories;
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> clientSocket() {
        List<BootstrapFactory<Bootstrap>> factories = new ArrayList<>();
        for (DxReactor reactor : clients.values()) {
            factories.add(named(reactor.transport().name(), reactor::bootstrap));
        }
        return factories;
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> clientSocketWithFastOpen() {
        return clientSocket();
    }

    private BootstrapComboFactory<ServerBootstrap, Bootstrap> combo(String server, String client) {
        DxReactor serverReactor = servers.get(server);
        DxReactor clientReactor = clients.get(client);
        return new BootstrapComboFactory<>() {
            @Override
            public ServerBootstrap newServerInstance() {
                return serverReactor.serverBootstrap();
            }

            @Override
            public Bootstrap newClientInstance() {
                return clientReactor.bootstrap();
            }

            @Override
            public String toString() {
                return server + " server + " + client + " client";
            }
        };
    }

    private static <B extends io.netty.bootstrap.AbstractBootstrap<?, ?>> BootstrapFactory<B> named(
            String name, java.util.function.Supplier<B> supplier) {
        return new BootstrapFactory<>() {
            @Override
            public B newInstance() {
                return supplier.get();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
