package dev.dxreactor.transport.iocp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** Which kernel {@link WindowsKernel#current()} gives, and that the real one says why it is missing. */
class KernelChoiceTest {

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void realKernelIsUnavailableOffWindowsWithAReasonNamingTheEmulationSwitch() {
        WindowsKernel real = WindowsKernel.real();
        assertThat(real.isAvailable()).isFalse();
        assertThat(real.name()).isEqualTo("windows");
        assertThat(real.unavailabilityCause()).hasMessageContaining("needs Windows")
                .hasMessageContaining("-Ddx.windows.emulate=true");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void currentIsTheUnavailableRealKernelUnlessEmulationIsAskedFor() {
        String before = System.getProperty(KernelChoice.EMULATE_PROPERTY);
        try {
            System.clearProperty(KernelChoice.EMULATE_PROPERTY);
            assertThat(WindowsKernel.current().name()).isEqualTo("windows");
            assertThat(WindowsKernel.current().isAvailable()).isFalse();
            System.setProperty(KernelChoice.EMULATE_PROPERTY, "true");
            assertThat(WindowsKernel.current().name()).isEqualTo("emulated");
            assertThat(WindowsKernel.current()).isSameAs(WindowsKernel.current());
        } finally {
            if (before == null) {
                System.clearProperty(KernelChoice.EMULATE_PROPERTY);
            } else {
                System.setProperty(KernelChoice.EMULATE_PROPERTY, before);
            }
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void emulatedKernelIsAvailableOnLinux() {
        assertThat(WindowsKernel.emulated().isAvailable()).isTrue();
        assertThat(WindowsKernel.emulated().unavailabilityCause()).isNull();
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void realKernelLoadsOnWindows() {
        assertThat(WindowsKernel.real().unavailabilityCause()).isNull();
        assertThat(WindowsKernel.current()).isSameAs(WindowsKernel.real());
    }
}
