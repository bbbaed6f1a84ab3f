package dev.dxreactor.transport.iocp.channel;

import io.netty.channel.ChannelOption;

/** Channel options of the IOCP transport, beside Netty's own. */
public final class IocpChannelOption<T> extends ChannelOption<T> {

    /**
     * How an {@link IocpSocketChannel} reads. {@code false} (the default): a zero-byte {@code WSARecv} waits for
     * data without pinning a buffer, then non-blocking {@code recv} reads until it would block, so an idle
     * connection holds no read memory (as libuv and Kestrel read). {@code true}: an overlapped {@code WSARecv}
     * into a buffer from the channel's allocator, owned by the kernel until its packet arrives.
     */
    public static final ChannelOption<Boolean> OVERLAPPED_READS = valueOf(IocpChannelOption.class, "OVERLAPPED_READS");

    /**
     * How many {@code AcceptEx} an {@link IocpServerSocketChannel} keeps pending, each on a socket made
     * beforehand (1 to 1024, default 32, as libuv's {@code uv_simultaneous_server_accepts}).
     */
    public static final ChannelOption<Integer> PENDING_ACCEPTS = valueOf(IocpChannelOption.class, "PENDING_ACCEPTS");

    /**
     * Whether an {@link IocpSocketChannel} sends a {@link PathFileRegion} with {@code TransmitFile} ({@code true},
     * the default: the kernel reads the file and sends it) or copies it through the event loop in 64 KiB chunks,
     * as it sends every other {@code FileRegion}.
     */
    public static final ChannelOption<Boolean> TRANSMIT_FILE = valueOf(IocpChannelOption.class, "TRANSMIT_FILE");

    @SuppressWarnings("deprecation")
    private IocpChannelOption() {
        super(null);
    }
}
