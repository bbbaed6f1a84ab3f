package dev.dxreactor.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops the four-line JDK warning that JMH's own use of {@code sun.misc.Unsafe} triggers in every JVM
 * (JDK 24+), which JMH relays from each fork: it says nothing about the code measured and buries the
 * progress lines. The same warning naming any other caller (Netty, say) passes through.
 */
public final class JmhUnsafeWarningFilter extends OutputStream {

    private static final String FIRST = "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called";
    private static final int LINES = 4;

    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<String> held = new ArrayList<>();

    private JmhUnsafeWarningFilter(PrintStream target) {
        this.target = target;
    }

    private static boolean installed;

    /** Routes {@code System.out} and {@code System.err} through the filter; once, however often called. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        System.setOut(wrap(System.out));
        System.setErr(wrap(System.err));
    }

    private static PrintStream wrap(PrintStream target) {
        return new PrintStream(new JmhUnsafeWarningFilter(target), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            accept(text);
        }
    }

    private void accept(String text) {
        if (held.isEmpty() && !text.startsWith(FIRST)) {
            target.print(text);
            return;
        }
        held.add(text);
        // The second line names the caller: only JMH's warning is held back to the end and dropped.
        if (held.size() == 2 && !held.get(1).contains("org.openjdk.jmh.")
                || !text.startsWith("WARNING: ")) {
            release();
        } else if (held.size() == LINES) {
            held.clear();
        }
    }

    private void release() {
        held.forEach(target::print);
        held.clear();
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }
}
