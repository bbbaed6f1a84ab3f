package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.WsaBuf;
import dev.dxreactor.transport.iocp.socket.HalfClosure;
import dev.dxreactor.transport.iocp.socket.SocketErrors;
import dev.dxreactor.transport.iocp.socket.WinsockSocketChannelConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
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
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A TCP connection on the AFD_POLL transport: non-blocking Winsock {@code recv}/{@code send} driven by AFD poll
 * events, gathering writes with {@code WSASend}, half-closure as on Netty's other transports.
 */
public final class AfdPollSocketChannel extends AbstractAfdPollChannel implements SocketChannel {

    private static final int SNDBUF_FULL = Integer.MAX_VALUE;

    private final WinsockSocketChannelConfig config;
    private final HalfClosure halfClosure = new HalfClosure(this);
    private boolean inputShutdownReadCompleteFired;
    private final Runnable flushTask = () -> ((AbstractAfdPollUnsafe) unsafe()).forceFlush();
    private WritableByteChannel regionTarget;

    public AfdPollSocketChannel() {
        super(null);
        this.config = new WinsockSocketChannelConfig(this);
    }

    /** An accepted connection. */
    AfdPollSocketChannel(Channel parent, long socket, boolean ipv6) throws WindowsException {
        super(parent, socket, ipv6);
        this.config = new WinsockSocketChannelConfig(this);
        config.applyTo(socket);
        local = kernel.localAddress(socket);
        remote = kernel.remoteAddress(socket);
        active = true;
        addInterest(AfdPollIoOps.HANGUP);
    }

    @Override
    protected void socketOpened() throws IOException {
        config.applyTo(socket);
    }

