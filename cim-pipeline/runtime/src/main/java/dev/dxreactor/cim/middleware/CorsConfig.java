package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.ConfigProblems;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link CorsMiddleware} answers allowed origins with. The allowed origins themselves are fixed at compile
 * time ({@link dev.dxreactor.cim.MiddlewareChain#allowedOrigins()}).
 *
 * @param allowedMethods  {@code Access-Control-Allow-Methods} of preflight answers
 * @param allowedHeaders  {@code Access-Control-Allow-Headers} of preflight answers
 * @param maxAge          {@code Access-Control-Max-Age} of preflight answers
 * @param allowCredentials whether to send {@code Access-Control-Allow-Credentials: true}
 */
public record CorsConfig(List<String> allowedMethods, List<String> allowedHeaders, Duration maxAge,
                         boolean allowCredentials) {

    public CorsConfig {
        allowedMethods = List.copyOf(Objects.requireNonNull(allowedMethods, "allowedMethods"));
        allowedHeaders = List.copyOf(Objects.requireNonNull(allowedHeaders, "allowedHeaders"));
        Objects.requireNonNull(maxAge, "maxAge");
        new ConfigProblems("CorsConfig")
                .check(!allowedMethods.isEmpty(), "allowedMethods is empty")
                .check(allowedMethods.stream().allMatch(CorsConfig::isToken), "allowedMethods " + allowedMethods
                        + " has an entry that is not an HTTP token")
                .check(allowedHeaders.stream().allMatch(CorsConfig::isToken), "allowedHeaders " + allowedHeaders
                        + " has an entry that is not an HTTP token")
                .check(!maxAge.isNegative(), "maxAge " + maxAge + " is negative")
                .throwIfAny();
    }

    /** GET, POST, PUT, DELETE, PATCH; headers Authorization and Content-Type; max age 10 minutes; no credentials. */
    public static CorsConfig defaults() {
        return new CorsConfig(List.of("GET", "POST", "PUT", "DELETE", "PATCH"),
                List.of("Authorization", "Content-Type"), Duration.ofMinutes(10), false);
    }

    private static boolean isToken(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
    }
}
