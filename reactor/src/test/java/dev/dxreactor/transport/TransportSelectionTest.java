package dev.dxreactor.transport;

import dev.dxreactor.reactor.ReactorConfig;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportSelectionTest {

    record Fake(String name, int priority, boolean available) implements TransportProvider {
        @Override
        public boolean isAvailable() {
            return available;
        }

        @Override
        public Throwable unavailabilityCause() {
            return available ? null : new UnsupportedOperationException(name + " needs a newer kernel");
        }

        @Override
        public IoHandlerFactory ioHandlerFactory(ReactorConfig config) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Class<? extends ServerSocketChannel> serverSocketChannelClass() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Class<? extends SocketChannel> socketChannelClass() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<String> supportedOptions() {
            return Set.of();
        }
    }

    @Property(tries = 200)
    void bestIsTheHighestPriorityAvailableProvider(@ForAll("providers") List<Fake> providers) {
        TransportSelection selection = new TransportSelection(providers);
        List<Fake> available = providers.stream().filter(Fake::available).toList();

        if (available.isEmpty()) {
            assertThatThrownBy(() -> selection.best(null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no transport is available");
            return;
        }
        TransportProvider best = selection.best(null);
        assertThat(best.isAvailable()).isTrue();
        int topPriority = available.stream().mapToInt(Fake::priority).max().orElseThrow();
        assertThat(best.priority()).isEqualTo(topPriority);
        assertThat(selection.available()).isSortedAccordingTo(
                Comparator.comparingInt(TransportProvider::priority).reversed());
        assertThat(selection.available()).containsExactlyInAnyOrderElementsOf(available);
    }

    @Property(tries = 200)
    void theOverrideNamesTheProviderWhenItIsAvailable(@ForAll("providers") List<Fake> providers,
                                                      @ForAll("index") int pick) {
        TransportSelection selection = new TransportSelection(providers);
        Fake named = providers.get(pick % providers.size());

        if (named.available()) {
            assertThat(selection.best(named.name())).isSameAs(named);
            assertThat(selection.explain(named, named.name())).startsWith("forced by -Ddx.transport=" + named.name());
        } else {
            assertThatThrownBy(() -> selection.best(named.name()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + named.name() + "' is unavailable: " + named.name()
                            + " needs a newer kernel")
                    .hasCauseInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Property(tries = 100)
    void aBlankOverrideMeansNoOverride(@ForAll("providers") List<Fake> providers) {
        TransportSelection selection = new TransportSelection(providers);
        if (providers.stream().anyMatch(Fake::available)) {
            assertThat(selection.best("  ")).isSameAs(selection.best(null));
        }
    }

    @Test
    void anUnknownNameListsWhatIsAvailableAndWhatIsNot() {
        TransportSelection selection = new TransportSelection(List.of(
                new Fake("nio", 100, true), new Fake("epoll", 300, true), new Fake("kqueue", 300, false)));

        assertThatThrownBy(() -> selection.byName("iouring"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dx-reactor: unknown transport 'iouring'; available: epoll, nio;"
                        + " found but unavailable: kqueue");
    }

    @Test
    void explainSaysWhyBetterProvidersWereNotChosen() {
        Fake uring = new Fake("io_uring", 400, false);
        Fake epoll = new Fake("epoll", 300, true);
        Fake nio = new Fake("nio", 100, true);
        TransportSelection selection = new TransportSelection(List.of(nio, uring, epoll));

        assertThat(selection.explain(selection.best(null), null))
                .isEqualTo("best of epoll, nio; io_uring unavailable: io_uring needs a newer kernel");
    }

    @Test
    void describeListsEveryProviderWithItsState() {
        TransportSelection selection = new TransportSelection(List.of(
                new Fake("nio", 100, true), new Fake("kqueue", 300, false)));

        assertThat(selection.describe(null)).isEqualTo("""
                dx-reactor transports (best first):
                  kqueue  priority 300  unavailable: kqueue needs a newer kernel
                  nio     priority 100  available""");
    }

    @Provide
    Arbitrary<List<Fake>> providers() {
        Arbitrary<Fake> fake = Combinators.combine(
                        Arbitraries.integers().between(0, 1000),
                        Arbitraries.of(true, false))
                .as((priority, available) -> new Fake("", priority, available));
        return fake.list().ofMinSize(1).ofMaxSize(8).map(list -> {
            // Names must be unique, as the service loading guarantees.
            return java.util.stream.IntStream.range(0, list.size())
                    .mapToObj(i -> new Fake("t" + i, list.get(i).priority(), list.get(i).available()))
                    .toList();
        });
    }

    @Provide
    Arbitrary<Integer> index() {
        return Arbitraries.integers().between(0, 1000);
    }
}
