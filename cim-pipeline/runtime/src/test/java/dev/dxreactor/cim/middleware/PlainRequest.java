package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.FixedHeaders;
import dev.dxreactor.cim.Protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** A protocol-neutral request with headers and a peer address, for testing middleware on its own. */
final class PlainRequest implements CimRequest {

    private final Map<String, String> headers = new HashMap<>();
    private final SocketAddress remote;
    private String method = "GET";

    PlainRequest(String remoteIp) {
        this.remote = new InetSocketAddress(remoteIp, 40000);
    }

    PlainRequest(InetAddress remote) {
        this.remote = new InetSocketAddress(remote, 40000);
    }

    PlainRequest method(String method) {
        this.method = method;
        return this;
    }

    PlainRequest header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    @Override
    public Protocol protocol() {
        return Protocol.HTTP;
    }

    @Override
    public String header(CharSequence name) {
        return headers.get(name.toString().toLowerCase());
    }

    @Override
    public String bearerToken() {
        String value = header("authorization");
        return value != null && value.startsWith("Bearer ") ? value.substring(7) : null;
    }

    @Override
    public String origin() {
        return header("origin");
    }

    @Override
    public boolean isPreflight() {
        return method.equals("OPTIONS") && origin() != null && header("access-control-request-method") != null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String describe() {
        return "plain request";
    }

    @Override
    public Reply reply(CimStatus status, String message) {
        return new Reply(status, message);
    }

    /** What a middleware answered with. */
    static final class Reply implements CimResponse {
        final CimStatus status;
        final String message;
        final Map<String, String> headers = new LinkedHashMap<>();
        Duration retryAfter;

        Reply(CimStatus status, String message) {
            this.status = status;
            this.message = message;
        }

        @Override
        public CimStatus status() {
            return status;
        }

        @Override
        public CimResponse header(CharSequence name, CharSequence value) {
            headers.put(name.toString(), value.toString());
            return this;
        }

        @Override
        public CimResponse headers(FixedHeaders fixed) {
            fixed.forEach(this::header);
            return this;
        }

        @Override
        public CimResponse responseTime(long elapsedNanos) {
            return header("response-time", Long.toString(elapsedNanos));
        }

        @Override
        public CimResponse retryAfter(Duration delay) {
            this.retryAfter = delay;
            return this;
        }

        @Override
        public void discard() {
        }
    }
}
