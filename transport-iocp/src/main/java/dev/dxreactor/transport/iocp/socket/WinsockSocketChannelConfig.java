package dev.dxreactor.transport.iocp.socket;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.Winsock;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;

import java.util.Map;

/**
 * {@link SocketChannelConfig} of a Winsock TCP connection. Socket options set before the socket exists (it is
 * opened at connect) are kept and applied when it opens; afterwards they go straight to the socket.
 * {@code IP_TOS} is kept but not applied: Windows ignores it for TCP unless a QoS policy says otherwise.
 * A transport with options of its own extends it.
 */
public class WinsockSocketChannelConfig extends DefaultChannelConfig implements SocketChannelConfig {

    private final AbstractWinsockChannel channel;
    private boolean tcpNoDelay = true;
    private boolean keepAlive;
    private boolean reuseAddress;
    private int sendBufferSize = -1;
    private int receiveBufferSize = -1;
    private int soLinger = -1;
    private int trafficClass;
    private volatile boolean allowHalfClosure;

    public WinsockSocketChannelConfig(AbstractWinsockChannel channel) {
        super(channel);
        this.channel = channel;
    }

    /** Applies every option to the socket that just opened. */
    public void applyTo(long socket) throws WindowsException {
        var kernel = channel.kernel;
        kernel.setSocketOption(socket, Winsock.IPPROTO_TCP, Winsock.TCP_NODELAY, tcpNoDelay ? 1 : 0);
        kernel.setSocketOption(socket, Winsock.SOL_SOCKET, Winsock.SO_KEEPALIVE, keepAlive ? 1 : 0);
        if (reuseAddress) {
            kernel.setSocketOption(socket, Winsock.SOL_SOCKET, Winsock.SO_REUSEADDR, 1);
        }
        if (sendBufferSize > 0) {
            kernel.setSocketOption(socket, Winsock.SOL_SOCKET, Winsock.SO_SNDBUF, sendBufferSize);
        }
        if (receiveBufferSize > 0) {
            kernel.setSocketOption(socket, Winsock.SOL_SOCKET, Winsock.SO_RCVBUF, receiveBufferSize);
        }
        if (soLinger >= 0) {
            kernel.setLinger(socket, soLinger);
        }
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ChannelOption.SO_RCVBUF, ChannelOption.SO_SNDBUF,
                ChannelOption.TCP_NODELAY, ChannelOption.SO_KEEPALIVE, ChannelOption.SO_REUSEADDR,
                ChannelOption.SO_LINGER, ChannelOption.IP_TOS, ChannelOption.ALLOW_HALF_CLOSURE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == ChannelOption.SO_RCVBUF) {
            return (T) Integer.valueOf(getReceiveBufferSize());
        }
        if (option == ChannelOption.SO_SNDBUF) {
            return (T) Integer.valueOf(getSendBufferSize());
        }
        if (option == ChannelOption.TCP_NODELAY) {
            return (T) Boolean.valueOf(isTcpNoDelay());
        }
        if (option == ChannelOption.SO_KEEPALIVE) {
            return (T) Boolean.valueOf(isKeepAlive());
        }
        if (option == ChannelOption.SO_REUSEADDR) {
            return (T) Boolean.valueOf(isReuseAddress());
        }
        if (option == ChannelOption.SO_LINGER) {
            return (T) Integer.valueOf(getSoLinger());
        }
        if (option == ChannelOption.IP_TOS) {
            return (T) Integer.valueOf(getTrafficClass());
        }
        if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            return (T) Boolean.valueOf(isAllowHalfClosure());
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == ChannelOption.SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == ChannelOption.SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == ChannelOption.TCP_NODELAY) {
            setTcpNoDelay((Boolean) value);
        } else if (option == ChannelOption.SO_KEEPALIVE) {
            setKeepAlive((Boolean) value);
        } else if (option == ChannelOption.SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == ChannelOption.SO_LINGER) {
            setSoLinger((Integer) value);
        } else if (option == ChannelOption.IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    public int getReceiveBufferSize() {
        return channel.intOption(Winsock.SOL_SOCKET, Winsock.SO_RCVBUF, receiveBufferSize);
    }

    @Override
    public int getSendBufferSize() {
        return channel.intOption(Winsock.SOL_SOCKET, Winsock.SO_SNDBUF, sendBufferSize);
    }

    @Override
    public int getSoLinger() {
        return channel.linger(soLinger);
    }

    @Override
    public int getTrafficClass() {
        return trafficClass;
    }

    @Override
    public boolean isKeepAlive() {
        return channel.intOption(Winsock.SOL_SOCKET, Winsock.SO_KEEPALIVE, keepAlive ? 1 : 0) != 0;
    }

    @Override
    public boolean isReuseAddress() {
        return channel.intOption(Winsock.SOL_SOCKET, Winsock.SO_REUSEADDR, reuseAddress ? 1 : 0) != 0;
    }

    @Override
    public boolean isTcpNoDelay() {
        return channel.intOption(Winsock.IPPROTO_TCP, Winsock.TCP_NODELAY, tcpNoDelay ? 1 : 0) != 0;
    }

    @Override
    public SocketChannelConfig setKeepAlive(boolean keepAlive) {
        this.keepAlive = keepAlive;
        channel.setIntOption(Winsock.SOL_SOCKET, Winsock.SO_KEEPALIVE, keepAlive ? 1 : 0);
        return this;
    }

    @Override
    public SocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    public SocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        this.receiveBufferSize = receiveBufferSize;
        channel.setIntOption(Winsock.SOL_SOCKET, Winsock.SO_RCVBUF, receiveBufferSize);
        return this;
    }

    @Override
    public SocketChannelConfig setReuseAddress(boolean reuseAddress) {
        this.reuseAddress = reuseAddress;
        channel.setIntOption(Winsock.SOL_SOCKET, Winsock.SO_REUSEADDR, reuseAddress ? 1 : 0);
        return this;
    }

    @Override
    public SocketChannelConfig setSendBufferSize(int sendBufferSize) {
        this.sendBufferSize = sendBufferSize;
        channel.setIntOption(Winsock.SOL_SOCKET, Winsock.SO_SNDBUF, sendBufferSize);
        return this;
    }

    @Override
    public SocketChannelConfig setSoLinger(int soLinger) {
        this.soLinger = soLinger;
        channel.setLinger(soLinger);
        return this;
    }

    @Override
    public SocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        this.tcpNoDelay = tcpNoDelay;
        channel.setIntOption(Winsock.IPPROTO_TCP, Winsock.TCP_NODELAY, tcpNoDelay ? 1 : 0);
        return this;
    }

    @Override
    public SocketChannelConfig setTrafficClass(int trafficClass) {
        this.trafficClass = trafficClass;
        return this;
    }

    @Override
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public SocketChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    @Override
    public SocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public SocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public SocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public SocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public SocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public SocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public SocketChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public SocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    public SocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public SocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public SocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    protected void autoReadCleared() {
        channel.clearReadPendingOnLoop();
    }
}
