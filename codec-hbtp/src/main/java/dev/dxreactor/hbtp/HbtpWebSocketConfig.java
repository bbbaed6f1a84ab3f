package dev.dxreactor.hbtp;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * HBTP over WebSocket on a server: the HBTP settings, the path the upgrade is served on and which browser
 * origins may upgrade.
 *
 * <pre>{@code
 * HbtpWebSocketConfig ws = HbtpWebSocketConfig.builder(hbtpConfig)
 *         .path("/hbtp")
 *         .allowedOrigins(origin -> origin.equals("https://app.example.com"))
 *         .build();
 * }</pre>
 *
 * Without {@link Builder#allowedOrigins} only a page of the server's own origin may upgrade (its
 * {@code Origin} names the host and port of the request's {@code Host}); a request without {@code Origin} (not
 * from a browser) always may. The check exists because a browser lets any page open a WebSocket to any
 * server, with the user's cookies.
 */
public final class HbtpWebSocketConfig {

    public static final String DEFAULT_PATH = "/hbtp";
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final HbtpServerConfig hbtp;
    private final String path;
    private final Predicate<String> allowedOrigins;
    private final int maxMessageLength;
    private final Duration handshakeTimeout;

    private HbtpWebSocketConfig(Builder b) {
        this.hbtp = b.hbtp;
        this.path = b.path;
        this.allowedOrigins = b.allowedOrigins;
        this.maxMessageLength = WebSocketFrames.messageLimit(b.hbtp.maxFrameLength());
        this.handshakeTimeout = b.handshakeTimeout;
    }

    /** Settings for serving {@code hbtp} over WebSocket. */
    public static Builder builder(HbtpServerConfig hbtp) {
        return new Builder(hbtp);
    }

    public HbtpServerConfig hbtp() {
        return hbtp;
    }

    /** The request path the upgrade is served on (exactly; a query string is allowed). */
    public String path() {
        return path;
    }

    /**
     * The largest WebSocket message (all its fragments) taken in: 64 KiB, or one frame of the server's
     * {@code maxFrameLength} with its header when that is more. A larger one closes the connection with 1009.
     * Senders put whole frames into a message up to 64 KiB, and a larger frame alone.
     */
    public int maxMessageLength() {
        return maxMessageLength;
    }

    /** How long the upgrade may take once its request arrived. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Whether a handshake with {@code origin} (as sent) for the request's {@code host} header may upgrade. */
    boolean allows(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (allowedOrigins != null) {
            return allowedOrigins.test(origin);
        }
        return host != null && sameHost(origin, host);
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || scheme == null) {
                return false;
            }
            int defaultPort = scheme.equalsIgnoreCase("https") ? 443 : 80;
            int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
            URI requested = new URI(scheme + "://" + host);
            int requestedPort = requested.getPort() < 0 ? defaultPort : requested.getPort();
            return requested.getHost() != null && port == requestedPort
                    && uri.getHost().toLowerCase(Locale.ROOT).equals(requested.getHost().toLowerCase(Locale.ROOT));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Collects settings; {@link #build()} reports every invalid one at once. */
    public static final class Builder {
        private final HbtpServerConfig hbtp;
        private String path = DEFAULT_PATH;
        private Predicate<String> allowedOrigins;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        private Builder(HbtpServerConfig hbtp) {
            if (hbtp == null) {
                throw new NullPointerException("hbtp");
            }
            this.hbtp = hbtp;
        }

        /** The request path of the upgrade; default {@value #DEFAULT_PATH}. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /**
         * Which {@code Origin} header values may upgrade (each exactly as the browser sends it,
         * {@code scheme://host[:port]}); default: the server's own origin only. A generated CIM chain's policy
         * fits: {@code allowedOrigins(ApiChainHandler.ORIGIN_POLICY::allows)}.
         */
        public Builder allowedOrigins(Predicate<String> allowed) {
            this.allowedOrigins = allowed;
            return this;
        }

        /** How long the upgrade may take once its request arrived; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        public HbtpWebSocketConfig build() {
            List<String> errors = new ArrayList<>();
            if (path == null || !path.startsWith("/")) {
                errors.add("path = " + path + " (must start with /)");
            }
            if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
                errors.add("handshakeTimeout = " + handshakeTimeout + " (must be positive)");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid HBTP WebSocket config: " + String.join("; ", errors));
            }
            return new HbtpWebSocketConfig(this);
        }
    }
}
