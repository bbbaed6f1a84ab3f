package dev.dxreactor.cim;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a middleware whose {@link Middleware#after} runs on every response of the chain, in its reverse
 * position, even when a before declared ahead of it short-circuited (its own before did not run then).
 * The built-in {@code TimingMiddleware} uses it so that rejected requests are timed too.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AlwaysAfter {
}
