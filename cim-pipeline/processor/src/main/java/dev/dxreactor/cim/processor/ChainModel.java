package dev.dxreactor.cim.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;

import javax.lang.model.element.TypeElement;
import java.util.List;

/**
 * A checked chain: what the generator needs and nothing it would have to check again.
 *
 * @param element        the annotated type
 * @param chain          its class name
 * @param middlewares    in declared order
 * @param requestType    the most specific request type of the chain; every middleware accepts it
 * @param responseType   the most specific response type
 * @param http           whether HTTP requests and responses fit those types
 * @param hbtp           whether HBTP calls and answers fit them
 * @param allowedOrigins compiled into {@code ORIGIN_POLICY}; empty when no middleware takes an origin policy
 */
record ChainModel(TypeElement element, ClassName chain, List<MiddlewareModel> middlewares, TypeName requestType,
                  TypeName responseType, boolean http, boolean hbtp, List<String> allowedOrigins) {

    /** {@code <Chain>Handler}, top level in the chain's package (also for a nested chain). */
    ClassName handler() {
        return ClassName.get(chain.packageName(), chain.simpleName() + "Handler");
    }

    /** One middleware of the chain. */
    record MiddlewareModel(ClassName type, String field, List<Argument> constructorArguments,
                           boolean alwaysAfter, boolean responseNeedsCast) {

        String hook(String phase) {
            return type.simpleName() + "." + phase;
        }
    }

    /** What the generated constructor passes for one constructor parameter. */
    enum Argument {
        CONFIG, ORIGIN_POLICY
    }
}
