package dev.dxreactor.transport.afdpoll;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code \Device\Afd} helper handles of one loop, each carrying the polls of at most
 * {@link AfdPollConfig#socketsPerHelper()} sockets: cancelling a poll costs more the more polls share its
 * handle, so sockets are spread rather than piled on one.
 */
final class HelperCarriers {

    static final String DEVICE_NAME = "DxReactor";

    /** One helper handle and how many sockets it carries. */
    static final class Helper {
        final long handle;
        int sockets;

        Helper(long handle) {
            this.handle = handle;
        }
    }

    private final WindowsKernel kernel;
    private final long port;
    private final long key;
    private final int capacity;
    private final List<Helper> all = new ArrayList<>();
    private final ArrayDeque<Helper> withRoom = new ArrayDeque<>();

    HelperCarriers(WindowsKernel kernel, long port, long key, int capacity) {
        this.kernel = kernel;
        this.port = port;
        this.key = key;
        this.capacity = capacity;
    }

    Helper acquire() throws WindowsException {
        Helper helper = withRoom.peek();
        if (helper == null) {
            long handle = kernel.openAfdHelper(DEVICE_NAME);
            try {
                kernel.associate(handle, port, key);
            } catch (WindowsException e) {
                kernel.closeHandle(handle);
                throw e;
            }
            helper = new Helper(handle);
            all.add(helper);
            withRoom.add(helper);
        }
        if (++helper.sockets == capacity) {
            withRoom.poll();
        }
        return helper;
    }

    void release(Helper helper) {
        if (helper.sockets-- == capacity) {
            withRoom.add(helper);
        }
    }

    int helpers() {
        return all.size();
    }

    int maxSocketsOnOneHelper() {
        int max = 0;
        for (Helper helper : all) {
            max = Math.max(max, helper.sockets);
        }
        return max;
    }

    void closeAll() {
        for (Helper helper : all) {
            try {
                kernel.closeHandle(helper.handle);
            } catch (WindowsException ignored) {
                // The port goes away next; a helper that cannot be closed has nothing left to deliver.
            }
        }
        all.clear();
        withRoom.clear();
    }
}
