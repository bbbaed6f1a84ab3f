package dev.dxreactor.reactor.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Thread CPU affinity on Linux through {@code sched_setaffinity(2)}/{@code sched_getaffinity(2)}, called
 * with the Foreign Function &amp; Memory API. Every native call of dx-reactor's worker layout is here.
 *
 * <p>The calls act on the calling thread ({@code pid = 0}), so a worker pins itself as it starts.
 */
public final class CpuAffinity {

    /** {@code CPU_SETSIZE} of glibc: the mask covers CPUs 0 to 1023. */
    static final int MAX_CPUS = 1024;
    private static final long MASK_BYTES = MAX_CPUS / 8;

    private static final Native NATIVE = Native.load();

    private CpuAffinity() {
    }

    /** Whether this JVM can read and set thread affinity (Linux with glibc or musl). */
    public static boolean isSupported() {
        return NATIVE.unsupportedReason == null;
    }

    /** Why {@link #isSupported()} is false, or {@code null}. */
    public static String unsupportedReason() {
        return NATIVE.unsupportedReason;
    }

    /** The CPUs the calling thread may run on, in ascending order. */
    public static int[] currentThreadCpus() {
        requireSupported();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            int rc = (int) NATIVE.getAffinity.invokeExact(state, 0, MASK_BYTES, mask);
            check(rc, state, "sched_getaffinity");
            List<Integer> cpus = new ArrayList<>();
            for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
                if ((mask.get(ValueLayout.JAVA_BYTE, cpu / 8) & (1 << (cpu % 8))) != 0) {
                    cpus.add(cpu);
                }
            }
            return cpus.stream().mapToInt(Integer::intValue).toArray();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sched_getaffinity failed", t);
        }
    }

    /**
     * Binds the calling thread to one CPU.
     *
     * @throws IllegalStateException with the errno text when the kernel refuses, for example for a CPU
     *                               outside the process's cgroup
     */
    public static void pinCurrentThread(int cpu) {
        requireSupported();
        if (cpu < 0 || cpu >= MAX_CPUS) {
            throw new IllegalArgumentException("cpu " + cpu + " is outside 0.." + (MAX_CPUS - 1));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            mask.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            MemorySegment state = arena.allocate(Native.CALL_STATE);
            int rc = (int) NATIVE.setAffinity.invokeExact(state, 0, MASK_BYTES, mask);
            check(rc, state, "sched_setaffinity(cpu " + cpu + ")");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("sched_setaffinity failed", t);
        }
    }

    private static void requireSupported() {
        if (!isSupported()) {
            throw new UnsupportedOperationException("CPU pinning is not supported here: " + unsupportedReason());
        }
    }

    private static void check(int rc, MemorySegment state, String call) {
        if (rc != 0) {
            int errno = (int) Native.ERRNO.get(state, 0L);
            throw new IllegalStateException(call + " failed with errno " + errno + " (" + errnoName(errno) + ")");
        }
    }

    private static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 3 -> "ESRCH";
            case 14 -> "EFAULT";
            case 22 -> "EINVAL: no allowed CPU in the mask";
            default -> "see errno(3)";
        };
    }

    /** The downcall handles, or why there are none. */
    private static final class Native {
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO =
                CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

        final MethodHandle setAffinity;
        final MethodHandle getAffinity;
        final String unsupportedReason;

        private Native(MethodHandle setAffinity, MethodHandle getAffinity, String unsupportedReason) {
            this.setAffinity = setAffinity;
            this.getAffinity = getAffinity;
            this.unsupportedReason = unsupportedReason;
        }

        /** Downcalls are restricted methods: the JVM needs native access granted to this module. */
        @SuppressWarnings("restricted")
        static Native load() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (!os.contains("linux")) {
                return new Native(null, null, "thread affinity is implemented for Linux only (os.name="
                        + System.getProperty("os.name") + ")");
            }
            try {
                Linker linker = Linker.nativeLinker();
                FunctionDescriptor signature = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
                Linker.Option errno = Linker.Option.captureCallState("errno");
                MethodHandle set = linker.downcallHandle(
                        linker.defaultLookup().findOrThrow("sched_setaffinity"), signature, errno);
                MethodHandle get = linker.downcallHandle(
                        linker.defaultLookup().findOrThrow("sched_getaffinity"), signature, errno);
                return new Native(set, get, null);
            } catch (RuntimeException | LinkageError e) {
                return new Native(null, null, "sched_setaffinity is not reachable: " + e);
            }
        }
    }
}
