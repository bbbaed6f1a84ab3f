package dev.dxreactor.dbteleport;

/**
 * One row of the topic log as a listener reads it.
 *
 * @param payload the bytes, or {@code null} when the row's payload is larger than the reader accepts
 * @param size    the payload's size in bytes, also when it was not read
 */
record TopicChange(int topic, long seq, TopicChangeKind kind, byte[] payload, int size) {
}
