package dev.dxreactor.benchmarks;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.Version;
import io.netty.util.internal.PlatformDependent;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a forked benchmark JVM really ran with, as seen from inside it: JDK, Netty version, JVM flags,
 * whether Netty used {@code sun.misc.Unsafe}, the allocator and the leak detection level. A report runner
 * asks for it with {@value #FILE_PROPERTY}; the forked JVM's flags and Netty's choices are not visible
 * from the runner's own JVM.
 */
public final class ForkEnvironment {

    /** System property naming the file a benchmark's trial set-up writes; unset, nothing is written. */
    public static final String FILE_PROPERTY = "dx.bench.environmentFile";

    private ForkEnvironment() {
    }

    /** Called from a benchmark's trial set-up; cheap, and a no-op outside a report run. */
    public static void recordIfRequested() {
        String file = System.getProperty(FILE_PROPERTY);
        if (file == null || file.isEmpty()) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("java.version", System.getProperty("java.version"));
        p.setProperty("java.vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                + " (" + System.getProperty("java.vm.vendor") + ")");
        p.setProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        p.setProperty("jvm.args", String.join(" ", publicArgs(args)));
        Version netty = Version.identify().get("netty-common");
        p.setProperty("netty.version", netty == null ? "unknown" : netty.artifactVersion());
        p.setProperty("netty.unsafe", String.valueOf(PlatformDependent.hasUnsafe()));
        Throwable unsafeCause = PlatformDependent.getUnsafeUnavailabilityCause();
        p.setProperty("netty.unsafe.cause", unsafeCause == null ? "" : String.valueOf(unsafeCause.getMessage()));
        p.setProperty("netty.allocator", ByteBufAllocator.DEFAULT.getClass().getSimpleName());
        p.setProperty("netty.leakDetection", ResourceLeakDetector.getLevel().name());
        try (Writer w = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
            p.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the last forked JVM recorded, or empty properties if none wrote the file. */
    public static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.size(file) > 0) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        return p;
    }

    private static boolean isAbsolutePath(String value) {
        try {
            return !value.isEmpty() && Path.of(value).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * The flags without the harness's own property and with absolute file names (JMH passes a generated
     * one) replaced, so that the list can go into a committed results file.
     */
    static List<String> publicArgs(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("-D" + FILE_PROPERTY + "=")) {
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq >= 0 && isAbsolutePath(arg.substring(eq + 1))) {
                out.add(arg.substring(0, eq + 1) + "<file>");
            } else {
                out.add(arg);
            }
        }
        return out;
    }
}
