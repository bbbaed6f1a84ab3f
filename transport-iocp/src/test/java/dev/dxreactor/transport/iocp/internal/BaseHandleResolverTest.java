package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SIO_BASE_HANDLE and its fallbacks under a layered provider that refuses it. */
class BaseHandleResolverTest {

    @Test
    void baseHandleIsAskedFirst() throws WindowsException {
        List<Integer> asked = new ArrayList<>();
        long base = BaseHandleResolver.resolve(0x100, (s, code) -> {
            asked.add(code);
            return 0x200;
        });
        assertThat(base).isEqualTo(0x200);
        assertThat(asked).containsExactly(Winsock.SIO_BASE_HANDLE);
    }

    @Test
    void aRefusingProviderFallsBackToTheFirstBspHandleThatIsAnotherSocket() throws WindowsException {
        List<Integer> asked = new ArrayList<>();
        long base = BaseHandleResolver.resolve(0x100, (s, code) -> {
            asked.add(code);
            return switch (code) {
                case Winsock.SIO_BASE_HANDLE -> throw WindowsException.win32("WSAIoctl", Win32Error.WSAEFAULT);
                case Winsock.SIO_BSP_HANDLE_POLL -> s;
                default -> 0x300;
            };
        });
        assertThat(base).isEqualTo(0x300);
        assertThat(asked).containsExactly(Winsock.SIO_BASE_HANDLE, Winsock.SIO_BSP_HANDLE_POLL,
                Winsock.SIO_BSP_HANDLE_SELECT);
    }

    @Test
    void whenNothingAnswersTheBaseHandleRefusalIsReported() {
        assertThatThrownBy(() -> BaseHandleResolver.resolve(0x100, (s, code) -> {
            throw WindowsException.win32("WSAIoctl", code == Winsock.SIO_BASE_HANDLE ? Win32Error.WSAEFAULT
                    : Win32Error.WSAEINVAL);
        })).isInstanceOf(WindowsException.class).hasMessageContaining("WSAEFAULT")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(3));
    }
}
