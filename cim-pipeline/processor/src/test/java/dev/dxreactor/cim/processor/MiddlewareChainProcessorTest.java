package dev.dxreactor.cim.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;

import javax.tools.JavaFileObject;

import static com.google.testing.compile.CompilationSubject.assertThat;

/** Bad chains fail the build with a message that names the problem; good ones generate readable code. */
class MiddlewareChainProcessorTest {

    private static final String IMPORTS = """
            import dev.dxreactor.cim.*;
            import dev.dxreactor.cim.http.*;
            import dev.dxreactor.cim.hbtp.*;
            import dev.dxreactor.cim.middleware.*;
            """;

    /** Middleware used by the chains below. */
    private static final JavaFileObject STEPS = source("Steps", """
            public final class Steps {
                public static final class Plain implements Middleware<CimRequest, CimResponse> {
                }
                public static final class HttpOnly implements Middleware<HttpCimRequest, HttpCimResponse> {
                }
                public static final class HbtpOnly implements Middleware<HbtpCimRequest, HbtpCimResponse> {
                }
                public static final class NeedsAString implements Middleware<CimRequest, CimResponse> {
                    public NeedsAString(String name) {
                    }
                }
                public static final class Hidden implements Middleware<CimRequest, CimResponse> {
                    private Hidden() {
                    }
                }
                public abstract static class Abstract implements Middleware<CimRequest, CimResponse> {
                }
                public static final class NotAMiddleware {
                }
            }
            """);

    private static JavaFileObject source(String name, String body) {
        return JavaFileObjects.forSourceString("test." + name, "package test;\n" + IMPORTS + body);
    }

    private static Compilation compile(String chain) {
        return Compiler.javac().withProcessors(new MiddlewareChainProcessor())
                .compile(STEPS, source("Chain", chain));
    }

    @Test
    void aClassThatIsNotAMiddlewareIsReported() {
        Compilation c = compile("@MiddlewareChain(Steps.NotAMiddleware.class) interface Chain {}");
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("test.Steps.NotAMiddleware is not a dev.dxreactor.cim.Middleware");
    }

    @Test
    void middlewareWithoutAUsableConstructorIsReported() {
        Compilation c = compile("@MiddlewareChain({Steps.NeedsAString.class, Steps.Hidden.class}) interface Chain {}");
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("test.Steps.NeedsAString has no usable constructor");
        assertThat(c).hadErrorContaining("test.Steps.Hidden has no usable constructor");
    }

    @Test
    void anAbstractMiddlewareIsReported() {
        Compilation c = compile("@MiddlewareChain(Steps.Abstract.class) interface Chain {}");
        assertThat(c).hadErrorContaining("test.Steps.Abstract cannot be instantiated");
    }

    @Test
    void aDuplicateEntryIsReported() {
        Compilation c = compile("@MiddlewareChain({Steps.Plain.class, TimingMiddleware.class, Steps.Plain.class})"
                + " interface Chain {}");
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("test.Steps.Plain is listed more than once");
    }

    @Test
    void incompatibleRequestTypesAreReported() {
        Compilation c = compile("@MiddlewareChain({Steps.HttpOnly.class, Steps.HbtpOnly.class}) interface Chain {}");
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("incompatible request types: HttpOnly takes "
                + "dev.dxreactor.cim.http.HttpCimRequest but HbtpOnly takes dev.dxreactor.cim.hbtp.HbtpCimRequest");
    }

    @Test
    void anEmptyChainIsReported() {
        Compilation c = compile("@MiddlewareChain({}) interface Chain {}");
        assertThat(c).hadErrorContaining("@MiddlewareChain lists no middleware");
    }

    @Test
    void corsWithoutOriginsAndOriginsWithoutCorsAreReported() {
        assertThat(compile("@MiddlewareChain(CorsMiddleware.class) interface Chain {}"))
                .hadErrorContaining("allowedOrigins is empty");
        assertThat(compile("@MiddlewareChain(value = Steps.Plain.class, allowedOrigins = \"https://a.example\")"
                + " interface Chain {}"))
                .hadErrorContaining("no middleware of this chain takes an OriginPolicy");
    }

