package dev.dxreactor.dbteleport;

import dev.dxreactor.hbtp.HbtpTopics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Shared pieces of the topic bridge tests. */
final class TopicFixtures {

    private TopicFixtures() {
    }

    /** What a bridge applied, in order: one line per change, the same on every server that applied it. */
    static final class Recorder implements TopicChangeListener {
        private final List<String> changes = new ArrayList<>();

        @Override
        public synchronized void applied(int topic, long seq, TopicChangeKind kind, long version, ByteBuf payload) {
            changes.add(topic + "#" + seq + " v" + version + " " + kind + " " + text(payload));
        }

        synchronized List<String> changes() {
            return List.copyOf(changes);
        }

        /** The changes of {@code topic}, without the local version. */
        synchronized List<String> of(int topic) {
            return changes.stream().filter(c -> c.startsWith(topic + "#")).map(c -> c.replaceFirst(" v\\d+ ", " "))
                    .toList();
        }
    }

    static PgTopicBridge.Builder builder(TestDatabase db, String table, HbtpTopics topics, Recorder recorder) {
        return PgTopicBridge.builder()
                .connectionFactory(db.connectionFactory())
                .table(table)
                .channel(table)
                .topics(topics)
                .listener(recorder)
                .poolSize(4)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .healthCheckInterval(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(5));
    }

    static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    static String text(ByteBuf buf) {
        return buf.toString(StandardCharsets.UTF_8);
    }
}
