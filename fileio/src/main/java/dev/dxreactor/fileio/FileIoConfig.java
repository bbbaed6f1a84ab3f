package dev.dxreactor.fileio;

import dev.dxreactor.reactor.DxReactor;
import io.netty.channel.EventLoopGroup;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Settings of a {@link PlatformFiles}: limits, and where the work runs.
 *
 * <p>With an event loop group that runs io_uring, the io_uring backend registers on every loop of it and spreads
 * work over them; without one it starts one io_uring loop thread of its own. Without an offload executor the
 * fallback backend runs on virtual threads. Passing a {@link DxReactor} sets both, so file I/O runs on the loops
 * that serve the sockets when they run io_uring.
 */
public final class FileIoConfig {

    /** Default of {@link Builder#maxOpenFiles(int)}. */
    public static final int DEFAULT_MAX_OPEN_FILES = 1024;
    /** Upper bound of {@link Builder#maxOpenFiles(int)}: one in-flight operation per file must fit a ring tag. */
    public static final int MAX_OPEN_FILES_LIMIT = 32_767;
    /** Default of {@link Builder#maxReadBytes(int)}: 1 GiB. */
    public static final int DEFAULT_MAX_READ_BYTES = 1 << 30;

    private final int maxOpenFiles;
    private final int maxReadBytes;
    private final EventLoopGroup eventLoopGroup;
    private final Executor offload;
    private final String backend;

    private FileIoConfig(Builder b) {
        this.maxOpenFiles = b.maxOpenFiles;
        this.maxReadBytes = b.maxReadBytes;
        this.eventLoopGroup = b.eventLoopGroup;
        this.offload = b.offload;
        this.backend = b.backend;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static FileIoConfig defaults() {
        return builder().build();
    }

    /** Files open at the same time at most; requests beyond it wait in order. */
    public int maxOpenFiles() {
        return maxOpenFiles;
    }

    /** Largest read that allocates a buffer; a larger file fails its own entry with {@code EFBIG}. */
    public int maxReadBytes() {
        return maxReadBytes;
    }

    public Optional<EventLoopGroup> eventLoopGroup() {
        return Optional.ofNullable(eventLoopGroup);
    }

    public Optional<Executor> offload() {
        return Optional.ofNullable(offload);
    }

    /** The backend asked for by name, if any. */
    public Optional<String> backend() {
        return Optional.ofNullable(backend);
    }

    public static final class Builder {
        private int maxOpenFiles = DEFAULT_MAX_OPEN_FILES;
        private int maxReadBytes = DEFAULT_MAX_READ_BYTES;
        private EventLoopGroup eventLoopGroup;
        private Executor offload;
        private String backend;

        private Builder() {
        }

        /** 1 to {@value #MAX_OPEN_FILES_LIMIT}; default {@value #DEFAULT_MAX_OPEN_FILES}. */
        public Builder maxOpenFiles(int maxOpenFiles) {
            if (maxOpenFiles < 1 || maxOpenFiles > MAX_OPEN_FILES_LIMIT) {
                throw new IllegalArgumentException(
                        "maxOpenFiles must be 1.." + MAX_OPEN_FILES_LIMIT + ", was " + maxOpenFiles);
            }
            this.maxOpenFiles = maxOpenFiles;
            return this;
        }

        /** 0 to {@code Integer.MAX_VALUE - 8}; default 1 GiB. */
        public Builder maxReadBytes(int maxReadBytes) {
            if (maxReadBytes < 0 || maxReadBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxReadBytes must be 0.." + (Integer.MAX_VALUE - 8)
                        + ", was " + maxReadBytes);
            }
            this.maxReadBytes = maxReadBytes;
            return this;
        }

        /**
         * Loops to run io_uring file operations on, when they run io_uring: every loop of the group gets a ring
         * handle and an equal share of {@link #maxOpenFiles(int)}. The caller keeps ownership.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = group;
            return this;
        }

        /** Executor for the fallback backend's blocking calls; the caller keeps ownership. */
        public Builder offload(Executor offload) {
            this.offload = offload;
            return this;
        }

        /** The reactor's loops and offload executor. */
        public Builder reactor(DxReactor reactor) {
            return eventLoopGroup(reactor.group()).offload(reactor.offload());
        }

        /**
         * Forces a backend by name ({@code io_uring} or {@code fallback}); the system property
         * {@value PlatformFiles#BACKEND_PROPERTY} wins over this.
         */
        public Builder backend(String name) {
            this.backend = name;
            return this;
        }

        public FileIoConfig build() {
            return new FileIoConfig(this);
        }
    }
}
