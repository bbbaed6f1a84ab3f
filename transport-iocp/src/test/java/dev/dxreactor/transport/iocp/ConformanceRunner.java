package dev.dxreactor.transport.iocp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Runs the conformance scenarios ({@code conformance/scenarios.txt}) against a {@link WindowsKernel}, the same
 * way {@code src/conformance/afd_runner.c} runs them against Windows' DLLs under Wine.
 */
final class ConformanceRunner {

    record Step(int number, String command, String expected) {
        /**
         * The observations the step accepts: {@code a or b} where Windows may answer either (the emulated kernel
         * and Wine give the first; run-wine.sh compares the observed tables, so it still tells them apart).
         */
        List<String> allowed() {
            return List.of(expected.split(" or "));
        }
    }

    record Scenario(String name, List<Step> steps) {
    }

    /** One observed row of the result table. */
    record Row(String scenario, int step, String command, String observed) {
        String line() {
            return scenario + "\t" + step + "\t" + command + "\t" + observed;
        }
    }

    private static final long HELPER_KEY = 1;
    /** How long a refused loopback connect may take to be reported: Windows' SYN retries take about 2 s. */
    private static final int CONNECT_WAIT_MILLIS = 5000;

    private final WindowsKernel kernel;
    private final String scenario;
    private final Arena arena = Arena.ofConfined();
    private final Map<String, Long> sockets = new HashMap<>();
    private final Map<String, Long> closedHandles = new HashMap<>();
    private final Map<String, MemorySegment> polls = new LinkedHashMap<>();
    private final Map<String, Long> pollCarriers = new HashMap<>();
    private final Map<String, MemorySegment> overlapped = new LinkedHashMap<>();
    private final Map<String, Long> files = new HashMap<>();
    /** Packets a {@code recv-match} took while it drove the port, for the next {@code dequeue} to report. */
    private final List<String> taken = new ArrayList<>();
    private Path fileDirectory;
    private final MemorySegment entries;
    private final long port;
    private final long helper;

    private ConformanceRunner(WindowsKernel kernel, String scenario) throws WindowsException {
        this.kernel = kernel;
        this.scenario = scenario;
        port = kernel.createCompletionPort();
        helper = kernel.openAfdHelper("Conformance");
        kernel.associate(helper, port, HELPER_KEY);
        entries = arena.allocate(OverlappedEntry.LAYOUT, 8);
    }

