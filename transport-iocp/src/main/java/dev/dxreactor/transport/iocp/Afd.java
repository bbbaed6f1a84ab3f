package dev.dxreactor.transport.iocp;

import java.util.StringJoiner;

/** AFD_POLL: the ioctl code and the event bits of {@code AFD_POLL_HANDLE_INFO.Events}. */
public final class Afd {

    public static final int IOCTL_AFD_POLL = 0x00012024;

    public static final int POLL_RECEIVE = 0x1;
    public static final int POLL_RECEIVE_EXPEDITED = 0x2;
    public static final int POLL_SEND = 0x4;
    /** Peer FIN. Sticky: reported by every later poll that asks for it. */
    public static final int POLL_DISCONNECT = 0x8;
    /** Peer RST. Sticky. */
    public static final int POLL_ABORT = 0x10;
    /** The socket was closed while this poll was pending; reported whether asked for or not. */
    public static final int POLL_LOCAL_CLOSE = 0x20;
    /** Connected; reported by every poll once the socket is connected. */
    public static final int POLL_CONNECT = 0x40;
    public static final int POLL_ACCEPT = 0x80;
    /** Connect failed; the reason is in {@code Handles[i].Status}. Sticky. */
    public static final int POLL_CONNECT_FAIL = 0x100;

    /** Every bit above. */
    public static final int POLL_ALL = 0x1FF;

    private static final String[] NAMES = {
        "RECEIVE", "RECEIVE_EXPEDITED", "SEND", "DISCONNECT", "ABORT", "LOCAL_CLOSE", "CONNECT", "ACCEPT",
        "CONNECT_FAIL"
    };

    private Afd() {
    }

    /** The bits as names joined by {@code |} (lowest bit first), {@code NONE} for zero, hex for unknown bits. */
    public static String eventNames(int events) {
        if (events == 0) {
            return "NONE";
        }
        StringJoiner names = new StringJoiner("|");
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((events & (1 << bit)) != 0) {
                names.add(NAMES[bit]);
            }
        }
        int unknown = events & ~POLL_ALL;
        if (unknown != 0) {
            names.add(String.format("0x%X", unknown));
        }
        return names.toString();
    }

    /** The bits named by {@code names} (as {@link #eventNames} writes them). */
    public static int parseEvents(String names) {
        if (names.equals("NONE")) {
            return 0;
        }
        int events = 0;
        for (String name : names.split("\\|")) {
            int bit = java.util.Arrays.asList(NAMES).indexOf(name);
            if (bit < 0) {
                throw new IllegalArgumentException("unknown AFD_POLL event '" + name + "' in '" + names + "'");
            }
            events |= 1 << bit;
        }
        return events;
    }
}
