package dev.dxreactor.fileio.internal;

import dev.dxreactor.fileio.FileIoConfig;
import dev.dxreactor.fileio.PlatformFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Picks the file backend: on Windows the IOCP backend when dx-transport-iocp is on the class path, elsewhere
 * io_uring when Netty's io_uring classes are on the class path and the kernel allows it, else the fallback; the system property {@value PlatformFiles#BACKEND_PROPERTY} (or the configuration) forces one.
 * Every choice is logged with the reason the better backend was not taken.
 */
public final class BackendSelection {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformFiles.class);
    static final String IO_URING = "io_uring";
    static final String FALLBACK = "fallback";
    static final String IOCP = "iocp";

    private BackendSelection() {
    }

    public static PlatformFiles best(FileIoConfig config) {
        String forced = System.getProperty(PlatformFiles.BACKEND_PROPERTY, config.backend().orElse(null));
        if (forced != null) {
            String name = forced.trim().toLowerCase(Locale.ROOT);
            PlatformFiles files = switch (name) {
                case IO_URING -> ioUring(config);
                case FALLBACK -> fallback(config);
                case IOCP -> iocp(config);
                default -> throw new IllegalArgumentException("unknown file backend '" + forced
                        + "'; known: " + IO_URING + ", " + IOCP + ", " + FALLBACK);
            };
            LOG.info("dx-fileio: backend {} (forced by name)", files.backendName());
            return files;
        }
        String whyNotIocp = null;
        if (isWindows()) {
            whyNotIocp = iocpUnavailability();
            if (whyNotIocp == null) {
                try {
                    IocpFiles files = IocpFiles.create(config);
                    LOG.info("dx-fileio: backend iocp {} (best of iocp, fallback)", files.placement());
                    return files;
                } catch (RuntimeException | LinkageError e) {
                    whyNotIocp = "iocp failed to start: " + e;
                }
            }
        }
        String why = whyNotIocp != null ? "iocp not used: " + whyNotIocp : ioUringUnavailability();
        if (why != null && whyNotIocp == null) {
            why = "io_uring not used: " + why;
        }
        if (why == null) {
            try {
                IoUringFiles files = IoUringFiles.create(config);
                LOG.info("dx-fileio: backend io_uring {} (best of io_uring, fallback)", files.placement());
                return files;
            } catch (RuntimeException | LinkageError e) {
                why = "io_uring not used: io_uring failed to start: " + e;
            }
        }
        LOG.info("dx-fileio: backend fallback (FileChannel on {}); {}",
                config.offload().isPresent() ? "the given offload executor" : "virtual threads", why);
        return fallback(config);
    }

    public static PlatformFiles fallback(FileIoConfig config) {
        return new FallbackFiles(config);
    }

    public static PlatformFiles ioUring(FileIoConfig config) {
        String why = ioUringUnavailability();
        if (why != null) {
            throw new IllegalStateException("io_uring file backend unavailable: " + why);
        }
        return IoUringFiles.create(config);
    }

    public static PlatformFiles iocp(FileIoConfig config) {
        String why = iocpUnavailability();
        if (why != null) {
            throw new IllegalStateException("iocp file backend unavailable: " + why);
        }
        return IocpFiles.create(config);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /**
     * {@code null} when the IOCP backend can be used, else why not: dx-transport-iocp is an optional dependency,
     * and elsewhere than on Windows it runs only on the emulated kernel ({@code -Ddx.windows.emulate=true}).
     */
    static String iocpUnavailability() {
        try {
            Class.forName("dev.dxreactor.transport.iocp.channel.IocpIoHandler", false,
                    BackendSelection.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return "dx-transport-iocp is not on the class path";
        }
        try {
            Throwable cause = IocpFiles.unavailabilityCause();
            return cause == null ? null : "the IOCP transport reports it unavailable: " + cause.getMessage();
        } catch (LinkageError e) {
            return "the IOCP transport failed to load: " + e;
        }
    }

    /** {@code null} when io_uring can be used, else why not. */
    static String ioUringUnavailability() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux";
        }
        try {
            Class.forName("io.netty.channel.uring.IoUring", false, BackendSelection.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "netty-transport-classes-io_uring is not on the class path";
        }
        try {
            Throwable cause = IoUringFiles.unavailabilityCause();
            return cause == null ? null : "Netty reports io_uring unavailable: " + cause;
        } catch (LinkageError e) {
            return "the io_uring native library did not load: " + e;
        }
    }
}
