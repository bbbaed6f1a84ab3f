package dev.dxreactor.transport.iocp;

import java.util.List;

/**
 * The emulated kernel surface: Windows semantics over Linux sockets, with hooks that make the rare
 * orderings of a real kernel happen on demand in tests.
 */
public interface EmulatedWindowsKernel extends WindowsKernel {

    /** Fault injection for this kernel. */
    Faults faults();

    /** The concurrency {@code port} was created with ({@link #createCompletionPort(int)}), for tests. */
    int portConcurrency(long port);

    /** Polls pending on {@code socket} (for tests of the one-poll-per-socket rule). */
    int pendingPolls(long socket);

    /**
     * Operations whose memory was found released while the operation still owned it (when the kernel wrote a
     * completion or when its packet was dequeued). Each one also failed the call that found it.
     */
    List<String> memoryViolations();

    /**
     * Adds a layered provider to what {@link #enumProtocols()} reports (by default the four MSAFD base providers,
     * all IFS), as an installed LSP would; it changes nothing else.
     */
    void installLayeredProvider(String name, boolean ifs);

    /**
     * Whether an {@code AcceptEx} that finds a client waiting, or a {@code ConnectEx} that connects inside the call,
     * succeeds at once ({@code TRUE}; no packet when its socket skips the completion port on success), as Windows
     * may, instead of pending and reporting through its packet, as Wine does. Off by default: the conformance
     * scenarios compare the emulated kernel with Wine. A connect that fails inside the call still pends.
     */
    void completeAcceptAndConnectInline(boolean inline);

    /** Bytes sent by {@link #transmitFile} so far, for tests of which path a file took. */
    long transmitFileBytes();

    /** File handles open ({@link #createFile} not yet closed), for tests that nothing leaks a file. */
    int openFileHandles();

    /** Hooks that change how the next operations complete. Each call arms one occurrence; all are thread-safe. */
    interface Faults {

        /** The next completion packet queued is withheld from the next {@code dequeues} calls of {@link #dequeue}. */
        void delayNextCompletion(int dequeues);

        /**
         * The next cancel of a pending operation loses the race: the operation completes first (a poll against
         * the socket's current state, with no handles when nothing is ready) and the cancel answers
         * {@code STATUS_NOT_FOUND} / false.
         */
        void raceNextCancel();

        /** The next {@link #afdPoll} answers {@code ntStatus} without queuing anything. */
        void failNextPoll(int ntStatus);

        /**
         * The next overlapped submission ({@code WSARecv}, {@code WSASend}, {@code AcceptEx}, {@code ConnectEx},
         * {@code TransmitFile}) fails with {@code win32Error}.
         */
        void failNextOverlapped(int win32Error);
    }
}
