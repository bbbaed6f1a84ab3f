package dev.dxreactor.hbtp;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * State topics served to subscribers: a full snapshot plus the deltas published since, per topic.
 *
 * <pre>{@code
 * HbtpTopics topics = new HbtpTopics();
 * topics.publish(3, snapshotBytes);        // version 1: subscribers get STATE_SYNC
 * topics.publishDelta(3, deltaBytes);      // version 2: subscribers get STATE_DELTA(base 1, version 2)
 * }</pre>
 *
 * <p>A SUBSCRIBE with {@code knownVersion} is answered with the missing deltas when the history since the
 * last snapshot covers it, else with STATE_SYNC and the deltas after it. The history is bounded: at most
 * {@code maxDeltasPerSnapshot} deltas between snapshots, and {@link #publishDelta} refuses more until the
 * publisher sends a new snapshot.
 *
 * <p>A subscriber whose connection is not writable is skipped; once it drains, it is sent the current
 * state afresh instead of the backlog, so a slow client never makes the server buffer without bound.
 *
 * <p>Publishing is thread-safe. Buffers passed in are owned by the topics from then on, until {@link #close}
 * releases them.
 */
public final class HbtpTopics implements AutoCloseable {

    public static final int DEFAULT_MAX_DELTAS_PER_SNAPSHOT = 256;

    private final int maxDeltasPerSnapshot;
    private volatile Topic[] topics = new Topic[0];
    private volatile boolean closed;

    public HbtpTopics() {
        this(DEFAULT_MAX_DELTAS_PER_SNAPSHOT);
    }

    public HbtpTopics(int maxDeltasPerSnapshot) {
        if (maxDeltasPerSnapshot < 1) {
            throw new IllegalArgumentException("maxDeltasPerSnapshot must be at least 1");
        }
        this.maxDeltasPerSnapshot = maxDeltasPerSnapshot;
    }

    /**
     * Replaces the state of {@code topic} with {@code snapshot} and sends it to every subscriber.
     *
     * @return the new version
     */
    public long publish(int topic, ByteBuf snapshot) {
        return owned(topic, snapshot).publish(snapshot);
    }

    /**
     * Publishes a change against the current version and sends it to every subscriber.
     *
     * @return the new version
     * @throws IllegalStateException if the topic has no snapshot yet, or already
     *                               {@code maxDeltasPerSnapshot} deltas since its last one
     */
    public long publishDelta(int topic, ByteBuf delta) {
        return owned(topic, delta).publishDelta(delta);
    }

    /** The topic {@code bytes} go to; when there is none to take them, they are released before the throw. */
    private Topic owned(int topic, ByteBuf bytes) {
        try {
            return topic(topic);
        } catch (RuntimeException e) {
            bytes.release();
            throw e;
        }
    }

    /** The current version of {@code topic}; 0 when nothing was published. */
    public long version(int topic) {
        Topic t = find(topic);
        return t == null ? 0 : t.version();
    }

    /** Sessions subscribed to {@code topic} now. */
    public int subscriberCount(int topic) {
        Topic t = find(topic);
        return t == null ? 0 : t.subscriberCount();
    }

    /**
     * Releases every snapshot and delta held and forgets the subscribers; sessions already sent a change keep
     * it. Publishing afterwards fails (the buffer passed in is released), and a SUBSCRIBE is answered with
     * nothing. Call it once the servers using these topics have stopped; calling it again does nothing.
     */
    @Override
    public void close() {
        Topic[] table;
        synchronized (this) {
            closed = true;
            table = topics;
        }
        for (Topic t : table) {
            if (t != null) {
                t.close();
            }
        }
    }

    /** Subscriptions over all topics now. */
    public int totalSubscribers() {
        int total = 0;
        for (Topic t : topics) {
            if (t != null) {
                total += t.subscriberCount();
            }
        }
        return total;
    }

    void subscribe(HbtpServerSession session, int topic, long knownVersion) {
        if (!closed) {
            topic(topic).subscribe(session, knownVersion);
        }
    }

    void unsubscribe(HbtpServerSession session, int topic) {
        Topic t = find(topic);
        if (t != null) {
            t.unsubscribe(session);
        }
    }

    /** A subscriber that was skipped while unwritable gets the whole current state. */
    void resync(HbtpServerSession session, int topic) {
        Topic t = find(topic);
        if (t != null) {
            t.resync(session);
        }
    }

    private Topic find(int topic) {
        Topic[] table = topics;
        return topic >= 0 && topic < table.length ? table[topic] : null;
    }

    private Topic topic(int id) {
        if (id < 0 || id > 0xFFFF) {
            throw new IllegalArgumentException("topic id " + id + " is outside 0..65535");
        }
        if (closed) {
            throw new IllegalStateException("these topics are closed");
        }
        Topic t = find(id);
        if (t != null) {
            return t;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("these topics are closed");
            }
            Topic[] table = topics;
            if (id < table.length && table[id] != null) {
                return table[id];
            }
            table = Arrays.copyOf(table, Math.max(table.length, id + 1));
            t = new Topic(id);
            table[id] = t;
            topics = table;
            return t;
        }
    }

    /** One delta of the history: it turns {@code base} into {@code version}. */
    record Delta(long base, long version, ByteBuf bytes) {
    }

    /** State and subscribers of one topic; every change happens under its lock, in version order. */
    private final class Topic {
        private final int id;
        private long version;
        private long snapshotVersion;
        private ByteBuf snapshot;
        private final ArrayDeque<Delta> deltas = new ArrayDeque<>();
        private final Set<HbtpServerSession> subscribers = new LinkedHashSet<>();
        private boolean closed;

        Topic(int id) {
            this.id = id;
        }

        synchronized void close() {
            closed = true;
            if (snapshot != null) {
                snapshot.release();
                snapshot = null;
            }
            deltas.forEach(d -> d.bytes().release());
            deltas.clear();
            subscribers.clear();
        }

        /** Publishing raced {@link HbtpTopics#close}: the bytes are not kept. */
        private void refuseIfClosed(ByteBuf bytes) {
            if (closed) {
                bytes.release();
                throw new IllegalStateException("these topics are closed");
            }
        }

        synchronized long version() {
            return version;
        }

        synchronized int subscriberCount() {
            return subscribers.size();
        }

        synchronized long publish(ByteBuf newSnapshot) {
            refuseIfClosed(newSnapshot);
            version++;
            if (snapshot != null) {
                snapshot.release();
            }
            snapshot = newSnapshot;
            snapshotVersion = version;
            for (Delta d : deltas) {
                d.bytes().release();
            }
            deltas.clear();
            for (HbtpServerSession s : subscribers) {
                send(s, List.of(), true);
            }
            return version;
        }

        synchronized long publishDelta(ByteBuf delta) {
            refuseIfClosed(delta);
            if (snapshot == null) {
                delta.release();
                throw new IllegalStateException("topic " + id + " has no snapshot yet: publish one first");
            }
            if (deltas.size() >= maxDeltasPerSnapshot) {
                delta.release();
                throw new IllegalStateException("topic " + id + " already has " + maxDeltasPerSnapshot
                        + " deltas since its last snapshot: publish a snapshot");
            }
            version++;
            Delta d = new Delta(version - 1, version, delta);
            deltas.add(d);
            for (HbtpServerSession s : subscribers) {
                send(s, List.of(d), false);
            }
            return version;
        }

        synchronized void subscribe(HbtpServerSession session, long knownVersion) {
            if (closed) {
                return;
            }
            subscribers.add(session);
            if (snapshot == null || knownVersion == version) {
                return;
            }
            if (knownVersion >= snapshotVersion && knownVersion < version) {
                List<Delta> missing = new ArrayList<>();
                for (Delta d : deltas) {
                    if (d.base() >= knownVersion) {
                        missing.add(d);
                    }
                }
                send(session, missing, false);
            } else {
                send(session, List.copyOf(deltas), true);
            }
        }

        synchronized void unsubscribe(HbtpServerSession session) {
            subscribers.remove(session);
        }

        synchronized void resync(HbtpServerSession session) {
            if (subscribers.contains(session) && snapshot != null) {
                send(session, List.copyOf(deltas), true);
            }
        }

        /**
         * Queues the frames on the subscriber's event loop. Called under the lock, so every subscriber's
         * loop receives the topic's changes in version order; the buffers are retained for the task.
         */
        private void send(HbtpServerSession session, List<Delta> toSend, boolean withSnapshot) {
            ByteBuf snapshotCopy = withSnapshot ? snapshot.retainedDuplicate() : null;
            long syncVersion = snapshotVersion;
            List<Delta> retained = new ArrayList<>(toSend.size());
            for (Delta d : toSend) {
                retained.add(new Delta(d.base(), d.version(), d.bytes().retainedDuplicate()));
            }
            try {
                session.topicTask(() -> session.handler().writeTopic(id, withSnapshot, syncVersion, snapshotCopy,
                        retained));
            } catch (RejectedExecutionException e) {
                // The subscriber's event loop is gone, and the connection with it.
                if (snapshotCopy != null) {
                    snapshotCopy.release();
                }
                retained.forEach(d -> d.bytes().release());
                subscribers.remove(session);
            }
        }
    }
}
