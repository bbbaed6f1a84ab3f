package dev.dxreactor.transport.iocp;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

/** Every public struct layout against the table of the design page (x64, checked there with MinGW offsetof). */
class StructLayoutTest {

    static long offset(StructLayout layout, String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = groupElement(path[i]);
        }
        return layout.byteOffset(elements);
    }

    @Test
    void afdPollHandleInfoIs16BytesWithEventsAt8AndStatusAt12() {
        StructLayout l = AfdPollInfo.HANDLE_INFO_LAYOUT;
        assertThat(l.byteSize()).isEqualTo(16);
        assertThat(offset(l, "Handle")).isZero();
        assertThat(offset(l, "Events")).isEqualTo(8).isEqualTo(AfdPollInfo.HANDLE_INFO_EVENTS);
        assertThat(offset(l, "Status")).isEqualTo(12).isEqualTo(AfdPollInfo.HANDLE_INFO_STATUS);
    }

    @Test
    void afdPollInfoIs16Plus16PerHandle() {
        for (int n = 1; n <= 4; n++) {
            StructLayout l = AfdPollInfo.layout(n);
            assertThat(l.byteSize()).isEqualTo(16 + 16L * n);
            assertThat(offset(l, "Timeout")).isZero();
            assertThat(offset(l, "NumberOfHandles")).isEqualTo(8).isEqualTo(AfdPollInfo.NUMBER_OF_HANDLES);
            assertThat(offset(l, "Exclusive")).isEqualTo(12).isEqualTo(AfdPollInfo.EXCLUSIVE);
            assertThat(offset(l, "Handles")).isEqualTo(16).isEqualTo(AfdPollInfo.HANDLES);
            assertThat(l.byteOffset(groupElement("Handles"), MemoryLayout.PathElement.sequenceElement(n - 1),
                    groupElement("Status"))).isEqualTo(16 + 16L * (n - 1) + 12);
        }
        assertThat(AfdPollInfo.layout(1).byteSize()).isEqualTo(AfdPollInfo.ONE_HANDLE_SIZE);
        assertThat(AfdPollInfo.HEADER_LAYOUT.byteSize()).isEqualTo(16);
    }

    @Test
    void ioStatusBlockIs16BytesWithInformationAt8() {
        StructLayout l = IoStatusBlock.LAYOUT;
        assertThat(l.byteSize()).isEqualTo(16);
        assertThat(offset(l, "Status")).isZero().isEqualTo(IoStatusBlock.STATUS);
        assertThat(offset(l, "Information")).isEqualTo(8).isEqualTo(IoStatusBlock.INFORMATION);
    }

    @Test
    void overlappedIs32BytesWithHEventAt24() {
        StructLayout l = Overlapped.LAYOUT;
        assertThat(l.byteSize()).isEqualTo(32);
        assertThat(offset(l, "Internal")).isZero();
        assertThat(offset(l, "InternalHigh")).isEqualTo(8).isEqualTo(Overlapped.INTERNAL_HIGH);
        assertThat(offset(l, "Offset")).isEqualTo(16).isEqualTo(Overlapped.OFFSET);
        assertThat(offset(l, "OffsetHigh")).isEqualTo(20).isEqualTo(Overlapped.OFFSET_HIGH);
        assertThat(offset(l, "hEvent")).isEqualTo(24).isEqualTo(Overlapped.H_EVENT);
    }

    @Test
    void overlappedEntryIs32BytesWithBytesTransferredAt24() {
        StructLayout l = OverlappedEntry.LAYOUT;
        assertThat(l.byteSize()).isEqualTo(32).isEqualTo(OverlappedEntry.SIZE);
        assertThat(offset(l, "lpCompletionKey")).isZero();
        assertThat(offset(l, "lpOverlapped")).isEqualTo(8).isEqualTo(OverlappedEntry.OVERLAPPED);
        assertThat(offset(l, "Internal")).isEqualTo(16).isEqualTo(OverlappedEntry.INTERNAL);
        assertThat(offset(l, "dwNumberOfBytesTransferred")).isEqualTo(24).isEqualTo(OverlappedEntry.BYTES_TRANSFERRED);
    }

    @Test
    void wsaBufIs16BytesWithBufAt8() {
        StructLayout l = WsaBuf.LAYOUT;
        assertThat(l.byteSize()).isEqualTo(16).isEqualTo(WsaBuf.SIZE);
        assertThat(offset(l, "len")).isZero();
        assertThat(offset(l, "buf")).isEqualTo(8).isEqualTo(WsaBuf.BUF);
    }

    @Test
    void wsaProtocolInfoWIs628BytesWithServiceFlagsFirstAndTheNameAt116() {
        StructLayout l = WsaProtocolInfo.LAYOUT;
        assertThat(l.byteSize()).isEqualTo(628).isEqualTo(WsaProtocolInfo.SIZE);
        assertThat(l.byteAlignment()).isEqualTo(4);
        assertThat(offset(l, "dwServiceFlags1")).isZero().isEqualTo(WsaProtocolInfo.SERVICE_FLAGS1);
        assertThat(offset(l, "ProviderId")).isEqualTo(20);
        assertThat(offset(l, "dwCatalogEntryId")).isEqualTo(36).isEqualTo(WsaProtocolInfo.CATALOG_ENTRY_ID);
        assertThat(offset(l, "ProtocolChain", "ChainLen")).isEqualTo(40).isEqualTo(WsaProtocolInfo.CHAIN_LEN);
        assertThat(offset(l, "iVersion")).isEqualTo(72);
        assertThat(offset(l, "iAddressFamily")).isEqualTo(76).isEqualTo(WsaProtocolInfo.ADDRESS_FAMILY);
        assertThat(offset(l, "iProtocol")).isEqualTo(92).isEqualTo(WsaProtocolInfo.PROTOCOL);
        assertThat(offset(l, "dwProviderReserved")).isEqualTo(112);
        assertThat(offset(l, "szProtocol")).isEqualTo(116).isEqualTo(WsaProtocolInfo.SZ_PROTOCOL);
    }
}
