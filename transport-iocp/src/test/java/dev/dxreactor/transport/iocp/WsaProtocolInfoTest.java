package dev.dxreactor.transport.iocp;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Reading {@code WSAEnumProtocolsW}'s array, and the emulated kernel's catalog. */
class WsaProtocolInfoTest {

    private static void write(MemorySegment array, int index, String name, int id, int flags, int chainLength) {
        MemorySegment e = array.asSlice(index * WsaProtocolInfo.SIZE, WsaProtocolInfo.SIZE);
        e.set(ValueLayout.JAVA_INT_UNALIGNED, WsaProtocolInfo.SERVICE_FLAGS1, flags);
        e.set(ValueLayout.JAVA_INT_UNALIGNED, WsaProtocolInfo.CATALOG_ENTRY_ID, id);
        e.set(ValueLayout.JAVA_INT_UNALIGNED, WsaProtocolInfo.CHAIN_LEN, chainLength);
        e.set(ValueLayout.JAVA_INT_UNALIGNED, WsaProtocolInfo.ADDRESS_FAMILY, Winsock.AF_INET6);
        e.set(ValueLayout.JAVA_INT_UNALIGNED, WsaProtocolInfo.PROTOCOL, Winsock.IPPROTO_TCP);
        byte[] chars = name.getBytes(StandardCharsets.UTF_16LE);
        e.asSlice(WsaProtocolInfo.SZ_PROTOCOL, chars.length).copyFrom(MemorySegment.ofArray(chars));
    }

    @Test
    void entriesAreReadAtTheirOffsetsAndTheIfsBitDecides() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(2 * WsaProtocolInfo.SIZE, 8);
            write(array, 0, "MSAFD Tcpip [TCP/IPv6]", 1003, 0x20066, 1);
            write(array, 1, "Some LSP über TCP", 1101, 0x66, 0);
            WsaProtocolInfo base = WsaProtocolInfo.read(array, 0);
            WsaProtocolInfo layered = WsaProtocolInfo.read(array, 1);
            assertThat(base).isEqualTo(new WsaProtocolInfo("MSAFD Tcpip [TCP/IPv6]", 1003, 0x20066, 1,
                    Winsock.AF_INET6, Winsock.IPPROTO_TCP));
            assertThat(base.isIfs()).isTrue();
            assertThat(layered.name()).isEqualTo("Some LSP über TCP");
            assertThat(layered.chainLength()).isZero();
            assertThat(layered.isIfs()).isFalse();
        }
    }

    @Test
    void aNameWithoutItsTerminatorStopsAtTheFieldsEnd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(WsaProtocolInfo.SIZE, 8);
            write(array, 0, "x".repeat(256), 7, 0x20000, 1);
            assertThat(WsaProtocolInfo.read(array, 0).name()).hasSize(WsaProtocolInfo.PROTOCOL_NAME_LENGTH);
        }
    }

    @Test
    void anEntryPastTheArrayIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(WsaProtocolInfo.SIZE + 100, 8);
            assertThatThrownBy(() -> WsaProtocolInfo.read(array, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void theEmulatedCatalogIsAllIfsUntilANonIfsLayeredProviderIsInstalled() throws Exception {
        EmulatedWindowsKernel kernel = WindowsKernel.emulated();
        assertThat(kernel.enumProtocols()).hasSize(4).allMatch(WsaProtocolInfo::isIfs)
                .allMatch(p -> p.chainLength() == 1);
        kernel.installLayeredProvider("An IFS LSP", true);
        kernel.installLayeredProvider("A non-IFS LSP", false);
        assertThat(kernel.enumProtocols()).hasSize(6)
                .filteredOn(p -> !p.isIfs()).extracting(WsaProtocolInfo::name).containsExactly("A non-IFS LSP");
        assertThat(kernel.enumProtocols()).filteredOn(p -> p.chainLength() == 0).hasSize(2);
        assertThat(WindowsKernel.emulated().enumProtocols()).allMatch(WsaProtocolInfo::isIfs);
    }

    @Test
    void windowsListsATcpBaseProvider() throws Exception {
        WindowsKernel real = WindowsKernel.real();
        assumeTrue(real.isAvailable(), "WSAEnumProtocolsW runs on Windows only");
        assertThat(real.enumProtocols()).isNotEmpty()
                .anyMatch(p -> p.chainLength() == 1 && p.protocol() == Winsock.IPPROTO_TCP
                        && p.addressFamily() == Winsock.AF_INET && !p.name().isEmpty());
    }
}
