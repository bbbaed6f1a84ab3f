package dev.dxreactor.reactor;

/**
 * How many event-loop threads a {@link DxReactor} runs.
 *
 * <p>Every worker serves both accepting and connections: with one loop per core there is no separate
 * boss thread to hop through.
 */
public final class WorkerStrategy {

    /** Upper bound for {@link #fixed(int)}: far above any sensible count, low enough to catch typos. */
    public static final int MAX_WORKERS = 4096;

    private final int fixedCount;

    private WorkerStrategy(int fixedCount) {
        this.fixedCount = fixedCount;
    }

    /** One worker per processor the JVM may use ({@link Runtime#availableProcessors()}); the default. */
    public static WorkerStrategy threadPerCore() {
        return new WorkerStrategy(0);
    }

    /**
     * Exactly {@code workers} workers.
     *
     * @throws IllegalArgumentException if {@code workers} is not within 1 and {@value #MAX_WORKERS}
     */
    public static WorkerStrategy fixed(int workers) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be 1 to " + MAX_WORKERS + ", got " + workers);
        }
        return new WorkerStrategy(workers);
    }

    /** The number of worker threads this strategy gives on this machine now. */
    public int workerCount() {
        return fixedCount == 0 ? Runtime.getRuntime().availableProcessors() : fixedCount;
    }

    @Override
    public String toString() {
        return fixedCount == 0 ? "threadPerCore" : "fixed(" + fixedCount + ")";
    }
}
