package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.socket.WinsockServerSocketChannelConfig;
import io.netty.channel.ChannelOption;

import java.util.Map;

/** The options of an {@link IocpServerSocketChannel}, and {@link IocpChannelOption#PENDING_ACCEPTS}. */
final class IocpServerSocketChannelConfig extends WinsockServerSocketChannelConfig {

    static final int MAX_PENDING_ACCEPTS = 1024;

    private volatile int pendingAccepts = 32;

    IocpServerSocketChannelConfig(IocpServerSocketChannel channel) {
        super(channel);
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), IocpChannelOption.PENDING_ACCEPTS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == IocpChannelOption.PENDING_ACCEPTS) {
            return (T) Integer.valueOf(pendingAccepts);
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        if (option == IocpChannelOption.PENDING_ACCEPTS) {
            validate(option, value);
            setPendingAccepts((Integer) value);
            return true;
        }
        return super.setOption(option, value);
    }

    /** {@link IocpChannelOption#PENDING_ACCEPTS}. */
    int pendingAccepts() {
        return pendingAccepts;
    }

    void setPendingAccepts(int pendingAccepts) {
        if (pendingAccepts < 1 || pendingAccepts > MAX_PENDING_ACCEPTS) {
            throw new IllegalArgumentException("pending accepts must be 1 to " + MAX_PENDING_ACCEPTS + ", not "
                    + pendingAccepts);
        }
        this.pendingAccepts = pendingAccepts;
    }
}
