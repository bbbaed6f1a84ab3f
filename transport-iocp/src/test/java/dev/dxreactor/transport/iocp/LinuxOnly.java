package dev.dxreactor.transport.iocp;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import java.util.Locale;

/** Skips a jqwik property off Linux, where the emulated kernel does not run (JUnit's @EnabledOnOs for jqwik). */
public final class LinuxOnly implements SkipExecutionHook {

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                ? SkipResult.doNotSkip()
                : SkipResult.skip("the emulated Windows kernel runs on Linux only");
    }
}
