package dev.dxreactor.cim.middleware;

import dev.dxreactor.cim.AlwaysAfter;
import dev.dxreactor.cim.CimConfig;
import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimResponse;
import dev.dxreactor.cim.Middleware;
import dev.dxreactor.cim.MiddlewareContext;

import java.util.function.LongSupplier;

/**
 * Adds the time from the request's arrival to its response: HTTP {@code X-Response-Time: <micros>us}, HBTP
 * metadata {@code response-time-us}. Runs on every response ({@link AlwaysAfter}), short-circuits and
 * errors included.
 */
@AlwaysAfter
public final class TimingMiddleware implements Middleware<CimRequest, CimResponse> {

    private final LongSupplier clock;

    public TimingMiddleware(CimConfig config) {
        this.clock = config.nanoClock();
    }

    @Override
    public CimResponse after(MiddlewareContext context, CimRequest request, CimResponse response) {
        return response.responseTime(clock.getAsLong() - context.startNanos());
    }
}
