package dev.dxreactor.cim.hbtp;

import dev.dxreactor.cim.CimRequest;
import dev.dxreactor.cim.CimStatus;
import dev.dxreactor.hbtp.HbtpCall;

/** An HBTP call, for middleware that needs the call itself (route, payload, metadata). */
public interface HbtpCimRequest extends CimRequest {

    HbtpCall call();

    @Override
    HbtpCimResponse reply(CimStatus status, String message);
}
