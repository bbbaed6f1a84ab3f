package dev.dxreactor.transport.iocp.internal;

import dev.dxreactor.transport.iocp.WindowsKernel;

/** The argument checks of {@link WindowsKernel#transmitFile}, made before any handle is looked at. */
final class TransmitFileArguments {

    private TransmitFileArguments() {
    }

    static void check(long offset, int bytes) {
        if (offset < 0) {
            throw new IllegalArgumentException("TransmitFile's file offset is >= 0, not " + offset);
        }
        if (bytes < 0 || bytes > WindowsKernel.TRANSMIT_FILE_MAX_BYTES) {
            throw new IllegalArgumentException("TransmitFile sends 0 (to the end of the file) to "
                    + WindowsKernel.TRANSMIT_FILE_MAX_BYTES + " bytes, not " + Integer.toUnsignedString(bytes));
        }
    }
}
