package dev.dxreactor.cim.chains;

import java.util.ArrayList;
import java.util.List;

/** What the scripted steps did, in order, on the thread that ran them. */
public final class Trace {

    private static final ThreadLocal<List<String>> EVENTS = ThreadLocal.withInitial(ArrayList::new);

    private Trace() {
    }

    static void add(String event) {
        EVENTS.get().add(event);
    }

    /** The events recorded on this thread since the last call, which clears them. */
    public static List<String> take() {
        List<String> events = List.copyOf(EVENTS.get());
        EVENTS.get().clear();
        return events;
    }
}
