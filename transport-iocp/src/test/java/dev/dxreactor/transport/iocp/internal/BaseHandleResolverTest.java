package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.Win32Error;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SIO_BASE_HANDLE and its fallbacks under layered providers that refuse it, against a fake provider chain. */
class BaseHandleResolverTest {

    /** What a provider that intercepts SIO_BASE_HANDLE answers (mio #1315). */
    private static WindowsException refused() {
        return WindowsException.win32("WSAIoctl", Win32Error.WSAEFAULT);
    }

    private record Query(long socket, int code) {
    }

    @Test
    void baseHandleIsAskedFirst() throws WindowsException {
        List<Query> asked = new ArrayList<>();
        long base = BaseHandleResolver.resolve(0x100, (s, code) -> {
            asked.add(new Query(s, code));
            return 0x200;
        });
        assertThat(base).isEqualTo(0x200);
        assertThat(asked).containsExactly(new Query(0x100, Winsock.SIO_BASE_HANDLE));
    }

    @Test
    void theBaseHandleIsAskedAgainOnTheHandleTheFallbackGave() throws WindowsException {
        List<Query> asked = new ArrayList<>();
        long base = BaseHandleResolver.resolve(0x100, (s, code) -> {
            asked.add(new Query(s, code));
            if (s == 0x100) {
                return switch (code) {
                    case Winsock.SIO_BASE_HANDLE -> throw refused();
                    case Winsock.SIO_BSP_HANDLE_POLL -> s;
                    default -> 0x200;
                };
            }
            return 0x400;
        });
        assertThat(base).isEqualTo(0x400);
        assertThat(asked).containsExactly(new Query(0x100, Winsock.SIO_BASE_HANDLE),
                new Query(0x100, Winsock.SIO_BSP_HANDLE_POLL), new Query(0x100, Winsock.SIO_BSP_HANDLE_SELECT),
                new Query(0x200, Winsock.SIO_BASE_HANDLE));
    }

    @Test
    void twoRefusingLayersArePeeledDownToTheBaseProvider() throws WindowsException {
        // 0x100 and 0x200 are layered providers that refuse SIO_BASE_HANDLE; 0x300 is the base provider's socket.
        long base = BaseHandleResolver.resolve(0x100, (s, code) -> {
            if (s == 0x300) {
                return s;
            }
            if (code == Winsock.SIO_BASE_HANDLE) {
                throw refused();
            }
            return s + 0x100;
        });
        assertThat(base).isEqualTo(0x300);
    }

    @Test
    void aLowerLayerThatCannotBeUnwrappedIsTheAnswer() throws WindowsException {
        long base = BaseHandleResolver.resolve(0x100, (s, code) -> {
            if (code == Winsock.SIO_BASE_HANDLE) {
                throw refused();
            }
            return s == 0x100 ? 0x200 : s;
        });
        assertThat(base).isEqualTo(0x200);
    }

    @Test
    void aProviderChainThatLoopsEndsAtTheLastNewHandle() throws WindowsException {
        List<Query> asked = new ArrayList<>();
        long base = BaseHandleResolver.resolve(0x100, (s, code) -> {
            asked.add(new Query(s, code));
            if (code == Winsock.SIO_BASE_HANDLE) {
                throw refused();
            }
            return s == 0x100 ? 0x200 : 0x100;
        });
        assertThat(base).isEqualTo(0x200);
        assertThat(asked).hasSizeLessThan(10);
    }

    @Test
    void anEndlessProviderChainStopsAfterTheLayerLimit() throws WindowsException {
        List<Query> asked = new ArrayList<>();
        long base = BaseHandleResolver.resolve(0x100, (s, code) -> {
            asked.add(new Query(s, code));
            if (code == Winsock.SIO_BASE_HANDLE) {
                throw refused();
            }
            return s + 1;
        });
        assertThat(base).isEqualTo(0x100 + BaseHandleResolver.MAX_LAYERS);
        assertThat(asked.stream().filter(q -> q.code() == Winsock.SIO_BASE_HANDLE))
                .hasSize(BaseHandleResolver.MAX_LAYERS);
    }

    @Test
    void notASocketIsReportedWithoutAskingTheFallbacks() {
        List<Query> asked = new ArrayList<>();
        assertThatThrownBy(() -> BaseHandleResolver.resolve(0x100, (s, code) -> {
            asked.add(new Query(s, code));
            throw WindowsException.win32("WSAIoctl", Win32Error.WSAENOTSOCK);
        })).isInstanceOf(WindowsException.class).hasMessageContaining("WSAENOTSOCK");
        assertThat(asked).containsExactly(new Query(0x100, Winsock.SIO_BASE_HANDLE));
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
