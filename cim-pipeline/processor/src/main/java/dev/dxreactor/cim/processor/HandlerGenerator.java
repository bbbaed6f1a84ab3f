package dev.dxreactor.cim.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.dxreactor.cim.processor.ChainModel.Argument;
import dev.dxreactor.cim.processor.ChainModel.MiddlewareModel;

import javax.lang.model.element.Modifier;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Writes the fused handler of a chain: one final class whose befores and afters call each middleware
 * directly, in straight-line code a reader can follow hook by hook.
 */
final class HandlerGenerator {

    private static final String PROCESSOR = "dev.dxreactor.cim.processor.MiddlewareChainProcessor";
    private static final String HTTP_CONSTRUCTOR_DOC = "Answers HTTP requests with {@code application} behind the chain.\n";
    private static final String HBTP_CONSTRUCTOR_DOC = "Answers HBTP calls with {@code application} behind the chain.\n";

    private final ChainModel model;
    private final List<MiddlewareModel> middlewares;

    private HandlerGenerator(ChainModel model) {
        this.model = model;
        this.middlewares = model.middlewares();
    }

    static TypeSpec generate(ChainModel model) {
        return new HandlerGenerator(model).type();
    }

    private TypeSpec type() {
        TypeSpec.Builder type = TypeSpec.classBuilder(model.handler())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addAnnotation(AnnotationSpec.builder(Names.GENERATED).addMember("value", "$S", PROCESSOR).build())
                .addJavadoc(classJavadoc());
        if (model.http()) {
            type.superclass(Names.INBOUND_ADAPTER)
                    .addAnnotation(AnnotationSpec.builder(Names.CHANNEL_HANDLER.nestedClass("Sharable")).build());
        }
        if (model.hbtp()) {
            type.addSuperinterface(Names.HBTP_ASYNC_HANDLER);
        }
        if (!model.allowedOrigins().isEmpty()) {
            type.addField(originPolicy());
        }
        type.addField(Names.CIM_CONFIG, "config", Modifier.PRIVATE, Modifier.FINAL);
        if (model.http()) {
            type.addField(Names.HTTP_APPLICATION, "httpApplication", Modifier.PRIVATE, Modifier.FINAL);
        }
        if (model.hbtp()) {
            type.addField(Names.HBTP_ASYNC_HANDLER, "hbtpApplication", Modifier.PRIVATE, Modifier.FINAL);
        }
        for (MiddlewareModel m : middlewares) {
            type.addField(FieldSpec.builder(m.type(), m.field(), Modifier.PRIVATE, Modifier.FINAL).build());
        }
        addConstructors(type);
        if (!model.allowedOrigins().isEmpty()) {
            type.addMethod(isAllowedOrigin());
            type.addMethod(allowedOriginIndex());
        }
        if (model.http()) {
            type.addMethod(channelRead());
        }
        if (model.hbtp()) {
            type.addMethod(handle());
        }
        type.addMethod(afters());
        return type.build();
    }

    private CodeBlock classJavadoc() {
        String order = middlewares.stream().map(m -> m.type().simpleName()).collect(Collectors.joining(", "));
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("The fused handler of {@link $T}: $L.\n", model.chain(), order)
                .add("\n<p>Befores run in that order and afters in reverse, each called directly; a before that answers\n"
                        + "skips the rest and the application, and the afters of the middlewares already entered run\n"
                        + "(see {@link $T}).", ClassName.get(Names.CIM, "Middleware"));
        if (model.http()) {
            doc.add("\nOver HTTP/1.1 it is one shareable pipeline handler after {@code HttpObjectAggregator}.");
        }
        if (model.hbtp()) {
            doc.add("\nOver HBTP it is a route handler for {@code HbtpRouter.routeAsync}.");
        }
        return doc.add("\n\n<p>Generated from {@link $T} by the dx-cim processor.\n", model.chain()).build();
    }

