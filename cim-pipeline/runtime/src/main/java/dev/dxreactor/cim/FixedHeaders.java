package dev.dxreactor.cim;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.BiConsumer;

/**
 * Response headers whose names and values are known when a middleware is built (CORS answers, for example),
 * checked once then and set on each response with {@link CimResponse#headers}, in order. Over HTTP that skips
 * the per-header work Netty does for {@link HttpHeaders#set}: names and values are validated here once against
 * Netty's default rules, and on a response whose headers use those rules (any response made with Netty's
 * default header factory) they are copied in with their hashes, without being validated or hashed again.
 * Immutable; share one instance.
 */
public final class FixedHeaders {

    private final HttpHeaders http;
    private final List<AsciiString> distinctNames;

    private FixedHeaders(HttpHeaders http, List<AsciiString> distinctNames) {
        this.http = http;
        this.distinctNames = distinctNames;
    }

    /**
     * Headers from alternating names and values ({@code "Vary", "Origin", ...}), in that order.
     *
     * @throws IllegalArgumentException when there is no pair, a name lacks its value, or a name or value is not
     *                                  allowed in an HTTP header (Netty's rules)
     */
    public static FixedHeaders of(String... namesAndValues) {
        Objects.requireNonNull(namesAndValues, "namesAndValues");
        if (namesAndValues.length == 0 || namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("FixedHeaders needs names and values in pairs, got "
                    + namesAndValues.length + " strings");
        }
        HttpHeaders http = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        List<AsciiString> names = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            AsciiString name = AsciiString.of(Objects.requireNonNull(namesAndValues[i], "header name"));
            AsciiString value = AsciiString.of(Objects.requireNonNull(namesAndValues[i + 1], "value of " + name));
            try {
                http.add(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("FixedHeaders: header " + name + ": " + e.getMessage(), e);
            }
            if (names.stream().noneMatch(name::contentEqualsIgnoreCase)) {
                names.add(name);
            }
        }
        return new FixedHeaders(http, List.copyOf(names));
    }

    /**
     * Sets these headers on {@code headers}: every earlier value of each of their names is removed, then they are
     * all added in order (as {@link HttpHeaders#set} one by one would leave them, except that a name listed twice
     * here keeps both values).
     */
    public void setOn(HttpHeaders headers) {
        for (AsciiString name : distinctNames) {
            headers.remove(name);
        }
        headers.add(http);
    }

    /** Calls {@code action} with each name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (Map.Entry<String, String> header : http) {
            action.accept(header.getKey(), header.getValue());
        }
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "FixedHeaders[", "]");
        forEach((name, value) -> text.add(name + ": " + value));
        return text.toString();
    }
}
