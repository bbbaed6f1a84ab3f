package dev.dxreactor.cim;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a middleware whose {@link Middleware#after} wraps the whole chain: it runs on every final response,
 * after the afters of all other middlewares (which may still have replaced the response), even when a before
 * declared ahead of it short-circuited. Its before keeps its declared position. Several such middlewares run
 * their afters in reverse declared order among themselves. The built-in {@code TimingMiddleware} uses it so
 * that every response is timed, short-circuits and errors included.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AlwaysAfter {
}
