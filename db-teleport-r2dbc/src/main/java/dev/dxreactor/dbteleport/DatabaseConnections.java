package dev.dxreactor.dbteleport;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;

import java.time.Duration;
import java.util.Objects;

/**
 * How the cache and the topic bridge reach PostgreSQL: a pool for queries and a direct connection for
 * {@code LISTEN}, with the listener's reconnect and health-check timing. Both builders fill one of these, so each
 * setting has one check and one meaning; {@link #open} then decides which factory serves what.
 */
final class DatabaseConnections {

    private ConnectionFactory factory;
    private ConnectionFactory listenerFactory;
    private int poolSize;
    private Duration backoffInitial = Duration.ofMillis(50);
    private Duration backoffMax = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration healthCheckInterval = Duration.ofSeconds(5);

    DatabaseConnections(int defaultPoolSize) {
        this.poolSize = defaultPoolSize;
    }

    void factory(ConnectionFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    void listenerFactory(ConnectionFactory factory) {
        if (factory instanceof ConnectionPool) {
            throw new IllegalArgumentException("the listener needs a direct connection, not one from a pool: "
                    + "a pool's validation or reset drops the LISTEN registration");
        }
        this.listenerFactory = Objects.requireNonNull(factory, "factory");
    }

    void poolSize(int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        }
        this.poolSize = poolSize;
    }

    void reconnectBackoff(Duration initial, Duration max) {
        new Backoff(initial, max);
        this.backoffInitial = initial;
        this.backoffMax = max;
    }

    void connectTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
        }
        this.connectTimeout = timeout;
    }

    void healthCheckInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("healthCheckInterval must not be negative, got " + interval);
        }
        this.healthCheckInterval = interval;
    }

    /** A fresh backoff with the configured timing (each user keeps its own attempt count). */
    Backoff newBackoff() {
        return new Backoff(backoffInitial, backoffMax);
    }

    /**
     * The factories to use. A given pool serves queries as it is and the listener connects through the factory
     * it wraps; any other factory gets a pool of {@link #poolSize} that the caller owns and closes.
     *
     * @throws IllegalArgumentException when no connection factory was set
     */
    Opened open() {
        if (factory == null) {
            throw new IllegalArgumentException("connectionFactory is required");
        }
        ConnectionFactory queries;
        ConnectionPool ownedPool;
        ConnectionFactory direct;
        if (factory instanceof ConnectionPool given) {
            queries = given;
            ownedPool = null;
            direct = given.unwrap();
        } else {
            ownedPool = new ConnectionPool(ConnectionPoolConfiguration.builder(factory)
                    .maxSize(poolSize).initialSize(0).build());
            queries = ownedPool;
            direct = factory instanceof Wrapped<?> w && w.unwrap() instanceof ConnectionFactory f ? f : factory;
        }
        return new Opened(queries, ownedPool, listenerFactory != null ? listenerFactory : direct);
    }

    /** A listener on {@code channel} that hands notifications to {@code handler}, with this timing. */
    NotificationListener newListener(Opened opened, String channel, NotificationListener.Events handler) {
        return new NotificationListener(opened.listener(), channel, newBackoff(), connectTimeout,
                healthCheckInterval, handler);
    }

    /**
     * @param queries   where queries run
     * @param ownedPool the pool created here, for the caller to close; {@code null} when the pool was given
     * @param listener  where the {@code LISTEN} connection comes from
     */
    record Opened(ConnectionFactory queries, ConnectionPool ownedPool, ConnectionFactory listener) {
    }
}