    @Test
    void malformedOriginsAreReported() {
        Compilation c = compile("@MiddlewareChain(value = CorsMiddleware.class, allowedOrigins = "
                + "{\"https://a.example/\", \"HTTPS://B.example\", \"a.example\", \"https://c.example\", \"https://c.example\"})"
                + " interface Chain {}");
        assertThat(c).hadErrorContaining("\"https://a.example/\" is not of the form scheme://host[:port]");
        assertThat(c).hadErrorContaining("\"HTTPS://B.example\" is not of the form");
        assertThat(c).hadErrorContaining("\"a.example\" is not of the form");
        assertThat(c).hadErrorContaining("\"https://c.example\" is listed twice");
    }

    @Test
    void corsAfterAuthIsReported() {
        Compilation c = compile("@MiddlewareChain(value = {AuthMiddleware.class, TimingMiddleware.class,"
                + " CorsMiddleware.class}, allowedOrigins = \"https://app.example\") interface Chain {}");
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("CorsMiddleware is listed after AuthMiddleware");
        assertThat(c).hadErrorContaining("list CorsMiddleware before AuthMiddleware");
    }

    @Test
    void corsBeforeAuthAndAuthWithoutCorsAreGoodChains() {
        assertThat(compile("@MiddlewareChain(value = {RateLimitMiddleware.class, CorsMiddleware.class,"
                + " AuthMiddleware.class}, allowedOrigins = \"https://app.example\") interface Chain {}"))
                .succeededWithoutWarnings();
        assertThat(compile("@MiddlewareChain({RateLimitMiddleware.class, AuthMiddleware.class}) interface Chain {}"))
                .succeededWithoutWarnings();
    }

    @Test
    void everyProblemOfAChainIsReportedAtOnce() {
        Compilation c = compile("@MiddlewareChain({Steps.NotAMiddleware.class, Steps.Hidden.class, Steps.Plain.class,"
                + " Steps.Plain.class}) interface Chain {}");
        assertThat(c).hadErrorCount(3);
    }

    @Test
    void aGoodChainCallsEachHookDirectly() {
        Compilation c = compile("@MiddlewareChain(value = {Steps.Plain.class, TimingMiddleware.class, CorsMiddleware.class},"
                + " allowedOrigins = \"https://app.example\") interface Chain {}");
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("test.ChainHandler").contentsAsUtf8String()
                .contains("current = plain.after(context, request, current);");
        assertThat(c).generatedSourceFile("test.ChainHandler").contentsAsUtf8String()
                .contains("response = corsMiddleware.before(context, exchange);");
        assertThat(c).generatedSourceFile("test.ChainHandler").contentsAsUtf8String()
                .contains("current = plain.after(context, exchange, current);");
        assertThat(c).generatedSourceFile("test.ChainHandler").contentsAsUtf8String()
                .contains("case \"https://app.example\" -> 0;");
        assertThat(c).generatedSourceFile("test.ChainHandler").contentsAsUtf8String()
                .contains("public static final OriginPolicy ORIGIN_POLICY = OriginPolicy.of(List.of(\"https://app.example\"),");
        assertThat(c).generatedSourceFile("test.ChainHandler").contentsAsUtf8String()
                .doesNotContain("reflect");
    }

    @Test
    void aProtocolSpecificChainServesOnlyThatProtocol() {
        Compilation http = compile("@MiddlewareChain({Steps.HttpOnly.class, Steps.Plain.class}) interface Chain {}");
        assertThat(http).succeededWithoutWarnings();
        assertThat(http).generatedSourceFile("test.ChainHandler").contentsAsUtf8String()
                .contains("public final class ChainHandler extends ChannelInboundHandlerAdapter {");
        assertThat(http).generatedSourceFile("test.ChainHandler").contentsAsUtf8String()
                .contains("current = (HttpCimResponse) plain.after(context, request, current);");

        Compilation hbtp = compile("@MiddlewareChain({Steps.Plain.class, Steps.HbtpOnly.class}) interface Chain {}");
        assertThat(hbtp).succeededWithoutWarnings();
        assertThat(hbtp).generatedSourceFile("test.ChainHandler").contentsAsUtf8String()
                .contains("public final class ChainHandler implements HbtpAsyncHandler {");
    }
}
