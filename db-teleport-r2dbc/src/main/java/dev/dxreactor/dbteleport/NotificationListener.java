package dev.dxreactor.dbteleport;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * The one connection that runs {@code LISTEN}: opened directly from the factory, never from the pool
 * (notifications belong to a session, and a pool's validation or reset would drop the registration).
 *
 * <p>The notification stream is subscribed with unbounded demand before {@code LISTEN} is sent: the
 * driver's stream drops what nobody is subscribed for and fails a subscriber that cannot keep up. Only
 * once {@code LISTEN} has completed (it runs in auto-commit, so it is committed) does
 * {@link Events#listening()} fire. Any error of the stream, an unexpected end of it, a failed periodic
 * {@code SELECT 1} or a failed connect fires {@link Events#lost} at once, closes the connection and tries
 * again after an exponential backoff with jitter, until {@link #close()}.
 *
 * <p>A session moves CONNECTING &rarr; LISTENING &rarr; ENDED (or straight to ENDED). Its two events and
 * {@link #close()} take one lock, so they are totally ordered: {@link Events#listening()} is never told after
 * the session's {@link Events#lost} nor after {@code close()} began, whatever threads the driver completes
 * {@code LISTEN} and the failure on.
 */
final class NotificationListener implements AutoCloseable {

    /** What the listener tells its owner; called from the driver's threads, one session at a time. */
    interface Events {
        /** A notification on the channel arrived with {@code payload} (for the cache: the table that changed). */
        void notified(String payload);

        /** {@code LISTEN} is in force on a new connection: nothing sent from now on is missed. */
        void listening();

        /** Notifications may be missed from now on until the next {@link #listening()}. */
        void lost(Throwable cause);
    }

    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);

    private final ConnectionFactory factory;
    private final String channel;
    private final Backoff backoff;
    private final Duration connectTimeout;
    private final Duration healthInterval;
    private final Events events;

    /** Orders close() and each session's transitions, and with them the listening and lost events. */
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile Session current;

    /**
     * @param healthInterval how often {@code SELECT 1} checks the connection ({@code Duration.ZERO}: never);
     *                       it also bounds how long a silently dead connection goes unnoticed
     */
    NotificationListener(ConnectionFactory factory, String channel, Backoff backoff, Duration connectTimeout,
                         Duration healthInterval, Events events) {
        this.factory = factory;
        this.channel = TriggerSql.checkChannel(channel);
        this.backoff = backoff;
        this.connectTimeout = connectTimeout;
        this.healthInterval = healthInterval;
        this.events = events;
    }

    /** Connects in the background; {@link Events#listening()} tells when it is done. */
    void start() {
        connect();
    }

    /** Whether {@code LISTEN} is in force right now. */
    boolean isListening() {
        Session session = current;
        return session != null && session.state == State.LISTENING;
    }

    /** The backend process id of the listening connection (what {@code pg_terminate_backend} takes), or 0. */
    int backendPid() {
        Session session = current;
        return session == null ? 0 : session.pid;
    }

    private void connect() {
        Session session = open();
        if (session == null) {
            return;
        }
        Mono.from(factory.create())
                .flatMap(connection -> listen(session, connection))
                .timeout(connectTimeout)
                .subscribe(ignored -> onListening(session), error -> end(session, error));
    }

    private Mono<Boolean> listen(Session session, Connection connection) {
        session.connection = connection;
        if (!(connection instanceof PostgresqlConnection pg)) {
            return Mono.error(new IllegalStateException("the listener needs an r2dbc-postgresql connection, got "
                    + connection.getClass().getName()));
        }
        if (closed) {
            return Mono.error(new IllegalStateException("closed"));
        }
        session.resources.add(pg.getNotifications().subscribe(
                notification -> {
                    String table = notification.getParameter();
                    if (table != null) {
                        events.notified(table);
                    }
                },
                error -> end(session, error),
                () -> end(session, new IllegalStateException("the notification stream ended"))));
        return Flux.from(pg.createStatement("SELECT pg_backend_pid()").execute())
                .concatMap(result -> result.map((row, metadata) -> row.get(0, Integer.class)))
                .doOnNext(pid -> session.pid = pid)
                .thenMany(Flux.from(pg.createStatement("LISTEN " + Identifiers.quote(channel)).execute())
                        .concatMap(PostgresqlResult::getRowsUpdated))
                .then(Mono.just(true));
    }

    /** A new session, now the current one; {@code null} once closed. */
    Session open() {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            Session session = new Session();
            current = session;
            return session;
        }
    }

    /**
     * {@code LISTEN} completed on {@code session}'s connection: tells the owner, unless the session ended or
     * {@link #close()} began first, which then wins and the session is ended without a word.
     */
    void onListening(Session session) {
        synchronized (lock) {
            if (session.state != State.CONNECTING) {
                return;
            }
            if (!closed) {
                session.state = State.LISTENING;
                backoff.reset();
                events.listening();
            }
        }
        if (closed) {
            // close() began meanwhile and may not have ended this session yet; ending it twice is harmless.
            end(session, new IllegalStateException("closed"));
            return;
        }
        if (!healthInterval.isZero()) {
            session.resources.add(Flux.interval(healthInterval)
                    .concatMap(tick -> Flux.from(session.connection.createStatement("SELECT 1").execute())
                            .concatMap(result -> result.map((row, metadata) -> 1))
                            .then()
                            .timeout(connectTimeout))
                    .subscribe(null, error -> end(session, error)));
        }
    }

    /**
     * The session is over: tell the owner (once, and not after close()), close its connection and, unless
     * closed, try again later.
     */
    void end(Session session, Throwable cause) {
        boolean retry;
        synchronized (lock) {
            if (session.state == State.ENDED) {
                return;
            }
            session.state = State.ENDED;
            retry = !closed;
            if (retry) {
                events.lost(cause);
            }
        }
        // A health check added after this is disposed by the composite itself.
        session.resources.dispose();
        Connection connection = session.connection;
        if (connection != null) {
            Mono.from(connection.close()).onErrorComplete().subscribe();
        }
        if (!retry) {
            return;
        }
        Duration delay = backoff.next();
        LOG.warn("LISTEN {} lost ({}); reconnecting in {} ms", channel, cause.toString(), delay.toMillis());
        Mono.delay(delay).subscribe(tick -> connect());
    }

    /**
     * Stops listening and reconnecting; the connection is closed in the background. Once this has begun,
     * {@link Events#listening()} is never told again.
     */
    @Override
    public void close() {
        Session session;
        synchronized (lock) {
            closed = true;
            session = current;
        }
        if (session != null) {
            end(session, new IllegalStateException("closed"));
        }
    }

    private enum State { CONNECTING, LISTENING, ENDED }

    /** One connection's lifetime; its state changes only under the listener's lock. */
    static final class Session {
        final Disposable.Composite resources = Disposables.composite();
        volatile State state = State.CONNECTING;
        volatile Connection connection;
        volatile int pid;
    }
}
