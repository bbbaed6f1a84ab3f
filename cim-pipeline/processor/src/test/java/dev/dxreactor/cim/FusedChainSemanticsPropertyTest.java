package dev.dxreactor.cim;

import dev.dxreactor.cim.chains.OneStepHandler;
import dev.dxreactor.cim.chains.SixStepsHandler;
import dev.dxreactor.cim.chains.ThreeStepsHandler;
import dev.dxreactor.cim.chains.TimedFirstHandler;
import dev.dxreactor.cim.chains.TimedInTheMiddleHandler;
import dev.dxreactor.cim.chains.TimedLastHandler;
import dev.dxreactor.cim.chains.Trace;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The onion semantics of generated handlers, checked against a model for random chains, random
 * short-circuit points, failing hooks and failing or late applications: befores in order, afters in exact
 * reverse for every middleware entered, the application only when every before continued, and the timing
 * header on every response of a chain with {@code TimingMiddleware}.
 */
class FusedChainSemanticsPropertyTest {

    private static final String TIMING = "TimingMiddleware";

    /** A compiled chain: its middleware names in order and how to make its handler. */
    record Chain(String name, List<String> steps, BiFunction<CimConfig, HttpApplication, ChannelHandler> handler) {
        @Override
        public String toString() {
            return name + steps;
        }
    }

    /** What each scripted step does, and what the application does. */
    enum Action { CONTINUE, ANSWER, THROW_BEFORE, THROW_AFTER }

    enum App { OK, THROWS, FAILS_LATER, ANSWERS_LATER }

    record Case(Chain chain, List<Action> actions, App app) {
    }

    static final List<Chain> CHAINS = List.of(
            new Chain("OneStep", List.of("StepA"), OneStepHandler::new),
            new Chain("ThreeSteps", List.of("StepA", "StepB", "StepC"), ThreeStepsHandler::new),
            new Chain("SixSteps", List.of("StepA", "StepB", "StepC", "StepD", "StepE", "StepF"), SixStepsHandler::new),
            new Chain("TimedFirst", List.of(TIMING, "StepA", "StepB"), TimedFirstHandler::new),
            new Chain("TimedInTheMiddle", List.of("StepA", "StepB", TIMING, "StepC", "StepD"),
                    TimedInTheMiddleHandler::new),
            new Chain("TimedLast", List.of("StepA", "StepB", "StepC", TIMING), TimedLastHandler::new));

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(CHAINS).flatMap(chain -> Combinators.combine(
                Arbitraries.of(Action.class).list().ofSize(chain.steps().size()),
                Arbitraries.of(App.class)).as((actions, app) -> new Case(chain, actions, app)));
    }

    @Property(tries = 300)
    void aftersRunInExactReverseOfTheBeforesThatRan(@ForAll("cases") Case c) {
        List<String> steps = c.chain().steps();
        List<Boolean> appRan = new ArrayList<>();
        CompletableFuture<FullHttpResponse> late = new CompletableFuture<>();
        HttpApplication app = (context, request) -> {
            appRan.add(true);
            return switch (c.app()) {
                case OK -> CompletableFuture.completedFuture(ok());
                case THROWS -> throw new IllegalStateException("application failed on purpose");
                case FAILS_LATER, ANSWERS_LATER -> late;
            };
        };
        EmbeddedChannel channel = new EmbeddedChannel(c.chain().handler().apply(CimConfig.builder().build(), app));
        Trace.take();
        try {
            channel.writeInbound(request(script(c)));
            if (c.app() == App.ANSWERS_LATER) {
                late.complete(ok());
            } else if (c.app() == App.FAILS_LATER) {
                late.completeExceptionally(new IllegalStateException("application failed later on purpose"));
            }
            channel.runPendingTasks();
            FullHttpResponse response = channel.readOutbound();
            try {
                Expected expected = expect(c);
                assertThat(Trace.take()).isEqualTo(expected.trace());
                assertThat(appRan).hasSize(expected.appRuns() ? 1 : 0);
                assertThat(response.status().code()).isEqualTo(expected.status());
                if (steps.contains(TIMING)) {
                    assertThat(response.headers().get("X-Response-Time")).matches("\\d+us");
                } else {
                    assertThat(response.headers().contains("X-Response-Time")).isFalse();
                }
            } finally {
                response.release();
            }
        } finally {
            late.complete(null);
            channel.finishAndReleaseAll();
        }
    }

    record Expected(List<String> trace, boolean appRuns, int status) {
    }

    /** The model: what the semantics in {@link Middleware} say must happen. */
    private static Expected expect(Case c) {
        List<String> steps = c.chain().steps();
        List<String> trace = new ArrayList<>();
        int entered = steps.size();
        int status = 200;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).equals(TIMING)) {
                continue;
            }
            trace.add(steps.get(i) + ".before");
            Action action = c.actions().get(i);
            if (action == Action.ANSWER || action == Action.THROW_BEFORE) {
                entered = i + 1;
                status = action == Action.ANSWER ? 403 : 500;
                break;
            }
        }
        boolean appRuns = entered == steps.size() && status == 200;
        if (appRuns && c.app() != App.OK && c.app() != App.ANSWERS_LATER) {
            status = 500;
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            String step = steps.get(i);
            if (step.equals(TIMING) || i >= entered) {
                continue;
            }
            trace.add(step + ".after");
            if (c.actions().get(i) == Action.THROW_AFTER) {
                status = 500;
            }
        }
        return new Expected(trace, appRuns, status);
    }

    private static String script(Case c) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < c.chain().steps().size(); i++) {
            String step = c.chain().steps().get(i);
            switch (c.actions().get(i)) {
                case ANSWER -> parts.add(step + ":answer");
                case THROW_BEFORE -> parts.add(step + ":throw-before");
                case THROW_AFTER -> parts.add(step + ":throw-after");
                case CONTINUE -> { }
            }
        }
        return String.join(",", parts);
    }

    private static FullHttpRequest request(String script) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/items",
                Unpooled.EMPTY_BUFFER);
        request.headers().set("x-script", script);
        return request;
    }

    private static FullHttpResponse ok() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("ok", StandardCharsets.UTF_8));
    }
}
