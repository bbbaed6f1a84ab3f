package dev.dxreactor.transport.iocp.channel;

import io.netty.channel.DefaultFileRegion;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link DefaultFileRegion} that names its file by path, so that the IOCP transport can send it with
 * {@code TransmitFile}: the kernel reads the file and sends it, and no byte of it passes through the event loop.
 * Every other transport (NIO, epoll, io_uring, AFD_POLL) sends it as the {@code DefaultFileRegion} it is.
 *
 * <pre>{@code
 * Path file = Path.of("static", "index.html");
 * ctx.write(response);
 * ctx.writeAndFlush(new PathFileRegion(file, 0, Files.size(file)));
 * }</pre>
 *
 * <p>The IOCP channel opens the file itself for each {@code TransmitFile} (sharing it for reading, writing and
 * deleting, as the JDK's {@code FileChannel.open} does) and closes it when that send's packet has arrived; the region must not be larger than the file from
 * {@code position} on, or the write fails when the file ends early. Set {@link IocpChannelOption#TRANSMIT_FILE}
 * to {@code false} to have it copied through the loop like any other {@code FileRegion}.
 */
public final class PathFileRegion extends DefaultFileRegion {

    private final Path path;

    /**
     * @param path     the file
     * @param position where in the file the region starts
     * @param count    how many bytes it has
     */
    public PathFileRegion(Path path, long position, long count) {
        super(Objects.requireNonNull(path, "path").toFile(), position, count);
        this.path = path;
    }

    /** The file this region is part of. */
    public Path path() {
        return path;
    }
}
