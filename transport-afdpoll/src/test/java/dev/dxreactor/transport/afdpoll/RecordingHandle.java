package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.Winsock;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AfdPollIoHandle} over a raw socket that records what the handler delivers to it. */
final class RecordingHandle implements AfdPollIoHandle {

    /** One delivered event: its AFD bits, or the NTSTATUS of a failed poll. */
    record Delivery(int events, int failure, boolean afterUnregistered) {
    }

    private volatile long socket;
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    volatile boolean registered;
    volatile boolean unregistered;

    RecordingHandle(long socket) {
        this.socket = socket;
    }

    @Override
    public long socket() {
        return socket;
    }

    /** As a channel does when it closes its socket: from now on the handle names none. */
    void forgetSocket() {
        socket = Winsock.INVALID_HANDLE;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent ioEvent) {
        AfdPollIoEvent event = (AfdPollIoEvent) ioEvent;
        deliveries.add(new Delivery(event.events(), event.failure(), unregistered));
    }

    @Override
    public void registered() {
        registered = true;
    }

    @Override
    public void unregistered() {
        unregistered = true;
    }

    @Override
    public void close() {
    }

    int count(int afdBits) {
        return (int) deliveries.stream().filter(d -> (d.events() & afdBits) != 0).count();
    }
}
