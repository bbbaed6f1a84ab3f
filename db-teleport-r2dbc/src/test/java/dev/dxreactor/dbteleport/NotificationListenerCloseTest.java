package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener's session transitions driven in a fixed order on one thread, as the driver's callbacks could
 * arrive: {@code close()} and a loss always win over a {@code LISTEN} that completes after them. Nothing is
 * started, so no connection is made; the reconnect delay is longer than any test.
 */
class NotificationListenerCloseTest {

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final NotificationListener listener = new NotificationListener(TestDatabase.get().connectionFactory(),
            TestDatabase.unique("ch"), new Backoff(Duration.ofHours(1), Duration.ofHours(1)), Duration.ofSeconds(5),
            Duration.ZERO, new NotificationListener.Events() {
                @Override
                public void notified(String table) {
                    heard.add("notified " + table);
                }

                @Override
                public void listening() {
                    heard.add("listening");
                }

                @Override
                public void lost(Throwable cause) {
                    heard.add("lost");
                }
            });

    @AfterEach
    void close() {
        listener.close();
    }

    @Test
    void aListenThatCompletesAfterCloseIsNeverReported() {
        NotificationListener.Session session = listener.open();
        listener.close();
        listener.onListening(session);

        assertThat(heard).isEmpty();
        assertThat(listener.isListening()).isFalse();
        assertThat(listener.open()).as("no session after close").isNull();
    }

    @Test
    void aListenThatCompletesAfterItsSessionWasLostIsNeverReported() {
        NotificationListener.Session session = listener.open();
        listener.end(session, new IllegalStateException("connection reset"));
        listener.onListening(session);

        assertThat(heard).containsExactly("lost");
        assertThat(listener.isListening()).isFalse();
    }

    @Test
    void closingAListeningSessionEndsItWithoutALossAndNothingFollows() {
        NotificationListener.Session session = listener.open();
        listener.onListening(session);
        assertThat(listener.isListening()).isTrue();

        listener.close();
        listener.onListening(session);
        listener.end(session, new IllegalStateException("late failure"));

        assertThat(heard).containsExactly("listening");
        assertThat(listener.isListening()).isFalse();
    }

    @Test
    void aSessionIsReportedListeningAtMostOnce() {
        NotificationListener.Session session = listener.open();
        listener.onListening(session);
        listener.onListening(session);

        assertThat(heard).containsExactly("listening");
    }
}
