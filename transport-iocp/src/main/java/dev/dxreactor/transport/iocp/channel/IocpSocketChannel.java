package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.Win32File;
import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.Winsock;
import dev.dxreactor.transport.iocp.WsaBuf;
import dev.dxreactor.transport.iocp.socket.HalfClosure;
import dev.dxreactor.transport.iocp.socket.SocketErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.StringUtil;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A TCP connection on the IOCP transport.
 *
 * <p><b>Reads</b>: by default a zero-byte {@code WSARecv} waits for data without holding a buffer, then
 * non-blocking {@code recv} reads until it would block; with {@link IocpChannelOption#OVERLAPPED_READS} an
 * overlapped {@code WSARecv} reads into a buffer from the allocator, which the kernel owns until its packet. At
 * most one read is outstanding; none is posted while auto-read is off and nobody called {@code read()}.
 *
 * <p><b>Writes</b>: one gathering {@code WSASend} at a time from the flushed buffers, which stay in the outbound
 * buffer (so writability counts the bytes in flight) and are retained until the send's packet, so that a close
 * cannot free memory the kernel still reads. Heap buffers are copied to native memory once, when written; a
 * {@link PathFileRegion} is sent with {@code TransmitFile} (the kernel reads the file), any other {@link FileRegion}
 * by copy, in chunks. Half-closure as on Netty's other transports.
 */
public final class IocpSocketChannel extends AbstractIocpChannel implements SocketChannel {

    /** Bytes of a FileRegion copied per send. */
    private static final int REGION_CHUNK = 64 * 1024;

    private final IocpSocketChannelConfig config;
    private final HalfClosure halfClosure = new HalfClosure(this);
    private boolean inputShutdownReadCompleteFired;
    private boolean readInFlight;
    private boolean writeInFlight;
    /** The PathFileRegion at the head of the outbound buffer that TransmitFile sends, and its bytes sent so far. */
    private PathFileRegion transmitting;
    private long transmitted;
    /** The failure of the last send, thrown by the next {@link #doWrite} so that Netty fails and closes as usual. */
    private IOException writeFailure;

    public IocpSocketChannel() {
        super(null);
        this.config = new IocpSocketChannelConfig(this);
    }

    /** An accepted connection. */
    IocpSocketChannel(Channel parent, long socket, boolean ipv6, InetSocketAddress local, InetSocketAddress remote)
            throws WindowsException {
        super(parent, socket, ipv6);
        this.config = new IocpSocketChannelConfig(this);
        config.applyTo(socket);
        this.local = local;
        this.remote = remote;
        active = true;
    }

    /** Closes an accepted connection that was never handed to anyone. */
    void closeUnregistered() {
        try {
            doClose();
        } catch (Exception e) {
            IocpIoHandler.LOG.debug("closing an accepted connection failed", e);
        }
    }

    @Override
    void applyOptions() throws IOException {
        config.applyTo(socket);
    }

    @Override
    public ServerSocketChannel parent() {
        return (ServerSocketChannel) super.parent();
    }

    @Override
    public SocketChannelConfig config() {
        return config;
    }

    @Override
    protected AbstractIocpUnsafe newUnsafe() {
        return new IocpSocketUnsafe();
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    void registered() {
        watchInput();
    }

    @Override
    protected void activated() {
        watchInput();
    }

    /**
     * With zero-byte reads a read stays posted while the connection is open, also when nobody reads: it costs no
     * buffer, and it hears the peer's FIN or RST (as epoll's RDHUP does) so that half-closure and resets are
     * reported without a read.
     */
    private void watchInput() {
        if (isActive() && !config.isOverlappedReads()) {
            ((IocpSocketUnsafe) unsafe()).postRead();
        }
    }

    @Override
    protected void doBeginRead() {
        IocpSocketUnsafe unsafe = (IocpSocketUnsafe) unsafe();
        unsafe.readPending = true;
        unsafe.postRead();
    }

    // ---- half-closure

    @Override
    public boolean isInputShutdown() {
        return halfClosure.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return halfClosure.isOutputShutdown();
    }

    @Override
    public boolean isShutdown() {
        return halfClosure.isShutdown();
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        return halfClosure.shutdownInput(promise);
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        return shutdownOutputOnLoop(promise);
    }

    @Override
    protected void doShutdownOutput() throws Exception {
        halfClosure.shutdownSocketOutput();
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        return halfClosure.shutdown(promise);
    }

    // ---- writing

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.isDirect() ? buf : newDirectBuffer(buf);
        }
        if (msg instanceof FileRegion) {
            return msg;
        }
        throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg)
                + " (expected: ByteBuf or FileRegion)");
    }

    /** The kernel reads outgoing bytes from native memory: heap buffers are copied once, here. */
    private ByteBuf newDirectBuffer(ByteBuf buf) {
        int readable = buf.readableBytes();
        if (readable == 0) {
            ReferenceCountUtil.safeRelease(buf);
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf direct = alloc().directBuffer(readable);
        direct.writeBytes(buf, buf.readerIndex(), readable);
        ReferenceCountUtil.safeRelease(buf);
        return direct;
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        IOException failure = writeFailure;
        if (failure != null) {
            writeFailure = null;
            throw failure;
        }
        if (writeInFlight || ((AbstractIocpUnsafe) unsafe()).closing()) {
            // The send in flight flushes again when its packet arrives; a closing channel sends nothing more.
            return;
        }
        while (true) {
            Object msg = in.current();
            if (msg == null) {
                return;
            }
            if (msg instanceof ByteBuf buf && !buf.isReadable()) {
                in.remove();
                continue;
            }
            if (msg instanceof FileRegion region && region.transferred() >= region.count()) {
                in.remove();
                continue;
            }
            break;
        }
        IocpOperation op;
        if (in.current() instanceof PathFileRegion file && config.isTransmitFile()) {
            op = transmitSend(file);
        } else if (in.current() instanceof FileRegion region) {
            op = regionSend(region);
        } else {
            op = gatheredSend(in);
        }
        int result;
        try {
            result = op.transmitFile != Win32File.INVALID_HANDLE_VALUE
                    ? kernel.transmitFile(socket, op.transmitFile, transmitting.position() + transmitted,
                            (int) op.bytesSubmitted, op.overlapped())
                    : kernel.wsaSend(socket, op.wsaBufs(), op.wsaBufCount, op.overlapped());
        } catch (WindowsException e) {
            iocp.notSubmitted(op);
            throw SocketErrors.translate(e);
        }
        submitted(op, result);
        writeInFlight = true;
    }

    /** A send of the flushed buffers at the head of the outbound buffer, each retained until the packet. */
    private IocpOperation gatheredSend(ChannelOutboundBuffer in) throws Exception {
        IocpOperation op = iocp.acquire(IocpOperation.Kind.SEND, true);
        MemorySegment wsaBufs = op.wsaBufs();
        int[] used = {0};
        long[] total = {0};
        in.forEachFlushedMessage(msg -> {
            if (!(msg instanceof ByteBuf buf)) {
                return false;
            }
            int readable = buf.readableBytes();
            if (readable == 0) {
                return true;
            }
            int parts = buf.nioBufferCount();
            if (parts < 0 || used[0] + Math.max(parts, 1) > op.wsaBufCapacity()) {
                if (used[0] == 0) {
                    // More parts than one send takes: this buffer alone goes as one native copy.
                    ByteBuf copy = alloc().directBuffer(readable);
                    copy.writeBytes(buf, buf.readerIndex(), readable);
                    op.buffer = copy;
                    WsaBuf.set(wsaBufs, used[0]++, MemorySegment.ofBuffer(copy.internalNioBuffer(0, readable)));
                    total[0] += readable;
                }
                return false;
            }
            for (ByteBuffer part : buf.nioBuffers(buf.readerIndex(), readable)) {
                if (part.hasRemaining()) {
                    WsaBuf.set(wsaBufs, used[0]++, MemorySegment.ofBuffer(part));
                }
            }
            op.pinned.add(buf.retain());
            total[0] += readable;
            return true;
        });
        op.bytesSubmitted = total[0];
        op.wsaBufCount = used[0];
        return op;
    }

    /**
     * A TransmitFile of the rest of {@code file} (at most {@link WindowsKernel#TRANSMIT_FILE_MAX_BYTES} of it), from
     * a handle opened for this send alone.
     */
    private IocpOperation transmitSend(PathFileRegion file) throws IOException {
        if (transmitting != file) {
            transmitting = file;
            transmitted = 0;
        }
        long handle;
        try {
            // Shared as the JDK's FileChannel.open shares a file: whoever else has it open may go on writing,
            // renaming or deleting it.
            handle = kernel.createFile(file.path().toString(), Win32File.GENERIC_READ,
                    Win32File.FILE_SHARE_READ | Win32File.FILE_SHARE_WRITE | Win32File.FILE_SHARE_DELETE,
                    Win32File.OPEN_EXISTING, Win32File.FILE_FLAG_SEQUENTIAL_SCAN);
        } catch (WindowsException e) {
            throw new IOException("cannot open " + file.path() + " to send it", e);
        }
        IocpOperation op = iocp.acquire(IocpOperation.Kind.SEND, false);
        op.transmitFile = handle;
        op.bytesSubmitted = Math.min(file.count() - transmitted, WindowsKernel.TRANSMIT_FILE_MAX_BYTES);
        return op;
    }

    /** A send of the next chunk of {@code region}, copied into a native buffer. */
    private IocpOperation regionSend(FileRegion region) throws IOException {
        long left = region.count() - region.transferred();
        ByteBuf chunk = alloc().directBuffer((int) Math.min(REGION_CHUNK, left));
        IocpOperation op = iocp.acquire(IocpOperation.Kind.SEND, true);
        op.buffer = chunk;
        op.fileRegion = true;
        WritableByteChannel into = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = Math.min(src.remaining(), chunk.writableBytes());
                ByteBuffer slice = src.duplicate();
                slice.limit(slice.position() + n);
                chunk.writeBytes(slice);
                src.position(src.position() + n);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        long position = region.transferred();
        try {
            while (chunk.isWritable() && region.transferred() < region.count()) {
                // A region counts what it transferred itself; each call continues from there.
                long n = region.transferTo(into, region.transferred());
                if (n <= 0) {
                    break;
                }
            }
        } catch (Throwable t) {
            iocp.notSubmitted(op);
            throw t;
        }
        if (!chunk.isReadable()) {
            iocp.notSubmitted(op);
            throw new IOException("the file region gave no bytes at " + position + " of " + region.count());
        }
        WsaBuf.set(op.wsaBufs(), 0, MemorySegment.ofBuffer(chunk.internalNioBuffer(chunk.readerIndex(),
                chunk.readableBytes())));
        op.bytesSubmitted = chunk.readableBytes();
        op.wsaBufCount = 1;
        return op;
    }

    // ---- completions

    private final class IocpSocketUnsafe extends AbstractIocpUnsafe {

        @Override
        void completed(IocpOperation op, IocpIoEvent event) {
            if (op.kind() == IocpOperation.Kind.SEND) {
                sendCompleted(op, event);
            } else {
                readInFlight = false;
                if (!isOpen() || cancelled(event) || closing()) {
                    // Cancelled by a close (or by the loop's shutdown): nothing to tell anyone.
                    return;
                }
                if (!event.succeeded()) {
                    readFailed(SocketErrors.ofStatus("WSARecv", event.status()));
                } else if (op.buffer != null) {
                    overlappedReadCompleted(op, event.bytes());
                    if (isOpen() && (readPending || config.isAutoRead())) {
                        postRead();
                    }
                } else if (readPending || config.isAutoRead()) {
                    readReady();
                    postRead();
                } else if (!dataWaits(op)) {
                    // The end of the stream (or a reset), heard while nobody reads; readReady reports it.
                    readReady();
                    postRead();
                }
                // else: data waits and nobody reads; the next read() posts a zero-byte read that completes at once.
            }
        }

        /** Posts the next read unless one is out, the input is shut, or nobody wants to read. */
        void postRead() {
            if (readInFlight || halfClosure.inputShut() || !isActive() || iocp == null || closing()) {
                return;
            }
            IocpOperation op = iocp.acquire(IocpOperation.Kind.RECV, false);
            if (config.isOverlappedReads()) {
                RecvByteBufAllocator.Handle allocHandle = recvBufAllocHandle();
                ByteBuf buf = config.getAllocator().directBuffer(allocHandle.guess());
                op.buffer = buf;
                WsaBuf.set(op.wsaBufs(), 0, MemorySegment.ofBuffer(buf.internalNioBuffer(buf.writerIndex(),
                        buf.writableBytes())));
            } else {
                // A zero-length WSABUF: completes when data (or the end of the stream) arrives, holding no buffer.
                WsaBuf.set(op.wsaBufs(), 0, op.acceptAddresses().asSlice(0, 0));
            }
            int result;
            try {
                result = kernel.wsaRecv(socket, op.wsaBufs(), 1, op.overlapped());
            } catch (WindowsException e) {
                iocp.notSubmitted(op);
                readFailed(SocketErrors.translate(e));
                return;
            }
            submitted(op, result);
            readInFlight = true;
        }

        private void overlappedReadCompleted(IocpOperation op, int bytes) {
            RecvByteBufAllocator.Handle allocHandle = recvBufAllocHandle();
            ChannelPipeline pipeline = pipeline();
            allocHandle.reset(config);
            ByteBuf buf = op.buffer;
            op.buffer = null;
            allocHandle.attemptedBytesRead(buf.writableBytes());
            if (bytes == 0) {
                buf.release();
                allocHandle.lastBytesRead(-1);
                readPending = false;
                allocHandle.readComplete();
                pipeline.fireChannelReadComplete();
                endOfInput();
                return;
            }
            buf.writerIndex(buf.writerIndex() + bytes);
            allocHandle.lastBytesRead(bytes);
            allocHandle.incMessagesRead(1);
            readPending = false;
            pipeline.fireChannelRead(buf);
            allocHandle.readComplete();
            pipeline.fireChannelReadComplete();
        }

        /** After a zero-byte read nobody asked for: whether data waits (a peek), rather than the end of the stream. */
        private boolean dataWaits(IocpOperation op) {
            try {
                int n = kernel.recv(socket, op.acceptAddresses().asSlice(0, 1), Winsock.MSG_PEEK);
                return n > 0 || n == WindowsKernel.WOULD_BLOCK;
            } catch (WindowsException e) {
                return false;
            }
        }

        /** After a zero-byte read: {@code recv} until it would block, the allocator says stop, or the stream ends. */
        private void readReady() {
            if (halfClosure.inputShut() || !isOpen()) {
                return;
            }
            RecvByteBufAllocator.Handle allocHandle = recvBufAllocHandle();
            ChannelPipeline pipeline = pipeline();
            ByteBufAllocator allocator = config.getAllocator();
            allocHandle.reset(config);
            ByteBuf buf = null;
            boolean endOfStream = false;
            try {
                do {
                    buf = allocHandle.allocate(allocator);
                    allocHandle.lastBytesRead(readInto(buf, allocHandle));
                    if (allocHandle.lastBytesRead() <= 0) {
                        buf.release();
                        buf = null;
                        endOfStream = allocHandle.lastBytesRead() < 0;
                        if (endOfStream) {
                            readPending = false;
                        }
                        break;
                    }
                    allocHandle.incMessagesRead(1);
                    readPending = false;
                    pipeline.fireChannelRead(buf);
                    buf = null;
                    if (halfClosure.inputShut() || !isOpen()) {
                        break;
                    }
                } while (allocHandle.continueReading());
                allocHandle.readComplete();
                pipeline.fireChannelReadComplete();
                if (endOfStream) {
                    endOfInput();
                }
            } catch (Throwable t) {
                if (buf != null) {
                    if (buf.isReadable()) {
                        readPending = false;
                        pipeline.fireChannelRead(buf);
                    } else {
                        buf.release();
                    }
                }
                allocHandle.readComplete();
                pipeline.fireChannelReadComplete();
                readFailed(t);
            }
        }

        private int readInto(ByteBuf buf, RecvByteBufAllocator.Handle allocHandle) throws IOException {
            int writable = buf.writableBytes();
            allocHandle.attemptedBytesRead(writable);
            MemorySegment target;
            ByteBuf bounce = null;
            if (buf.isDirect() && buf.nioBufferCount() == 1) {
                target = MemorySegment.ofBuffer(buf.internalNioBuffer(buf.writerIndex(), writable));
            } else {
                bounce = alloc().directBuffer(writable);
                target = MemorySegment.ofBuffer(bounce.internalNioBuffer(0, writable));
            }
            try {
                int n = kernel.recv(socket, target, 0);
                if (n == WindowsKernel.WOULD_BLOCK) {
                    return 0;
                }
                if (n == 0) {
                    return -1;
                }
                if (bounce != null) {
                    buf.writeBytes(bounce, 0, n);
                } else {
                    buf.writerIndex(buf.writerIndex() + n);
                }
                return n;
            } catch (WindowsException e) {
                throw SocketErrors.translate(e);
            } finally {
                if (bounce != null) {
                    bounce.release();
                }
            }
        }

        private void readFailed(Throwable cause) {
            pipeline().fireExceptionCaught(cause);
            if (isOpen()) {
                if (cause instanceof IOException) {
                    endOfInput();
                } else {
                    close(voidPromise());
                }
            }
        }

        private void endOfInput() {
            if (!halfClosure.inputShut()) {
                if (config.isAllowHalfClosure()) {
                    try {
                        halfClosure.shutdownSocketInput();
                    } catch (IOException e) {
                        // The peer ended the stream and our output may be shut already: the connection can be gone
                        // (WSAENOTCONN), and the input is over either way.
                        IocpIoHandler.LOG.trace("shutdown(SD_RECEIVE) after the end of the stream", e);
                    }
                    readPending = false;
                    pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                } else {
                    close(voidPromise());
                    return;
                }
            }
            if (!inputShutdownReadCompleteFired) {
                inputShutdownReadCompleteFired = true;
                pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
            }
        }

        private void sendCompleted(IocpOperation op, IocpIoEvent event) {
            writeInFlight = false;
            // The kernel is done with the buffers: give back the send's own references before anything else.
            op.releasePinned();
            ChannelOutboundBuffer in = outboundBuffer();
            if (!isOpen() || in == null) {
                return;
            }
            if (!event.succeeded()) {
                if (!cancelled(event)) {
                    writeFailure = SocketErrors.ofStatus("WSASend", event.status());
                    super.flush0();
                }
                return;
            }
            long sent = event.bytes() & 0xFFFF_FFFFL;
            if (op.transmitFile != Win32File.INVALID_HANDLE_VALUE) {
                transmitCompleted(in, op, sent);
            } else if (op.fileRegion) {
                FileRegion region = (FileRegion) in.current();
                in.progress(sent);
                if (region != null && region.transferred() >= region.count()) {
                    in.remove();
                }
            } else {
                in.removeBytes(sent);
            }
            if (!in.isEmpty()) {
                super.flush0();
            }
        }

        /** TransmitFile stops early only at the end of the file: then the region was larger than the file. */
        private void transmitCompleted(ChannelOutboundBuffer in, IocpOperation op, long sent) {
            PathFileRegion file = transmitting;
            in.progress(sent);
            transmitted += sent;
            if (sent < op.bytesSubmitted) {
                writeFailure = new IOException(file.path() + " ended at " + (file.position() + transmitted)
                        + ", before the region's end at " + (file.position() + file.count()));
            } else if (transmitted >= file.count()) {
                transmitting = null;
                transmitted = 0;
                in.remove();
            }
        }
    }
}
