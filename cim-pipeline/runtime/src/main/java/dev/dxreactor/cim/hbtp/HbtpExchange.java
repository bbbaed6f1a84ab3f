package dev.dxreactor.cim.hbtp;

import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.HookFailures;
import dev.dxreactor.cim.MiddlewareContext;
import dev.dxreactor.cim.Protocol;
import dev.dxreactor.cim.internal.Stages;
import dev.dxreactor.hbtp.HbtpCall;
import dev.dxreactor.hbtp.HbtpMetadata;
import dev.dxreactor.hbtp.HbtpRpcException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One HBTP call going through a generated chain handler: the call as middleware sees it, its context, and
 * the steps the handler takes with it. The chain's answer is a stage the HBTP server writes: a response
 * body, or {@link HbtpRpcException} with the status; the metadata hooks added travels with either.
 */
public final class HbtpExchange implements HbtpCimRequest {

    private static final String APPLICATION = "HBTP application";

    private final HbtpCall call;
    private final MiddlewareContext context;
    private final CompletableFuture<ByteBuf> result = new CompletableFuture<>();

    public HbtpExchange(HbtpCall call, CimConfig config) {
        this.call = call;
        this.context = new MiddlewareContext(config.nanoClock().getAsLong());
    }

    public MiddlewareContext context() {
        return context;
    }

    @Override
    public HbtpCall call() {
        return call;
    }

    @Override
    public Protocol protocol() {
        return Protocol.HBTP;
    }

    @Override
    public String header(CharSequence name) {
        return call.metadata().get(name.toString());
    }

    @Override
    public String bearerToken() {
        String value = call.metadata().get(HbtpMetadata.AUTH);
        if (value == null) {
            return null;
        }
        String token = value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value.trim();
        return token.isEmpty() ? null : token;
    }

    /** HBTP calls carry no {@code Origin}; over WebSocket the handshake's is checked instead. */
    @Override
    public String origin() {
        return null;
    }

    @Override
    public boolean isPreflight() {
        return false;
    }

    @Override
    public SocketAddress remoteAddress() {
        return call.session().remoteAddress();
    }

    @Override
    public String describe() {
        return "HBTP route " + call.route();
    }

    @Override
    public HbtpCimResponse reply(CimStatus status, String message) {
        if (status.isSuccess()) {
            return HbtpAnswer.response(null);
        }
        return HbtpAnswer.error(status, message);
    }

    /** Whether {@code stage} has its answer already and this is the event loop: the handler goes on inline. */
    public boolean isAnswered(CompletionStage<ByteBuf> stage) {
        return loop().inEventLoop() && Stages.isDone(stage);
    }

    /** The answer of a completed {@code stage}, an application failure turned into its error response. */
    public HbtpCimResponse answer(CompletionStage<ByteBuf> stage) {
        try {
            return wrap(Stages.join(stage), null);
        } catch (RuntimeException e) {
            return wrap(null, e);
        }
    }

    /**
     * Calls {@code next} with the answer of {@code stage}, on the event loop, once it completes.
     *
     * @return the chain's answer, completed by {@link #send}
     */
    public CompletionStage<ByteBuf> onAnswer(CompletionStage<ByteBuf> stage, Consumer<HbtpCimResponse> next) {
        stage.whenComplete((body, error) -> {
            EventLoop loop = loop();
            if (loop.inEventLoop()) {
                next.accept(wrap(body, error));
                return;
            }
            try {
                loop.execute(() -> next.accept(wrap(body, error)));
            } catch (RuntimeException rejected) {
                // The server is gone: it releases what the stage completes with.
                result.complete(body);
            }
        });
        return result;
    }

    private HbtpCimResponse wrap(ByteBuf body, Throwable error) {
        if (error != null) {
            ReferenceCountUtil.release(body);
            return (HbtpCimResponse) HookFailures.failed(this, APPLICATION, error);
        }
        return HbtpAnswer.response(body);
    }

    /**
     * Completes the chain's answer with {@code response} (an {@link HbtpCimResponse} of this exchange): its
     * metadata goes on the call, then the body or the error.
     */
    public CompletionStage<ByteBuf> send(CimResponse response) {
        HbtpAnswer answer = (HbtpAnswer) response;
        HbtpMetadata metadata = answer.metadata();
        if (!metadata.isEmpty()) {
            call.responseMetadata(metadata);
        }
        if (answer.status().isSuccess()) {
            result.complete(answer.body());
        } else {
            result.completeExceptionally(new HbtpRpcException(answer.status().hbtpStatus(), answer.message()));
        }
        return result;
    }

    private EventLoop loop() {
        return call.session().channel().eventLoop();
    }
}
