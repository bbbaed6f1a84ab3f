package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.EmulatedWindowsKernel;
import dev.dxreactor.transport.iocp.WindowsKernel;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a jqwik property where the kernel is the real one: the property injects faults and reads counters that
 * only the emulated kernel has (on Windows the transport runs on the real kernel).
 */
public final class EmulatedKernelOnly implements SkipExecutionHook {

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        return WindowsKernel.current() instanceof EmulatedWindowsKernel
                ? SkipResult.doNotSkip()
                : SkipResult.skip("needs the emulated kernel's fault injection and counters");
    }
}
