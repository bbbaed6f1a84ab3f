package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.socket.WinsockSocketChannelConfig;
import io.netty.channel.ChannelOption;

import java.util.Map;

/** The socket options of an {@link IocpSocketChannel}, and {@link IocpChannelOption#OVERLAPPED_READS}. */
final class IocpSocketChannelConfig extends WinsockSocketChannelConfig {

    private volatile boolean overlappedReads;

    IocpSocketChannelConfig(IocpSocketChannel channel) {
        super(channel);
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), IocpChannelOption.OVERLAPPED_READS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == IocpChannelOption.OVERLAPPED_READS) {
            return (T) Boolean.valueOf(overlappedReads);
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        if (option == IocpChannelOption.OVERLAPPED_READS) {
            validate(option, value);
            overlappedReads = (Boolean) value;
            return true;
        }
        return super.setOption(option, value);
    }

    /** {@link IocpChannelOption#OVERLAPPED_READS}. */
    boolean isOverlappedReads() {
        return overlappedReads;
    }
}