    private void addConstructors(TypeSpec.Builder type) {
        if (model.http() && model.hbtp()) {
            type.addMethod(MethodSpec.constructorBuilder()
                    .addModifiers(Modifier.PUBLIC)
                    .addJavadoc(HTTP_CONSTRUCTOR_DOC)
                    .addParameter(Names.CIM_CONFIG, "config")
                    .addParameter(Names.HTTP_APPLICATION, "application")
                    .addStatement("this(config, application, null)")
                    .build());
            type.addMethod(MethodSpec.constructorBuilder()
                    .addModifiers(Modifier.PUBLIC)
                    .addJavadoc(HBTP_CONSTRUCTOR_DOC)
                    .addParameter(Names.CIM_CONFIG, "config")
                    .addParameter(Names.HBTP_ASYNC_HANDLER, "application")
                    .addStatement("this(config, null, application)")
                    .build());
            type.addMethod(initializingConstructor(Modifier.PRIVATE).build());
        } else {
            type.addMethod(initializingConstructor(Modifier.PUBLIC)
                    .addJavadoc(model.http() ? HTTP_CONSTRUCTOR_DOC : HBTP_CONSTRUCTOR_DOC)
                    .build());
        }
    }

    /** The constructor that sets every field; it takes one application per protocol the chain serves. */
    private MethodSpec.Builder initializingConstructor(Modifier visibility) {
        boolean both = model.http() && model.hbtp();
        MethodSpec.Builder main = MethodSpec.constructorBuilder()
                .addModifiers(visibility)
                .addParameter(Names.CIM_CONFIG, "config");
        if (model.http()) {
            main.addParameter(Names.HTTP_APPLICATION, both ? "httpApplication" : "application");
        }
        if (model.hbtp()) {
            main.addParameter(Names.HBTP_ASYNC_HANDLER, both ? "hbtpApplication" : "application");
        }
        main.addStatement("this.config = config");
        if (model.http()) {
            main.addStatement("this.httpApplication = $N", both ? "httpApplication" : "application");
        }
        if (model.hbtp()) {
            main.addStatement("this.hbtpApplication = $N", both ? "hbtpApplication" : "application");
        }
        main.addComment("Shared through the config: every connection's handler uses the same middleware instances.");
        for (MiddlewareModel m : middlewares) {
            main.addStatement("this.$N = config.shared($T.class, $T.class,\n() -> new $T($L))", m.field(),
                    model.chain(), m.type(), m.type(), constructorArguments(m));
        }
        return main;
    }

    private CodeBlock constructorArguments(MiddlewareModel m) {
        return m.constructorArguments().stream()
                .map(a -> a == Argument.CONFIG ? CodeBlock.of("config")
                        : CodeBlock.of("ORIGIN_POLICY"))
                .collect(CodeBlock.joining(", "));
    }

    private FieldSpec originPolicy() {
        CodeBlock origins = model.allowedOrigins().stream().map(o -> CodeBlock.of("$S", o))
                .collect(CodeBlock.joining(", "));
        return FieldSpec.builder(Names.ORIGIN_POLICY, "ORIGIN_POLICY", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The chain's allowed origins, compiled in from {@code @MiddlewareChain(allowedOrigins)}.\n")
                .initializer("$T.of($T.of($L),\n$>$>$T::allowedOriginIndex)$<$<", Names.ORIGIN_POLICY, List.class, origins,
                        model.handler())
                .build();
    }

    private MethodSpec isAllowedOrigin() {
        return MethodSpec.methodBuilder("isAllowedOrigin")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("Whether {@code origin} is one of the chain's allowed origins.\n")
                .returns(boolean.class)
                .addParameter(String.class, "origin")
                .addStatement("return allowedOriginIndex(origin) >= 0")
                .build();
    }

    private MethodSpec allowedOriginIndex() {
        List<String> origins = model.allowedOrigins();
        CodeBlock.Builder cases = CodeBlock.builder();
        for (int i = 0; i < origins.size(); i++) {
            cases.add("case $S -> $L;\n", origins.get(i), i);
        }
        return MethodSpec.methodBuilder("allowedOriginIndex")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The index of {@code origin} among the chain's allowed origins, or {@code -1}: a string\n"
                        + "{@code switch}, so an origin costs a hash and one comparison.\n")
                .returns(int.class)
                .addParameter(String.class, "origin")
                .addCode("return switch (origin) {\n$>$Ldefault -> -1;\n$<};\n", cases.build())
                .build();
    }

