package dev.dxreactor.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportsTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxWithTheNativeJarsIoUringEpollAndNioAreAvailableBestFirst() {
        List<String> names = Transports.available().stream().map(TransportProvider::name).toList();

        assertThat(names).containsSubsequence("epoll", "nio");
        assertThat(names.getLast()).isEqualTo("nio");
        if (names.contains("io_uring")) {
            assertThat(names.getFirst()).isEqualTo("io_uring");
        }
        assertThat(Transports.describe()).contains("kqueue").contains("unavailable");
    }

    @Test
    void theSystemPropertyOverridesTheChoice() {
        String before = System.getProperty(Transports.TRANSPORT_PROPERTY);
        try {
            System.setProperty(Transports.TRANSPORT_PROPERTY, "nio");
            assertThat(Transports.best().name()).isEqualTo("nio");
            assertThat(Transports.explain(Transports.best())).startsWith("forced by -Ddx.transport=nio");

            System.setProperty(Transports.TRANSPORT_PROPERTY, "no-such-transport");
            assertThatThrownBy(Transports::best).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown transport 'no-such-transport'");
        } finally {
            if (before == null) {
                System.clearProperty(Transports.TRANSPORT_PROPERTY);
            } else {
                System.setProperty(Transports.TRANSPORT_PROPERTY, before);
            }
        }
    }

    @Test
    void anUnavailableNameFailsWithTheReason() {
        assertThatThrownBy(() -> Transports.byName("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kqueue' is unavailable")
                .hasMessageContaining("available: ");
    }

    /**
     * Runs transport selection in a class loader that holds dx-reactor and Netty's core jars but none of
     * the native transports: the optional providers must report themselves missing, not fail to load.
     */
    @Test
    void withoutTheNativeTransportJarsOnlyNioIsAvailable() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            boolean nativeTransport = name.contains("epoll") || name.contains("io_uring")
                    || name.contains("kqueue") || name.contains("unix-common");
            boolean needed = entry.endsWith("classes") && !entry.endsWith("test-classes")
                    || name.startsWith("netty-") || name.startsWith("slf4j-");
            if (needed && !nativeTransport) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> transports = Class.forName(Transports.class.getName(), true, isolated);
            String describe = (String) transports.getMethod("describe").invoke(null);
            Object best = transports.getMethod("best").invoke(null);
            String bestName = (String) best.getClass().getMethod("name").invoke(best);

            assertThat(bestName).isEqualTo("nio");
            assertThat(describe)
                    .contains("epoll", "unavailable: netty-transport-classes-epoll is not on the class path")
                    .contains("unavailable: netty-transport-classes-io_uring is not on the class path")
                    .contains("unavailable: netty-transport-classes-kqueue is not on the class path");
        }
    }
}
