package dev.dxreactor.benchmarks.cim;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Proof that the variants do the same work: each answers a script of requests that walks every branch
 * of the chain (allowed, no origin, wrong key, foreign origin, preflight, and a rate limit that refuses)
 * exactly as the fused chain does, status, headers and body; the bare variant answers every request as
 * the application alone. A fast variant that skipped work would answer differently and fail here. The
 * pass-through variants must answer every request as the bare one does, and their hooks must have run, as
 * many times as the chain has hooks ({@link HookTally}): pass-through hooks change no answer, so only their
 * count shows that they were not optimised away.
 */
final class ChainCheck {

    /** A response as compared: status, headers as sorted {@code name: value} lines (lower-case names), body. */
    record Answer(int status, List<String> headers, String body) {

        static Answer of(FullHttpResponse response) {
            List<String> headers = new ArrayList<>();
            for (Map.Entry<String, String> h : response.headers()) {
                headers.add(h.getKey().toLowerCase(Locale.ROOT) + ": " + h.getValue());
            }
            headers.sort(null);
            return new Answer(response.status().code(), List.copyOf(headers),
                    response.content().toString(StandardCharsets.UTF_8));
        }

        /** This answer without the header {@code name}. */
        Answer without(CharSequence name) {
            String prefix = name.toString().toLowerCase(Locale.ROOT) + ": ";
            return new Answer(status, headers.stream().filter(h -> !h.startsWith(prefix)).toList(), body);
        }

        @Override
        public String toString() {
            return status + " " + headers + " \"" + body + "\"";
        }
    }

    /** One request of the script, on a channel with the never-refusing limit or the strict one. */
    record Step(String name, Supplier<FullHttpRequest> request, boolean strictLimit, int fusedStatus) {
    }

    /** The script, in order; {@code fusedStatus} is what the fused chain must answer. */
    static final List<Step> SCRIPT = List.of(
            new Step("allowed origin", BenchRequests::api, false, 200),
            new Step("no origin", BenchRequests::withoutOrigin, false, 200),
            new Step("wrong API key", BenchRequests::wrongKey, false, 401),
            new Step("foreign origin", BenchRequests::foreignOrigin, false, 403),
            new Step("preflight", BenchRequests::preflight, false, 204),
            new Step("first under a limit of 1/s", BenchRequests::api, true, 200),
            new Step("second under a limit of 1/s", BenchRequests::api, true, 429));

    /** Befores (or {@code channelRead}s passed on) per request in a pass-through variant: one per middleware. */
    static final int PASS_THROUGH_BEFORES = 4;
    /** Afters (or {@code write}s passed on) per request: the two middlewares with an after. */
    static final int PASS_THROUGH_AFTERS = 2;

    private ChainCheck() {
    }

    /**
     * Checks {@code variant} against the fused chain (and the fused chain against the statuses it must
     * give).
     *
     * @throws IllegalStateException naming the first request answered differently
     */
    static void verify(ChainVariant variant) {
        List<Answer> fused = transcript(ChainVariant.FUSED);
        for (int i = 0; i < SCRIPT.size(); i++) {
            if (fused.get(i).status() != SCRIPT.get(i).fusedStatus()) {
                throw new IllegalStateException("the fused chain answers \"" + SCRIPT.get(i).name() + "\" with "
                        + fused.get(i) + ", not status " + SCRIPT.get(i).fusedStatus());
            }
        }
        requireSame(variant, expected(variant, fused), transcript(variant));
    }

    /** What {@code variant} must answer to the script, given the fused chain's answers. */
    static List<Answer> expected(ChainVariant variant, List<Answer> fused) {
        if (variant != ChainVariant.BARE && !variant.passThrough()) {
            return fused;
        }
        // The application alone, and behind pass-through middlewares, answers everything as the chain answers
        // a request without an origin, less the timing header.
        Answer plain = fused.get(1).without(ChainRules.RESPONSE_TIME);
        return SCRIPT.stream().map(s -> plain).toList();
    }

    /** @throws IllegalStateException naming the first step where {@code actual} differs from {@code expected} */
    static void requireSame(ChainVariant variant, List<Answer> expected, List<Answer> actual) {
        for (int i = 0; i < SCRIPT.size(); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new IllegalStateException(variant.method() + " answers \"" + SCRIPT.get(i).name() + "\" with "
                        + actual.get(i) + " where it must answer " + expected.get(i));
            }
        }
    }

    /**
     * @throws IllegalStateException unless {@code tally} counts the hooks of {@code requests} requests through a
     *                               pass-through variant, or none for any other variant
     */
    static void requireHooksRan(ChainVariant variant, HookTally tally, long requests) {
        int perRequest = variant.passThrough() ? 1 : 0;
        long befores = PASS_THROUGH_BEFORES * perRequest * requests;
        long afters = PASS_THROUGH_AFTERS * perRequest * requests;
        if (tally.befores != befores || tally.afters != afters) {
            throw new IllegalStateException(variant.method() + " ran " + tally.befores + " befores and " + tally.afters
                    + " afters of pass-through middlewares for " + requests + " requests, where it must run " + befores
                    + " and " + afters);
        }
    }

    /**
     * The answers of {@code variant} to the script, each request on a fresh channel of the step's limit.
     *
     * @throws IllegalStateException if a request was not released, a channel kept a message, or the variant's
     *                               pass-through hooks did not run once each per request
     */
    static List<Answer> transcript(ChainVariant variant) {
        List<Answer> answers = new ArrayList<>();
        HookTally tally = new HookTally();
        EmbeddedChannel open = variant.open(ChainRules.NEVER_REFUSING, tally);
        EmbeddedChannel strict = variant.open(ChainRules.ONE_PER_SECOND, tally);
        try {
            for (Step step : SCRIPT) {
                EmbeddedChannel channel = step.strictLimit() ? strict : open;
                FullHttpRequest request = step.request().get();
                answers.add(exchange(channel, request));
                if (request.refCnt() != 0) {
                    throw new IllegalStateException(variant.method() + " did not release the request \""
                            + step.name() + "\"");
                }
            }
        } finally {
            boolean leftOver = open.finishAndReleaseAll() | strict.finishAndReleaseAll();
            if (leftOver) {
                throw new IllegalStateException(variant.method() + " left messages in its channel");
            }
        }
        requireHooksRan(variant, tally, SCRIPT.size());
        return answers;
    }

    /**
     * Sends {@code request} through {@code channel} and takes the one response it must write, released after
     * reading. The request is the channel's.
     */
    static Answer exchange(EmbeddedChannel channel, FullHttpRequest request) {
        if (channel.writeInbound(request)) {
            throw new IllegalStateException("a request went through the pipeline unanswered");
        }
        Object out = channel.readOutbound();
        try {
            if (!(out instanceof FullHttpResponse response)) {
                throw new IllegalStateException("expected one FullHttpResponse, got " + out);
            }
            if (channel.outboundMessages().size() != 0 || !channel.isOpen()) {
                throw new IllegalStateException("more than one response, or the connection closed");
            }
            return Answer.of(response);
        } finally {
            ReferenceCountUtil.release(out);
        }
    }
}