    private MethodSpec channelRead() {
        TypeName stage = ParameterizedTypeName.get(Names.COMPLETION_STAGE, Names.FULL_HTTP_RESPONSE);
        return MethodSpec.methodBuilder("channelRead")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(Names.CHANNEL_HANDLER_CONTEXT, "ctx")
                .addParameter(Object.class, "msg")
                .beginControlFlow("if (!(msg instanceof $T request))", Names.FULL_HTTP_REQUEST)
                .addStatement("ctx.fireChannelRead(msg)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("$T exchange = new $T(ctx, request, config)", Names.HTTP_EXCHANGE, Names.HTTP_EXCHANGE)
                .beginControlFlow("if (exchange.rejectIfMalformed())")
                .addStatement("return")
                .endControlFlow()
                .addStatement("$T context = exchange.context()", Names.MIDDLEWARE_CONTEXT)
                .addCode(inlineBefores(entered -> CodeBlock.builder()
                        .addStatement("exchange.send(afters($L, context, exchange, response))", entered)
                        .addStatement("return")
                        .build()))
                .addStatement("$T answer", stage)
                .beginControlFlow("try")
                .addStatement("answer = httpApplication.handle(context, request)")
                .nextControlFlow("catch ($T error)", Throwable.class)
                .addStatement("answer = $T.failedFuture(error)", Names.COMPLETABLE_FUTURE)
                .endControlFlow()
                .beginControlFlow("if (exchange.isAnswered(answer))")
                .addCode(inlineAfters())
                .addStatement("exchange.send(current)")
                .nextControlFlow("else")
                .addStatement("exchange.onAnswer(answer, r -> exchange.send(afters($L, context, exchange, r)))",
                        middlewares.size())
                .endControlFlow()
                .build();
    }

    private MethodSpec handle() {
        TypeName stage = ParameterizedTypeName.get(Names.COMPLETION_STAGE, Names.BYTE_BUF);
        return MethodSpec.methodBuilder("handle")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(stage)
                .addParameter(Names.HBTP_CALL, "call")
                .addStatement("$T exchange = new $T(call, config)", Names.HBTP_EXCHANGE, Names.HBTP_EXCHANGE)
                .addStatement("$T context = exchange.context()", Names.MIDDLEWARE_CONTEXT)
                .addCode(inlineBefores(entered -> CodeBlock.builder()
                        .addStatement("return exchange.send(afters($L, context, exchange, response))", entered)
                        .build()))
                .addStatement("$T answer", stage)
                .beginControlFlow("try")
                .addStatement("answer = hbtpApplication.handle(call)")
                .nextControlFlow("catch ($T error)", Throwable.class)
                .addStatement("answer = $T.failedFuture(error)", Names.COMPLETABLE_FUTURE)
                .endControlFlow()
                .beginControlFlow("if (exchange.isAnswered(answer))")
                .addCode(inlineAfters())
                .addStatement("return exchange.send(current)")
                .endControlFlow()
                .addStatement("return exchange.onAnswer(answer, r -> exchange.send(afters($L, context, exchange, r)))",
                        middlewares.size())
                .build();
    }

    /**
     * The befores in order, written out in the handler's entry method rather than in a method of their own: the
     * JIT then compiles the whole chain as one unit and can keep the exchange and context off the heap, which a
     * separately compiled, large {@code befores} method would prevent. {@code shortCircuit} gives the code that
     * ends the chain when a before answers, for the number of middlewares entered.
     */
    private CodeBlock inlineBefores(IntFunction<CodeBlock> shortCircuit) {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// Befores in order. The first to answer (or throw) ends the chain: it is counted as a\n"
                        + "// rejection (with metrics on), and the afters of the middlewares entered so far run on its\n"
                        + "// response.\n")
                .addStatement("$T response", model.responseType());
        for (int i = 0; i < middlewares.size(); i++) {
            MiddlewareModel m = middlewares.get(i);
            code.beginControlFlow("try")
                    .addStatement("response = $L$N.before(context, exchange)", cast(m), m.field())
                    .nextControlFlow("catch ($T error)", Throwable.class)
                    .addStatement("response = $L$T.failed(exchange, $S, error)", failureCast(), Names.HOOK_FAILURES,
                            m.hook("before"))
                    .endControlFlow()
                    .beginControlFlow("if (response != null)")
                    .addStatement("config.rejected($T.class, response)", m.type())
                    .add(shortCircuit.apply(i + 1))
                    .endControlFlow();
        }
        return code.build();
    }

