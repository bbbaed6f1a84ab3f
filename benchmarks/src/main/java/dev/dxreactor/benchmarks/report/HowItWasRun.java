package dev.dxreactor.benchmarks.report;

import java.util.List;
import java.util.Locale;

/**
 * A report's "How it was run" section: a key-value table of the environment, the rows every report shows
 * (JDK, OS, load, Netty, Unsafe, the JVM flags, JMH, wall time) and any a report adds, in the order added.
 */
public final class HowItWasRun {

    private final Environment env;
    private final MarkdownTable table = MarkdownTable.keyValue();

    HowItWasRun(Environment env) {
        this.env = env;
    }

    /** A row of the report's own. */
    public HowItWasRun row(String key, String value) {
        table.row(key, value);
        return this;
    }

    /** The JDK and VM, the OS with its CPUs, and the load average at the start and end of the run. */
    public HowItWasRun jdkOsAndLoad() {
        row("JDK", env.fork("java.version") + ", " + env.fork("java.vm"));
        row("OS, CPUs", env.os());
        return row("Load average (1 min)", String.format(Locale.ROOT, "%.2f when the run started, %.2f when it "
                + "ended; other processes on the machine count too", env.loadAtStart(), env.loadAtEnd()));
    }

    /** Netty's version, allocator and leak detection level as a fork saw them. */
    public HowItWasRun netty() {
        return row("Netty", env.fork("netty.version") + ", allocator " + env.fork("netty.allocator")
                + ", leak detection " + env.fork("netty.leakDetection"));
    }

    /** Whether Netty used {@code sun.misc.Unsafe}; {@code notUsed} is the words for "no". */
    public HowItWasRun unsafe(String notUsed) {
        return row("`sun.misc.Unsafe` in Netty", env.unsafeLine(notUsed));
    }

    /** The flags the runner gave the forks, {@code why} after them, then the flags a fork saw. */
    public HowItWasRun jvmFlags(List<String> set, String why) {
        return jvmFlags(set, why, env.fork("jvm.args"));
    }

    /** As {@link #jvmFlags(List, String)}, with the flags a fork saw as {@code seen} (some left out). */
    public HowItWasRun jvmFlags(List<String> set, String why, String seen) {
        row("JVM flags we set", "`" + String.join(" ", set) + "`" + why);
        return row("JVM flags as seen in a fork", "`" + seen + "` (the rest are JMH's own)");
    }

    /** The JMH version, then {@code how} the run was made (after a comma). */
    public HowItWasRun jmh(String how) {
        return row("JMH", Environment.jmhVersion() + ", " + how);
    }

    /** The run's wall time in seconds. */
    public HowItWasRun wallTime() {
        return row("Wall time", env.took().toSeconds() + " s");
    }

    /** The section: its heading, the table and a blank line. */
    public String render() {
        return "## How it was run\n\n" + table.render() + "\n";
    }
}
