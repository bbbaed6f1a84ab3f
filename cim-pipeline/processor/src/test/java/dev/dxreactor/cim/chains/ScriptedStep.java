package dev.dxreactor.cim.chains;

import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.cim.Middleware;
import dev.dxreactor.cim.MiddlewareContext;

/**
 * A middleware that records its hooks in {@link Trace} and does what the request's {@code x-script} header
 * asks of it: {@code <name>:answer} short-circuits with 403, {@code <name>:throw-before} and
 * {@code <name>:throw-after} throw from that hook.
 */
public abstract class ScriptedStep implements Middleware<CimRequest, CimResponse> {

    public static final String SCRIPT = "x-script";

    private final String name = getClass().getSimpleName();

    @Override
    public CimResponse before(MiddlewareContext context, CimRequest request) {
        Trace.add(name + ".before");
        if (asked(request, "throw-before")) {
            throw new IllegalStateException(name + " failed on purpose");
        }
        return asked(request, "answer") ? request.reply(CimStatus.PERMISSION_DENIED, name + " answered") : null;
    }

    @Override
    public CimResponse after(MiddlewareContext context, CimRequest request, CimResponse response) {
        Trace.add(name + ".after");
        if (asked(request, "throw-after")) {
            throw new IllegalStateException(name + " failed on purpose");
        }
        return response;
    }

    private boolean asked(CimRequest request, String action) {
        String script = request.header(SCRIPT);
        return script != null && (',' + script + ',').contains(',' + name + ':' + action + ',');
    }

    public static final class StepA extends ScriptedStep {
    }

    public static final class StepB extends ScriptedStep {
    }

    public static final class StepC extends ScriptedStep {
    }

    public static final class StepD extends ScriptedStep {
    }

    public static final class StepE extends ScriptedStep {
    }

    public static final class StepF extends ScriptedStep {
    }
}