    @Override
    int readInterest() {
        return AfdPollIoOps.READ;
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
    protected AbstractAfdPollUnsafe newUnsafe() {
        return new AfdPollSocketUnsafe();
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
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
        ByteBufAllocator alloc = alloc();
        ByteBuf direct = alloc.isDirectBufferPooled() ? alloc.directBuffer(readable) : ByteBufUtil.threadLocalDirectBuffer();
        if (direct == null) {
            direct = alloc.directBuffer(readable);
        }
        direct.writeBytes(buf, buf.readerIndex(), readable);
        ReferenceCountUtil.safeRelease(buf);
        return direct;
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        int spin = config.getWriteSpinCount();
        do {
            int count = in.size();
            if (count == 0) {
                removeInterest(AfdPollIoOps.WRITE);
                return;
            }
            if (count > 1 && in.current() instanceof ByteBuf) {
                spin -= writeGathered(in);
            } else {
                spin -= writeOne(in);
            }
        } while (spin > 0);
        if (spin == 0) {
            // The spin quantum is used up but the socket still takes data: go on after other channels had a turn.
            removeInterest(AfdPollIoOps.WRITE);
            eventLoop().execute(flushTask);
        } else {
            // The send buffer is full: flush again on SEND. Only now is SEND armed, so an idle socket never spins.
            addInterest(AfdPollIoOps.WRITE);
        }
    }

    private int writeOne(ChannelOutboundBuffer in) throws Exception {
        Object msg = in.current();
        if (msg instanceof ByteBuf buf) {
            if (!buf.isReadable()) {
                in.remove();
                return 0;
            }
            long sent = send(buf);
            if (sent > 0) {
                in.removeBytes(sent);
                return 1;
            }
            return SNDBUF_FULL;
        }
        FileRegion region = (FileRegion) msg;
        if (region.transferred() >= region.count()) {
            in.remove();
            return 0;
        }
        long sent = region.transferTo(regionTarget(), region.transferred());
        if (sent > 0) {
            in.progress(sent);
            if (region.transferred() >= region.count()) {
                in.remove();
            }
            return 1;
        }
        return SNDBUF_FULL;
    }

    private int writeGathered(ChannelOutboundBuffer in) throws Exception {
        ByteBuffer[] buffers = in.nioBuffers(AfdPollIoHandler.MAX_GATHER, Integer.MAX_VALUE);
        int count = in.nioBufferCount();
        if (count <= 1) {
            return writeOne(in);
        }
        MemorySegment wsaBufs = handler().wsaBufs();
        for (int i = 0; i < count; i++) {
            WsaBuf.set(wsaBufs, i, MemorySegment.ofBuffer(buffers[i]));
        }
        long sent = sendOrTranslate(() -> kernel.sendGather(socket, wsaBufs, count));
        if (sent > 0) {
            // ChannelOutboundBuffer caches these ByteBuffers between calls and expects them advanced, as a
            // gathering write of the JDK would leave them.
            advance(buffers, count, sent);
            in.removeBytes(sent);
            return 1;
        }
        return SNDBUF_FULL;
    }

    private static void advance(ByteBuffer[] buffers, int count, long sent) {
        long left = sent;
        for (int i = 0; i < count && left > 0; i++) {
            int step = (int) Math.min(left, buffers[i].remaining());
            buffers[i].position(buffers[i].position() + step);
            left -= step;
        }
    }

    private long send(ByteBuf buf) throws IOException {
        if (buf.nioBufferCount() == 1) {
            MemorySegment segment = MemorySegment.ofBuffer(buf.internalNioBuffer(buf.readerIndex(), buf.readableBytes()));
            return sendOrTranslate(() -> kernel.send(socket, segment, 0));
        }
        ByteBuffer[] parts = buf.nioBuffers(buf.readerIndex(), buf.readableBytes());
        int count = Math.min(parts.length, AfdPollIoHandler.MAX_GATHER);
        MemorySegment wsaBufs = handler().wsaBufs();
        for (int i = 0; i < count; i++) {
            WsaBuf.set(wsaBufs, i, MemorySegment.ofBuffer(parts[i]));
        }
        return sendOrTranslate(() -> kernel.sendGather(socket, wsaBufs, count));
    }

    @FunctionalInterface
    private interface SendCall {
        long send() throws WindowsException;
    }

    private static long sendOrTranslate(SendCall call) throws IOException {
        try {
            long sent = call.send();
            return sent == WindowsKernel.WOULD_BLOCK ? 0 : sent;
        } catch (WindowsException e) {
            throw SocketErrors.translate(e);
        }
    }

    private AfdPollIoHandler handler() {
        return registration().attachment();
    }

    /** Where a {@link FileRegion} writes: the socket, taking native memory as it is and copying heap memory once. */
    private WritableByteChannel regionTarget() {
        if (regionTarget == null) {
            regionTarget = new WritableByteChannel() {
                @Override
                public int write(ByteBuffer src) throws IOException {
                    int length = src.remaining();
                    long sent;
                    if (src.isDirect()) {
                        sent = sendOrTranslate(() -> kernel.send(socket, MemorySegment.ofBuffer(src), 0));
                    } else {
                        ByteBuf copy = alloc().directBuffer(length);
                        try {
                            copy.writeBytes(src.duplicate());
                            sent = send(copy);
                        } finally {
                            copy.release();
                        }
                    }
                    if (sent > 0) {
                        src.position(src.position() + (int) sent);
                    }
                    return (int) Math.max(0, Math.min(sent, length));
                }

                @Override
                public boolean isOpen() {
                    return AfdPollSocketChannel.this.isOpen();
                }

                @Override
                public void close() {
                    // The socket belongs to the channel.
                }
            };
        }
        return regionTarget;
    }

    // ---- reading

    private final class AfdPollSocketUnsafe extends AbstractAfdPollUnsafe {

        @Override
        void readReady() {
            SocketChannelConfig config = config();
            if (halfClosure.inputShut()) {
                clearReadInterest();
                return;
            }
            RecvByteBufAllocator.Handle allocHandle = recvBufAllocHandle();
            ChannelPipeline pipeline = pipeline();
            ByteBufAllocator allocator = config.getAllocator();
            ReadMemoryPool pool = handler().readMemory();
            allocHandle.reset(config);
            ByteBuf buf = null;
            boolean endOfStream = false;
            try {
                do {
                    buf = pool != null ? pool.allocate(polled) : allocHandle.allocate(allocator);
                    if (buf == null) {
                        // No read memory left: leave read unarmed until the pool frees (the data waits in the kernel).
                        polled.parkForReadMemory();
                        break;
                    }
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
                handleReadException(pipeline, buf, t, endOfStream, allocHandle);
            } finally {
                if (shouldStopReading(config)) {
                    clearReadInterest();
                }
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

        private void endOfInput() throws IOException {
            if (!halfClosure.inputShut()) {
                if (config.isAllowHalfClosure()) {
                    halfClosure.shutdownSocketInput();
                    clearReadInterest();
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

        private void handleReadException(ChannelPipeline pipeline, ByteBuf buf, Throwable cause, boolean endOfStream,
                RecvByteBufAllocator.Handle allocHandle) {
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
            pipeline.fireExceptionCaught(cause);
            if (endOfStream || cause instanceof IOException || cause instanceof OutOfMemoryError) {
                try {
                    endOfInput();
                } catch (IOException e) {
                    close(voidPromise());
                }
            }
        }
    }
}