    static List<Scenario> parse(String text) {
        List<Scenario> scenarios = new ArrayList<>();
        List<Step> steps = null;
        String name = null;
        int lineNumber = 0;
        for (String raw : text.split("\n")) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("scenario ")) {
                name = line.substring("scenario ".length()).strip();
                steps = new ArrayList<>();
                scenarios.add(new Scenario(name, steps));
                continue;
            }
            int arrow = line.indexOf("=>");
            if (steps == null || arrow < 0) {
                throw new IllegalArgumentException("line " + lineNumber + ": a step is 'command => observation'"
                        + " inside a scenario: " + line);
            }
            steps.add(new Step(steps.size() + 1, line.substring(0, arrow).strip(), line.substring(arrow + 2).strip()));
        }
        return scenarios;
    }

    static List<Scenario> load() {
        try (var in = ConformanceRunner.class.getResourceAsStream("/conformance/scenarios.txt")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one scenario; a step that fails reports {@code error <name>} and the scenario goes on. */
    static List<Row> run(WindowsKernel kernel, Scenario scenario) throws WindowsException {
        ConformanceRunner runner = new ConformanceRunner(kernel, scenario.name());
        List<Row> rows = new ArrayList<>();
        try {
            for (Step step : scenario.steps()) {
                String observed;
                try {
                    observed = runner.execute(step.command().split("\\s+"));
                } catch (WindowsException e) {
                    observed = "error " + e.codeName();
                }
                rows.add(new Row(scenario.name(), step.number(), step.command(), observed));
            }
        } finally {
            runner.close();
        }
        return rows;
    }

    private void close() throws WindowsException {
        for (long socket : sockets.values()) {
            try {
                kernel.closeSocket(socket);
            } catch (WindowsException e) {
                // closed by the scenario already
            }
        }
        kernel.closeHandle(helper);
        // Drain what closing produced, so that no packet refers to memory after the arena is gone.
        while (kernel.dequeue(port, entries, 0) > 0) {
            continue;
        }
        kernel.closeHandle(port);
        arena.close();
        for (long file : files.values()) {
            kernel.closeHandle(file);
        }
        if (fileDirectory != null) {
            try (var entries = Files.list(fileDirectory)) {
                for (Path file : (Iterable<Path>) entries::iterator) {
                    Files.delete(file);
                }
                Files.delete(fileDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The byte at {@code position} of every scenario file, so that a transfer from the wrong offset shows. */
    private static byte fileByte(long position) {
        return (byte) ('a' + position % 26);
    }

    private String createFile(String name, int size) throws WindowsException {
        try {
            if (fileDirectory == null) {
                fileDirectory = Files.createTempDirectory("conformance");
            }
            byte[] content = new byte[size];
            for (int i = 0; i < size; i++) {
                content[i] = fileByte(i);
            }
            Path path = Files.write(fileDirectory.resolve(name), content);
            files.put(name, kernel.createFile(path.toString(), Win32File.GENERIC_READ, Win32File.FILE_SHARE_READ,
                    Win32File.OPEN_EXISTING, 0));
            return "ok";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Receives {@code count} bytes on {@code s} (non-blocking: retried for at most {@link #CONNECT_WAIT_MILLIS}) and
     * compares them with the file's bytes from {@code offset}. While nothing is there to read it {@link #take}s.
     */
    private String receiveAndMatch(long s, long offset, int count) throws WindowsException {
        MemorySegment buffer = arena.allocate(65536);
        long deadline = System.nanoTime() + CONNECT_WAIT_MILLIS * 1_000_000L;
        int received = 0;
        while (received < count && System.nanoTime() < deadline) {
            int n = kernel.recv(s, buffer.asSlice(0, Math.min(buffer.byteSize(), count - received)), 0);
            if (n == WindowsKernel.WOULD_BLOCK) {
                take();
                continue;
            }
            if (n == 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(ValueLayout.JAVA_BYTE, i) != fileByte(offset + received + i)) {
                    return "mismatch at " + (received + i);
                }
            }
            received += n;
        }
        return received == count ? "match " + count : "short " + received;
    }

    private long socket(String name) {
        Long handle = sockets.get(name);
        if (handle == null) {
            throw new IllegalArgumentException(scenario + ": no socket " + name);
        }
        return handle;
    }

    private long newSocket(String name) throws WindowsException {
        long s = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
        sockets.put(name, s);
        return s;
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private String execute(String[] c) throws WindowsException {
        switch (c[0]) {
            case "pair": {
                long l = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
                kernel.bind(l, loopback(0));
                kernel.listen(l, 8);
                long a = newSocket(c[1]);
                kernel.connect(a, kernel.localAddress(l));
                long b = kernel.accept(l);
                sockets.put(c[2], b);
                kernel.closeSocket(l);
                kernel.setNonBlocking(a, true);
                kernel.setNonBlocking(b, true);
                return "ok";
            }
            case "listener": {
                long l = newSocket(c[1]);
                kernel.bind(l, loopback(0));
                kernel.listen(l, 8);
                kernel.setNonBlocking(l, true);
                return "ok";
            }
            case "connect": {
                long s = newSocket(c[1]);
                kernel.setNonBlocking(s, true);
                kernel.connect(s, kernel.localAddress(socket(c[2])));
                return "ok";
            }
            case "connect-refused": {
                long probe = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
                kernel.bind(probe, loopback(0));
                InetSocketAddress unused = kernel.localAddress(probe);
                kernel.closeSocket(probe);
                long s = newSocket(c[1]);
                kernel.setNonBlocking(s, true);
                kernel.connect(s, unused);
                awaitConnectOutcome(s);
                return "ok";
            }
            case "send": {
                int n = Integer.parseInt(c[2]);
                MemorySegment data = arena.allocate(n);
                data.fill((byte) 'x');
                return "sent " + kernel.send(socket(c[1]), data, 0);
            }
            case "recv": {
                int n = kernel.recv(socket(c[1]), arena.allocate(Integer.parseInt(c[2])), 0);
                return n == WindowsKernel.WOULD_BLOCK ? "would-block" : "recv " + n;
            }
            case "shutdown":
                kernel.shutdown(socket(c[1]), Winsock.SD_SEND);
                return "ok";
            case "reset":
                kernel.setLinger(socket(c[1]), 0);
                kernel.closeSocket(sockets.remove(c[1]));
                return "ok";
            case "close": {
                long s = sockets.remove(c[1]);
                closedHandles.put(c[1], s);
                kernel.closeSocket(s);
                return "ok";
            }
            case "associate":
                kernel.associate(socket(c[1]), port, Long.parseLong(c[2]));
                return "ok";
            case "skip-port":
                kernel.setCompletionNotificationModes(c[1].equals("H") ? helper : socket(c[1]),
                        Winsock.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
                return "ok";
            case "poll":
                return poll(c);
            case "cancel": {
                MemorySegment memory = polls.get(c[1]);
                return NtStatus.name(kernel.cancelAfdPoll(pollCarriers.get(c[1]), memory.asSlice(0, 16)));
            }
            case "result":
                return pollResult(polls.get(c[1]));
            case "wsarecv": {
                MemorySegment ov = arena.allocate(Overlapped.LAYOUT);
                MemorySegment bufs = arena.allocate(WsaBuf.LAYOUT);
                // A zero-length WSABUF still points at memory, as a zero-byte read on Windows does.
                WsaBuf.set(bufs, 0, arena.allocate(Math.max(1, Integer.parseInt(c[3]))).asSlice(0,
                        Integer.parseInt(c[3])));
                overlapped.put(c[1], ov);
                return submitted(kernel.wsaRecv(socket(c[2]), bufs, 1, ov));
            }
            case "wsasend": {
                int n = Integer.parseInt(c[3]);
                int parts = c.length > 4 ? Integer.parseInt(c[4]) : 1;
                MemorySegment ov = arena.allocate(Overlapped.LAYOUT);
                MemorySegment bufs = arena.allocate(WsaBuf.SIZE * parts, 8);
                MemorySegment data = arena.allocate(n).fill((byte) 'x');
                for (int i = 0, offset = 0; i < parts; i++) {
                    int length = i == parts - 1 ? n - offset : n / parts;
                    WsaBuf.set(bufs, i, data.asSlice(offset, length));
                    offset += length;
                }
                overlapped.put(c[1], ov);
                return submitted(kernel.wsaSend(socket(c[2]), bufs, parts, ov));
            }
            case "acceptex": {
                long target = newSocket(c[2]);
                MemorySegment ov = arena.allocate(Overlapped.LAYOUT);
                MemorySegment addresses = arena.allocate(2L * Winsock.ACCEPTEX_ADDRESS_LENGTH, 8);
                overlapped.put(c[1], ov);
                return submitted(kernel.acceptEx(socket(c[3]), target, addresses, Winsock.ACCEPTEX_ADDRESS_LENGTH, ov));
            }
            case "connectex": {
                InetSocketAddress target;
                if (c[3].equals("refused")) {
                    long probe = kernel.socket(Winsock.AF_INET, Winsock.SOCK_STREAM, Winsock.IPPROTO_TCP);
                    kernel.bind(probe, loopback(0));
                    target = kernel.localAddress(probe);
                    kernel.closeSocket(probe);
                } else {
                    target = kernel.localAddress(socket(c[3]));
                }
                long s = newSocket(c[2]);
                kernel.bind(s, loopback(0));
                kernel.associate(s, port, Long.parseLong(c[4]));
                MemorySegment ov = arena.allocate(Overlapped.LAYOUT);
                overlapped.put(c[1], ov);
                return submitted(kernel.connectEx(s, target, ov));
            }
            case "file":
                return createFile(c[1], Integer.parseInt(c[2]));
            case "closefile":
                kernel.closeHandle(files.remove(c[1]));
                return "ok";
            case "transmitfile": {
                MemorySegment ov = arena.allocate(Overlapped.LAYOUT);
                overlapped.put(c[1], ov);
                return submitted(kernel.transmitFile(socket(c[2]), files.get(c[3]), Long.parseLong(c[4]),
                        Integer.parseInt(c[5]), ov));
            }
            case "recv-match":
                return receiveAndMatch(socket(c[1]), Long.parseLong(c[3]), Integer.parseInt(c[4]));
            case "cancelio":
                return kernel.cancelIoEx(socket(c[1]), c.length > 2 ? overlapped.get(c[2]) : null) ? "ok" : "not-found";
            case "post":
                kernel.post(port, Long.parseLong(c[1]), 0, Integer.parseInt(c[2]));
                return "ok";
            case "dequeue":
                return partial(c, dequeue(Integer.parseInt(c[1]), Integer.parseInt(c[2])));
            default:
                throw new IllegalArgumentException(scenario + ": unknown command " + c[0]);
        }
    }

    /** With the option {@code partial}, every byte count but 0 reads {@code bytes>0}. */
    private static String partial(String[] c, String packets) {
        return c.length > 3 && c[3].equals("partial") ? packets.replaceAll("bytes=[1-9][0-9]*", "bytes>0") : packets;
    }

    private static String submitted(int result) {
        return result == Win32Error.ERROR_IO_PENDING ? "pending" : "done";
    }

    /**
     * Waits until the pending connect of {@code s} has failed or succeeded, at most {@link #CONNECT_WAIT_MILLIS}, as
     * the C runner does with select: Windows retries a refused loopback SYN for about two seconds before the
     * connect fails, where Linux and Wine refuse at once. The wait is an AFD poll through a helper and port of its
     * own, so the scenario's port sees none of its packets; closing the helper ends the poll if it is still
     * pending, and its memory lives as long as the scenario's.
     */
    private void awaitConnectOutcome(long s) throws WindowsException {
        long waitPort = kernel.createCompletionPort();
        long waitHelper = kernel.openAfdHelper("ConformanceWait");
        MemorySegment waitEntries = arena.allocate(OverlappedEntry.LAYOUT, 8);
        MemorySegment memory = arena.allocate(16 + 32, 8);
        boolean outstanding = false;
        try {
            kernel.associate(waitHelper, waitPort, HELPER_KEY);
            AfdPollInfo.prepare(memory.asSlice(16, 32), s, Afd.POLL_CONNECT | Afd.POLL_CONNECT_FAIL, false);
            int status = kernel.afdPoll(waitHelper, memory.asSlice(0, 16), memory.asSlice(16, 32));
            // Without skip-port-on-success an immediate success queues its packet as a pending poll's would.
            outstanding = status == NtStatus.PENDING || status == NtStatus.SUCCESS;
            if (outstanding && kernel.dequeue(waitPort, waitEntries, CONNECT_WAIT_MILLIS) > 0) {
                outstanding = false;
            }
        } finally {
            kernel.closeHandle(waitHelper);
            if (outstanding) {
                kernel.dequeue(waitPort, waitEntries, CONNECT_WAIT_MILLIS);
            }
            kernel.closeHandle(waitPort);
        }
    }

    private String poll(String[] c) throws WindowsException {
        boolean exclusive = false;
        long carrier = helper;
        for (int i = 4; i < c.length; i++) {
            if (c[i].equals("exclusive")) {
                exclusive = true;
            } else if (c[i].startsWith("via=")) {
                carrier = socket(c[i].substring(4));
            } else {
                throw new IllegalArgumentException(scenario + ": unknown poll option " + c[i]);
            }
        }
        MemorySegment memory = polls.computeIfAbsent(c[1], name -> arena.allocate(16 + 32, 8));
        pollCarriers.put(c[1], carrier);
        MemorySegment info = memory.asSlice(16, 32);
        Long target = sockets.get(c[2]);
        // A closed socket is named by the handle it had, as a program holding a stale handle would.
        long handle = target != null ? target : closedHandles.getOrDefault(c[2], -1L);
        AfdPollInfo.prepare(info, handle, Afd.parseEvents(c[3]), exclusive);
        return NtStatus.name(kernel.afdPoll(carrier, memory.asSlice(0, 16), info));
    }

    private static String pollResult(MemorySegment memory) {
        MemorySegment iosb = memory.asSlice(0, 16);
        MemorySegment info = memory.asSlice(16, 32);
        int status = IoStatusBlock.status(iosb);
        StringBuilder out = new StringBuilder("status=" + NtStatus.name(status) + " info="
                + IoStatusBlock.information(iosb));
        if (status == NtStatus.CANCELLED) {
            return out.toString();
        }
        int handles = AfdPollInfo.numberOfHandles(info);
        out.append(" handles=").append(handles);
        if (handles == 0) {
            return out.append(" stale=").append(Afd.eventNames(AfdPollInfo.events(info, 0))).toString();
        }
        out.append(" events=").append(Afd.eventNames(AfdPollInfo.events(info, 0)));
        if (AfdPollInfo.status(info, 0) != 0) {
            out.append(" hstatus=").append(NtStatus.name(AfdPollInfo.status(info, 0)));
        }
        return out.toString();
    }

    /**
     * A dequeue with timeout 0 whose packets are kept for the next {@code dequeue} command: the emulated kernel moves
     * pending operations only in its dequeue passes, as a program waiting on its port would drive it.
     */
    private void take() throws WindowsException {
        int n = kernel.dequeue(port, entries, 0);
        for (int i = 0; i < n; i++) {
            taken.add(describe(OverlappedEntry.overlapped(entries, i), entries, i));
        }
    }

    private String dequeue(int max, int timeout) throws WindowsException {
        if (!taken.isEmpty()) {
            String packets = String.join(" ; ", taken);
            taken.clear();
            return packets;
        }
        MemorySegment batch = arena.allocate(OverlappedEntry.SIZE * max, 8);
        int n = kernel.dequeue(port, batch, timeout);
        if (n == 0) {
            return "none";
        }
        StringJoiner packets = new StringJoiner(" ; ");
        for (int i = 0; i < n; i++) {
            long address = OverlappedEntry.overlapped(batch, i);
            packets.add(describe(address, batch, i));
        }
        return packets.toString();
    }

    private String describe(long address, MemorySegment batch, int i) {
        for (Map.Entry<String, MemorySegment> poll : polls.entrySet()) {
            if (poll.getValue().address() == address) {
                return poll.getKey() + " " + pollResult(poll.getValue());
            }
        }
        for (Map.Entry<String, MemorySegment> op : overlapped.entrySet()) {
            if (op.getValue().address() == address) {
                return op.getKey() + " status=" + NtStatus.name(Overlapped.status(op.getValue())) + " bytes="
                        + Overlapped.bytes(op.getValue());
            }
        }
        if (address == 0) {
            return "post key=" + OverlappedEntry.completionKey(batch, i) + " bytes="
                    + OverlappedEntry.bytesTransferred(batch, i);
        }
        return "unknown 0x" + Long.toHexString(address);
    }

    static void write(Path file, List<Row> rows) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder out = new StringBuilder();
        for (Row row : rows) {
            out.append(row.line()).append('\n');
        }
        Files.writeString(file, out.toString());
    }
}
