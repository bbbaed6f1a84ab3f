package dev.dxreactor.dbteleport;

import java.util.Base64;

/**
 * The text a topic change is announced with on the NOTIFY channel: {@code <topic>:<seq>} when listeners read
 * the change from the log table, {@code <topic>:<seq>:<s|d>:<base64 payload>} when it fits inline ({@code s}
 * a snapshot, {@code d} a delta: a listener needs the kind to apply the change without the table).
 *
 * <p>PostgreSQL refuses a notification payload of 8000 bytes or more; a change goes inline only while the
 * whole text stays within {@link #MAX_TEXT_BYTES}, which leaves room below that limit. The text is ASCII, so
 * characters and bytes are the same count.
 *
 * @param kind    {@code null} when the change is only in the table
 * @param payload the change's bytes, or {@code null} when they are only in the table
 */
record TopicNotification(int topic, long seq, TopicChangeKind kind, byte[] payload) {

    /** The longest text sent inline; well below PostgreSQL's 8000 bytes. */
    static final int MAX_TEXT_BYTES = 7000;

    /** Whether the change travels in the notification itself. */
    boolean inline() {
        return payload != null;
    }

    /** The notification text for a change of {@code payload}: inline when it fits, else the reference. */
    static String format(int topic, long seq, TopicChangeKind kind, byte[] payload) {
        String reference = topic + ":" + seq;
        long encoded = 4L * ((payload.length + 2) / 3);
        if (reference.length() + 3 + encoded > MAX_TEXT_BYTES) {
            return reference;
        }
        return reference + (kind == TopicChangeKind.SNAPSHOT ? ":s:" : ":d:")
                + Base64.getEncoder().encodeToString(payload);
    }

    /**
     * Reads a notification text.
     *
     * @throws IllegalArgumentException when the text is not one this bridge writes (anyone who may NOTIFY on
     *                                  the channel can send any text)
     */
    static TopicNotification parse(String text) {
        if (text == null || text.length() > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("not a topic notification: "
                    + (text == null ? "null" : text.length() + " characters"));
        }
        try {
            int first = text.indexOf(':');
            int second = text.indexOf(':', first + 1);
            int topic = Integer.parseInt(text, 0, first, 10);
            long seq = Long.parseLong(text, first + 1, second < 0 ? text.length() : second, 10);
            if (topic < 0 || topic > 0xFFFF || seq < 1) {
                throw new IllegalArgumentException("topic " + topic + " or seq " + seq + " out of range");
            }
            if (second < 0) {
                return new TopicNotification(topic, seq, null, null);
            }
            if (text.length() < second + 3 || text.charAt(second + 2) != ':') {
                throw new IllegalArgumentException("no kind before the payload");
            }
            TopicChangeKind kind = switch (text.charAt(second + 1)) {
                case 's' -> TopicChangeKind.SNAPSHOT;
                case 'd' -> TopicChangeKind.DELTA;
                default -> throw new IllegalArgumentException("unknown kind '" + text.charAt(second + 1) + "'");
            };
            return new TopicNotification(topic, seq, kind, Base64.getDecoder().decode(text.substring(second + 3)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a topic notification: '" + abbreviate(text) + "' ("
                    + e.getMessage() + ")", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
