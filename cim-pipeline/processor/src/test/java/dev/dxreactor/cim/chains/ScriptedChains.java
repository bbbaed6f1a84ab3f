package dev.dxreactor.cim.chains;

import dev.dxreactor.cim.MiddlewareChain;
import dev.dxreactor.cim.chains.ScriptedStep.StepA;
import dev.dxreactor.cim.chains.ScriptedStep.StepB;
import dev.dxreactor.cim.chains.ScriptedStep.StepC;
import dev.dxreactor.cim.chains.ScriptedStep.StepD;
import dev.dxreactor.cim.chains.ScriptedStep.StepE;
import dev.dxreactor.cim.chains.ScriptedStep.StepF;
import dev.dxreactor.cim.middleware.TimingMiddleware;

/** Chains of scripted steps, of several lengths and with timing at several places, for the property tests. */
final class ScriptedChains {

    private ScriptedChains() {
    }

    @MiddlewareChain(StepA.class)
    interface OneStep {
    }

    @MiddlewareChain({StepA.class, StepB.class, StepC.class})
    interface ThreeSteps {
    }

    @MiddlewareChain({StepA.class, StepB.class, StepC.class, StepD.class, StepE.class, StepF.class})
    interface SixSteps {
    }

    @MiddlewareChain({TimingMiddleware.class, StepA.class, StepB.class})
    interface TimedFirst {
    }

    @MiddlewareChain({StepA.class, StepB.class, TimingMiddleware.class, StepC.class, StepD.class})
    interface TimedInTheMiddle {
    }

    @MiddlewareChain({StepA.class, StepB.class, StepC.class, TimingMiddleware.class})
    interface TimedLast {
    }
}
