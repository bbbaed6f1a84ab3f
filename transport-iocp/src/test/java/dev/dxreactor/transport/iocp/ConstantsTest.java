package dev.dxreactor.transport.iocp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The constants against the design page's table, and the names errors carry. */
class ConstantsTest {

    @Test
    void afdValuesMatchTheDesignTable() {
        assertThat(Afd.IOCTL_AFD_POLL).isEqualTo(0x00012024);
        assertThat(new int[] {Afd.POLL_RECEIVE, Afd.POLL_RECEIVE_EXPEDITED, Afd.POLL_SEND, Afd.POLL_DISCONNECT,
            Afd.POLL_ABORT, Afd.POLL_LOCAL_CLOSE, Afd.POLL_CONNECT, Afd.POLL_ACCEPT, Afd.POLL_CONNECT_FAIL})
                .containsExactly(0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100);
    }

    @Test
    void statusAndErrorValuesMatchTheDesignTable() {
        assertThat(new int[] {NtStatus.SUCCESS, NtStatus.PENDING, NtStatus.TIMEOUT, NtStatus.CANCELLED,
            NtStatus.NOT_FOUND, NtStatus.INVALID_HANDLE})
                .containsExactly(0x0, 0x103, 0x102, 0xC0000120, 0xC0000225, 0xC0000008);
        assertThat(new int[] {Win32Error.ERROR_IO_PENDING, Win32Error.ERROR_OPERATION_ABORTED, Win32Error.WAIT_TIMEOUT,
            Win32Error.WSAEWOULDBLOCK, Win32Error.WSAENOTSOCK}).containsExactly(997, 995, 258, 10035, 10038);
    }

    /** The file calls' values as winerror.h, ntstatus.h and fileapi.h define them. */
    @Test
    void fileValuesMatchTheWindowsHeaders() {
        assertThat(new int[] {Win32Error.ERROR_FILE_NOT_FOUND, Win32Error.ERROR_PATH_NOT_FOUND,
            Win32Error.ERROR_ACCESS_DENIED, Win32Error.ERROR_HANDLE_EOF, Win32Error.ERROR_SHARING_VIOLATION,
            Win32Error.ERROR_FILE_EXISTS, Win32Error.ERROR_DISK_FULL, Win32Error.ERROR_FILE_TOO_LARGE,
            Win32Error.ERROR_IO_DEVICE}).containsExactly(2, 3, 5, 38, 32, 80, 112, 223, 1117);
        assertThat(new int[] {NtStatus.END_OF_FILE, NtStatus.DISK_FULL, NtStatus.IO_DEVICE_ERROR,
            NtStatus.FILE_TOO_LARGE}).containsExactly(0xC0000011, 0xC000007F, 0xC0000185, 0xC0000904);
        assertThat(new int[] {NtStatus.toWin32(NtStatus.END_OF_FILE), NtStatus.toWin32(NtStatus.DISK_FULL),
            NtStatus.toWin32(NtStatus.IO_DEVICE_ERROR), NtStatus.toWin32(NtStatus.FILE_TOO_LARGE)})
                .containsExactly(Win32Error.ERROR_HANDLE_EOF, Win32Error.ERROR_DISK_FULL, Win32Error.ERROR_IO_DEVICE,
                        Win32Error.ERROR_FILE_TOO_LARGE);
        assertThat(new int[] {Win32File.GENERIC_READ, Win32File.GENERIC_WRITE, Win32File.FILE_SHARE_READ,
            Win32File.FILE_SHARE_WRITE, Win32File.FILE_SHARE_DELETE, Win32File.CREATE_NEW, Win32File.CREATE_ALWAYS,
            Win32File.OPEN_EXISTING, Win32File.OPEN_ALWAYS, Win32File.FILE_FLAG_OVERLAPPED,
            Win32File.FILE_FLAG_SEQUENTIAL_SCAN, Win32File.FILE_ATTRIBUTE_NORMAL})
                .containsExactly(0x80000000, 0x40000000, 1, 2, 4, 1, 2, 3, 4, 0x40000000, 0x08000000, 0x80);
        assertThat(Win32Error.name(Win32Error.ERROR_PATH_NOT_FOUND)).isEqualTo("ERROR_PATH_NOT_FOUND");
        assertThat(NtStatus.name(NtStatus.END_OF_FILE)).isEqualTo("STATUS_END_OF_FILE");
    }

    @Test
    void winsockValuesMatchTheDesignTable() {
        assertThat(new int[] {Winsock.SIO_BASE_HANDLE, Winsock.SIO_BSP_HANDLE, Winsock.SIO_BSP_HANDLE_SELECT,
            Winsock.SIO_BSP_HANDLE_POLL, Winsock.SIO_GET_EXTENSION_FUNCTION_POINTER})
                .containsExactly(0x48000022, 0x4800001B, 0x4800001C, 0x4800001D, 0xC8000006);
        assertThat(new int[] {Winsock.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, Winsock.FILE_SKIP_SET_EVENT_ON_HANDLE,
            Winsock.FIONBIO, Winsock.WSA_FLAG_OVERLAPPED, Winsock.WSA_FLAG_NO_HANDLE_INHERIT,
            Winsock.SO_UPDATE_ACCEPT_CONTEXT, Winsock.SO_UPDATE_CONNECT_CONTEXT})
                .containsExactly(0x1, 0x2, 0x8004667E, 0x01, 0x80, 0x700B, 0x7010);
    }

    @Test
    void errorsCarryTheCodeAndItsName() {
        WindowsException win32 = WindowsException.win32("WSARecv", Win32Error.WSAECONNRESET);
        assertThat(win32).hasMessage("WSARecv failed: WSAECONNRESET (10054)");
        assertThat(win32.code()).isEqualTo(10054);
        assertThat(win32.codeName()).isEqualTo("WSAECONNRESET");
        assertThat(win32.isNtStatus()).isFalse();

        WindowsException nt = WindowsException.ntStatus("NtCreateFile", NtStatus.ACCESS_DENIED);
        assertThat(nt).hasMessage("NtCreateFile failed: STATUS_ACCESS_DENIED");
        assertThat(nt.isNtStatus()).isTrue();
        assertThat(nt.win32Code()).isEqualTo(Win32Error.ERROR_ACCESS_DENIED);
        assertThat(NtStatus.name(0xC0001234)).isEqualTo("NTSTATUS 0xC0001234");
        assertThat(Win32Error.name(4242)).isEqualTo("error 4242");
    }

    @Test
    void eventNamesRoundTripAndUnknownNamesAreRefused() {
        assertThat(Afd.eventNames(Afd.POLL_RECEIVE | Afd.POLL_DISCONNECT)).isEqualTo("RECEIVE|DISCONNECT");
        assertThat(Afd.eventNames(0)).isEqualTo("NONE");
        assertThat(Afd.eventNames(0x400)).isEqualTo("0x400");
        for (int events = 0; events <= Afd.POLL_ALL; events++) {
            assertThat(Afd.parseEvents(Afd.eventNames(events))).isEqualTo(events);
        }
        assertThatThrownBy(() -> Afd.parseEvents("RECEIVE|READ")).hasMessageContaining("'READ'");
    }
}
