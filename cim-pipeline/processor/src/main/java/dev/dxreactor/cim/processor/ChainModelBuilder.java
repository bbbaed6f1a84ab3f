package dev.dxreactor.cim.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.dxreactor.cim.processor.ChainModel.Argument;
import dev.dxreactor.cim.processor.ChainModel.MiddlewareModel;

import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks an annotated chain and builds its {@link ChainModel}, reporting every problem it finds (not just the
 * first) as a compile error on the chain.
 */
final class ChainModelBuilder {

    private final Types types;
    private final Elements elements;
    private final Messager messager;
    private final TypeElement middleware;
    private final TypeMirror config;
    private final TypeMirror originPolicy;

    ChainModelBuilder(ProcessingEnvironment env) {
        this.types = env.getTypeUtils();
        this.elements = env.getElementUtils();
        this.messager = env.getMessager();
        this.middleware = elements.getTypeElement(Names.MIDDLEWARE);
        this.config = typeOf(Names.CIM_CONFIG);
        this.originPolicy = typeOf(Names.ORIGIN_POLICY);
    }

    /** The model, or {@code null} when the chain has errors (already reported). */
    ChainModel build(TypeElement chain, AnnotationMirror annotation) {
        List<String> problems = new ArrayList<>();
        if (chain.getModifiers().contains(Modifier.PRIVATE)) {
            problems.add(chain.getSimpleName() + " is private; its generated handler, a top-level class of the same"
                    + " package, could not refer to it");
        }
        List<TypeMirror> declared = classes(annotation, "value");
        List<String> origins = strings(annotation, "allowedOrigins");
        if (declared.isEmpty()) {
            problems.add("@MiddlewareChain lists no middleware");
        }

        List<MiddlewareModel> models = new ArrayList<>();
        List<TypeMirror> requestTypes = new ArrayList<>();
        List<TypeMirror> responseTypes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> fields = new HashSet<>();
        boolean takesOrigins = false;
        for (int i = 0; i < declared.size(); i++) {
            TypeMirror type = declared.get(i);
            String name = type.toString();
            if (!seen.add(name)) {
                problems.add(name + " is listed more than once; each middleware may appear once in a chain");
                continue;
            }
            DeclaredType middlewareType = middlewareSupertype(type);
            if (middlewareType == null) {
                problems.add(name + " is not a " + Names.MIDDLEWARE + " (it must implement Middleware<Q, R>)");
                continue;
            }
            TypeElement element = (TypeElement) types.asElement(type);
            if (element.getModifiers().contains(Modifier.ABSTRACT) || element.getKind() != ElementKind.CLASS) {
                problems.add(name + " cannot be instantiated: it must be a concrete class");
                continue;
            }
            if (!element.getTypeParameters().isEmpty()) {
                problems.add(name + " is generic; a chain needs concrete middleware types");
                continue;
            }
            List<? extends TypeMirror> arguments = middlewareType.getTypeArguments();
            if (arguments.size() != 2 || arguments.stream().anyMatch(a -> a.getKind() != TypeKind.DECLARED)) {
                problems.add(name + " must implement Middleware with concrete request and response types, not "
                        + middlewareType);
                continue;
            }
            List<Argument> constructor = usableConstructor(element);
            if (constructor == null) {
                problems.add(name + " has no usable constructor: it needs a public constructor whose parameters"
                        + " are any of CimConfig and OriginPolicy (or none)");
                continue;
            }
            takesOrigins |= constructor.contains(Argument.ORIGIN_POLICY);
            requestTypes.add(arguments.get(0));
            responseTypes.add(arguments.get(1));
            String field = decapitalize(element.getSimpleName().toString());
            if (!fields.add(field)) {
                field = field + (i + 1);
                fields.add(field);
            }
            models.add(new MiddlewareModel(ClassName.get(element), field, constructor,
                    hasAnnotation(element, Names.ALWAYS_AFTER), false));
        }

        TypeMirror request = mostSpecific(requestTypes, models, "request", problems);
        TypeMirror response = mostSpecific(responseTypes, models, "response", problems);
        boolean http = false;
        boolean hbtp = false;
        if (request != null && response != null) {
            http = fits(Names.HTTP_EXCHANGE, request) && fits(Names.HTTP_RESPONSE, response);
            hbtp = fits(Names.HBTP_EXCHANGE, request) && fits(Names.HBTP_RESPONSE, response);
            if (!http && !hbtp) {
                problems.add("the chain's request and response types (" + request + ", " + response
                        + ") fit neither HTTP (HttpCimRequest, HttpCimResponse) nor HBTP (HbtpCimRequest, HbtpCimResponse)");
            }
        }
        checkOrigins(origins, takesOrigins, problems);
        checkCorsBeforeAuth(models, problems);

        if (!problems.isEmpty()) {
            for (String problem : problems) {
                messager.printMessage(Diagnostic.Kind.ERROR, problem, chain, annotation);
            }
            return null;
        }
        List<MiddlewareModel> withCasts = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            MiddlewareModel m = models.get(i);
            boolean cast = !types.isSameType(types.erasure(responseTypes.get(i)), types.erasure(response));
            withCasts.add(new MiddlewareModel(m.type(), m.field(), m.constructorArguments(), m.alwaysAfter(), cast));
        }
        return new ChainModel(chain, ClassName.get(chain), withCasts, TypeName.get(request), TypeName.get(response),
                http, hbtp, takesOrigins ? origins : List.of());
    }

    /** The {@code Middleware<Q, R>} that {@code type} implements, or {@code null}. */
    private DeclaredType middlewareSupertype(TypeMirror type) {
        if (type.getKind() != TypeKind.DECLARED) {
            return null;
        }
        DeclaredType declared = (DeclaredType) type;
        if (declared.asElement().equals(middleware)) {
            return declared;
        }
        for (TypeMirror supertype : types.directSupertypes(type)) {
            DeclaredType found = middlewareSupertype(supertype);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The arguments of the public constructor with the most supported parameters, or {@code null}. */
    private List<Argument> usableConstructor(TypeElement element) {
        List<Argument> best = null;
        for (ExecutableElement constructor : ElementFilter.constructorsIn(element.getEnclosedElements())) {
            if (!constructor.getModifiers().contains(Modifier.PUBLIC)) {
                continue;
            }
            List<Argument> arguments = new ArrayList<>();
            for (VariableElement parameter : constructor.getParameters()) {
                TypeMirror t = parameter.asType();
                if (types.isSameType(t, config)) {
                    arguments.add(Argument.CONFIG);
                } else if (types.isSameType(t, originPolicy)) {
                    arguments.add(Argument.ORIGIN_POLICY);
                } else {
                    arguments = null;
                    break;
                }
            }
            if (arguments != null && (best == null || arguments.size() > best.size())) {
                best = arguments;
            }
        }
        return best;
    }

    /** The type every one of {@code candidates} is a supertype of, reporting the pair that conflicts. */
    private TypeMirror mostSpecific(List<TypeMirror> candidates, List<MiddlewareModel> models, String what,
                                    List<String> problems) {
        if (candidates.isEmpty()) {
            return null;
        }
        TypeMirror best = candidates.get(0);
        int bestAt = 0;
        for (int i = 1; i < candidates.size(); i++) {
            TypeMirror next = candidates.get(i);
            if (types.isAssignable(next, best)) {
                best = next;
                bestAt = i;
            } else if (!types.isAssignable(best, next)) {
                problems.add("incompatible " + what + " types: " + models.get(bestAt).type().simpleName()
                        + " takes " + best + " but " + models.get(i).type().simpleName() + " takes " + next
                        + "; one chain needs one " + what + " type that every middleware accepts");
                return null;
            }
        }
        return best;
    }

    private boolean fits(ClassName runtimeType, TypeMirror chainType) {
        TypeMirror t = typeOf(runtimeType);
        return t != null && types.isAssignable(t, chainType);
    }

    private static void checkOrigins(List<String> origins, boolean takesOrigins, List<String> problems) {
        if (takesOrigins && origins.isEmpty()) {
            problems.add("a middleware of this chain takes an OriginPolicy (CorsMiddleware) but allowedOrigins is empty;"
                    + " list the allowed origins in @MiddlewareChain(allowedOrigins = ...)");
        }
        if (!takesOrigins && !origins.isEmpty()) {
            problems.add("allowedOrigins is set but no middleware of this chain takes an OriginPolicy; add CorsMiddleware"
                    + " or drop allowedOrigins");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String origin : origins) {
            if (!isOrigin(origin)) {
                problems.add("allowed origin \"" + origin + "\" is not of the form scheme://host[:port] (lower case,"
                        + " no path, no trailing slash)");
            } else if (!unique.add(origin)) {
                problems.add("allowed origin \"" + origin + "\" is listed twice");
            }
        }
    }

    /**
     * Browsers send a CORS preflight without credentials, and {@code AuthMiddleware} makes no exception for
     * it (an exception would let any request through that only looks like one); so the preflight must meet
     * {@code CorsMiddleware} first, or every cross-origin call with a preflight would fail with 401.
     */
    private static void checkCorsBeforeAuth(List<MiddlewareModel> models, List<String> problems) {
        int auth = indexOf(models, Names.AUTH_MIDDLEWARE);
        int cors = indexOf(models, Names.CORS_MIDDLEWARE);
        if (auth >= 0 && cors > auth) {
            problems.add("CorsMiddleware is listed after AuthMiddleware: browsers send CORS preflights without"
                    + " credentials, so AuthMiddleware would refuse them (401) before CorsMiddleware could answer;"
                    + " list CorsMiddleware before AuthMiddleware");
        }
    }

    private static int indexOf(List<MiddlewareModel> models, ClassName type) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).type().equals(type)) {
                return i;
            }
        }
        return -1;
    }

    /** A serialized origin as browsers send it: lower-case scheme and host, optional port, nothing else. */
    static boolean isOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            return uri.getScheme() != null && uri.getHost() != null && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null
                    && origin.equals(origin.toLowerCase(Locale.ROOT))
                    && origin.equals(uri.getScheme() + "://" + uri.getRawAuthority());
        } catch (Exception e) {
            return false;
        }
    }

    private List<TypeMirror> classes(AnnotationMirror annotation, String name) {
        List<TypeMirror> out = new ArrayList<>();
        for (AnnotationValue value : values(annotation, name)) {
            if (value.getValue() instanceof TypeMirror t) {
                out.add(t);
            }
        }
        return out;
    }

    private List<String> strings(AnnotationMirror annotation, String name) {
        List<String> out = new ArrayList<>();
        for (AnnotationValue value : values(annotation, name)) {
            out.add(String.valueOf(value.getValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<? extends AnnotationValue> values(AnnotationMirror annotation, String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                : elements.getElementValuesWithDefaults(annotation).entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(name)) {
                return (List<? extends AnnotationValue>) e.getValue().getValue();
            }
        }
        return List.of();
    }

    private static boolean hasAnnotation(Element element, String qualifiedName) {
        for (AnnotationMirror a : element.getAnnotationMirrors()) {
            if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(qualifiedName)) {
                return true;
            }
        }
        return false;
    }

    private TypeMirror typeOf(ClassName name) {
        TypeElement element = elements.getTypeElement(name.canonicalName());
        return element == null ? null : element.asType();
    }

    private static String decapitalize(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