    /**
     * Every after, in the order {@link #afters()} runs them for a chain whose befores all continued, written out
     * for the same reason as {@link #inlineBefores}; leaves the final response in {@code current}.
     */
    private CodeBlock inlineAfters() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// Every after, in reverse, then the @AlwaysAfter ones (as afters($L, ...)).\n", middlewares.size())
                .addStatement("$T current = exchange.answer(answer)", model.responseType());
        for (int i = middlewares.size() - 1; i >= 0; i--) {
            if (!middlewares.get(i).alwaysAfter()) {
                code.add(afterCall(middlewares.get(i), "exchange"));
            }
        }
        for (int i = middlewares.size() - 1; i >= 0; i--) {
            if (middlewares.get(i).alwaysAfter()) {
                code.add(afterCall(middlewares.get(i), "exchange"));
            }
        }
        return code.build();
    }

    private MethodSpec afters() {
        boolean anyAlways = middlewares.stream().anyMatch(MiddlewareModel::alwaysAfter);
        MethodSpec.Builder method = MethodSpec.methodBuilder("afters")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc("Runs, in reverse order, the afters of the first {@code entered} middlewares$L.\n"
                        + "A failing after turns the response into an error response, and the rest still run.\n",
                        anyAlways ? ";\nthen those marked {@code @AlwaysAfter}, on the final response" : "")
                .returns(model.responseType())
                .addParameter(int.class, "entered")
                .addParameter(Names.MIDDLEWARE_CONTEXT, "context")
                .addParameter(model.requestType(), "request")
                .addParameter(model.responseType(), "response")
                .addStatement("$T current = response", model.responseType());
        for (int i = middlewares.size() - 1; i >= 0; i--) {
            MiddlewareModel m = middlewares.get(i);
            if (!m.alwaysAfter()) {
                method.beginControlFlow("if (entered >= $L)", i + 1).addCode(afterCall(m, "request")).endControlFlow();
            }
        }
        for (int i = middlewares.size() - 1; i >= 0; i--) {
            MiddlewareModel m = middlewares.get(i);
            if (m.alwaysAfter()) {
                method.addComment("$L is @AlwaysAfter: its after sees every final response.", m.type().simpleName())
                        .addCode(afterCall(m, "request"));
            }
        }
        return method.addStatement("return current").build();
    }

    /** One after, on {@code current}, with the request named {@code request}. */
    private CodeBlock afterCall(MiddlewareModel m, String request) {
        return CodeBlock.builder()
                .beginControlFlow("try")
                .addStatement("current = $L$N.after(context, $N, current)", cast(m), m.field(), request)
                .nextControlFlow("catch ($T error)", Throwable.class)
                .addStatement("current = $L$T.failedReplacing($N, current, $S, error)", failureCast(),
                        Names.HOOK_FAILURES, request, m.hook("after"))
                .endControlFlow()
                .build();
    }

    /** A cast to the chain's response type where the middleware declares a wider one. */
    private CodeBlock cast(MiddlewareModel m) {
        return m.responseNeedsCast() ? CodeBlock.of("($T) ", model.responseType()) : CodeBlock.of("");
    }

    private CodeBlock failureCast() {
        return model.responseType().equals(Names.CIM_RESPONSE) ? CodeBlock.of("") : CodeBlock.of("($T) ", model.responseType());
    }
}
