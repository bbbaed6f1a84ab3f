package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.socket.WinsockSocketChannelConfig;
import io.netty.channel.ChannelOption;

import java.util.Map;

/**
 * The socket options of an {@link IocpSocketChannel}, {@link IocpChannelOption#OVERLAPPED_READS} and
 * {@link IocpChannelOption#TRANSMIT_FILE}.
 */
final class IocpSocketChannelConfig extends WinsockSocketChannelConfig {

    private volatile boolean overlappedReads;
    private volatile boolean transmitFile = true;

    IocpSocketChannelConfig(IocpSocketChannel channel) {
        super(channel);
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), IocpChannelOption.OVERLAPPED_READS, IocpChannelOption.TRANSMIT_FILE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == IocpChannelOption.OVERLAPPED_READS) {
            return (T) Boolean.valueOf(overlappedReads);
        }
        if (option == IocpChannelOption.TRANSMIT_FILE) {
            return (T) Boolean.valueOf(transmitFile);
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
        if (option == IocpChannelOption.TRANSMIT_FILE) {
            validate(option, value);
            transmitFile = (Boolean) value;
            return true;
        }
        return super.setOption(option, value);
    }

    /** {@link IocpChannelOption#OVERLAPPED_READS}. */
    boolean isOverlappedReads() {
        return overlappedReads;
    }

    /** {@link IocpChannelOption#TRANSMIT_FILE}. */
    boolean isTransmitFile() {
        return transmitFile;
    }
}
