package dev.dxreactor.cim;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a middleware chain; the dx-cim processor generates {@code <Name>Handler}, one final class that
 * calls every hook directly.
 *
 * <pre>{@code
 * @MiddlewareChain(value = {RateLimitMiddleware.class, CorsMiddleware.class, AuthMiddleware.class,
 *         TimingMiddleware.class}, allowedOrigins = "https://app.example.com")
 * interface ApiChain {}
 *
 * ApiChainHandler http = new ApiChainHandler(config, (context, request) -> answer(request));
 * pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), http);
 * router.routeAsync(1, new ApiChainHandler(config, call -> lookup(call.payload())));
 * }</pre>
 *
 * <p>Befores run in the declared order and afters in reverse; see {@link Middleware} for the rest of the
 * semantics.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface MiddlewareChain {

    /**
     * The middleware classes, outermost first. Each implements {@link Middleware} and has a public
     * constructor (see there); the processor reports any that does not.
     */
    Class<?>[] value();

    /**
     * Origins ({@code scheme://host[:port]}) that middleware taking an {@link OriginPolicy} (the built-in
     * {@code CorsMiddleware}) allows. They are compiled into the generated handler, not read at run time.
     */
    String[] allowedOrigins() default {};
}
