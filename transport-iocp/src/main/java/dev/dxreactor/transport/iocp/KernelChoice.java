package dev.dxreactor.transport.iocp;

import java.util.Locale;

/** How {@link WindowsKernel#current()} decides: real on Windows, emulated only when asked for. */
final class KernelChoice {

    static final String EMULATE_PROPERTY = "dx.windows.emulate";

    private static volatile WindowsKernel emulated;

    private KernelChoice() {
    }

    static WindowsKernel current() {
        if (isWindows() || !Boolean.getBoolean(EMULATE_PROPERTY)) {
            return WindowsKernel.real();
        }
        WindowsKernel kernel = emulated;
        if (kernel == null) {
            synchronized (KernelChoice.class) {
                kernel = emulated;
                if (kernel == null) {
                    kernel = WindowsKernel.emulated();
                    emulated = kernel;
                }
            }
        }
        return kernel;
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
