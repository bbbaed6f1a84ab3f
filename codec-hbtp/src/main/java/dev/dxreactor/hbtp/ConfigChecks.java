package dev.dxreactor.hbtp;

import java.time.Duration;
import java.util.List;

/** The checks the server and client configs share; each adds a message per mistake instead of throwing. */
final class ConfigChecks {

    static final int MAX_LENGTH = Integer.MAX_VALUE - HbtpHeader.SIZE;

    private ConfigChecks() {
    }

    static void limits(List<String> errors, int maxFrameLength, int maxMessageLength, int maxFragments,
                       int maxInFlight) {
        if (maxFrameLength < HbtpHello.MIN_FRAME_LENGTH || maxFrameLength > MAX_LENGTH) {
            errors.add("maxFrameLength = " + maxFrameLength + " (allowed: " + HbtpHello.MIN_FRAME_LENGTH + " to "
                    + MAX_LENGTH + ")");
        }
        if (maxMessageLength < maxFrameLength || maxMessageLength > MAX_LENGTH) {
            errors.add("maxMessageLength = " + maxMessageLength + " (allowed: maxFrameLength (" + maxFrameLength
                    + ") to " + MAX_LENGTH + ")");
        }
        if (maxFragments < 1) {
            errors.add("maxFragments = " + maxFragments + " (allowed: 1 or more)");
        }
        if (maxInFlight < 1 || maxInFlight > HbtpHeader.MAX_SEQUENCE) {
            errors.add("maxInFlight = " + maxInFlight + " (allowed: 1 to 65535)");
        }
    }

    static void atLeast(List<String> errors, String name, int value, int min) {
        if (value < min) {
            errors.add(name + " = " + value + " (allowed: " + min + " or more)");
        }
    }

    static void positive(List<String> errors, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            errors.add(name + " = " + value + " (allowed: a positive duration)");
        }
    }

    /** Zero switches the feature off. */
    static void zeroOrPositive(List<String> errors, String name, Duration value) {
        if (value == null || value.isNegative()) {
            errors.add(name + " = " + value + " (allowed: zero (off) or a positive duration)");
        }
    }

    /** Metric tags come as key, value pairs: an even number of non-null strings. */
    static void tagPairs(List<String> errors, String[] tags) {
        if (tags.length % 2 != 0) {
            errors.add("meterRegistry tags = " + tags.length + " strings (allowed: key, value pairs)");
        }
        for (String tag : tags) {
            if (tag == null) {
                errors.add("meterRegistry tags must not be null");
                return;
            }
        }
    }

    /** Smallest pre-shared key accepted: 128 bits. */
    static final int MIN_PRE_SHARED_KEY = 16;

    /** The mode set, else {@code REQUIRED} with a pre-shared key, else the side's default. */
    static HbtpEncryptionMode encryption(HbtpEncryptionMode set, byte[] preSharedKey, HbtpEncryptionMode otherwise) {
        if (set != null) {
            return set;
        }
        return preSharedKey != null ? HbtpEncryptionMode.REQUIRED : otherwise;
    }

    static void security(List<String> errors, byte[] zstdDictionary, HbtpEncryptionMode encryption,
                         byte[] preSharedKey) {
        if (zstdDictionary != null && zstdDictionary.length < 8) {
            errors.add("zstdDictionary has " + zstdDictionary.length + " bytes (allowed: 8 or more)");
        }
        if (preSharedKey != null) {
            if (preSharedKey.length < MIN_PRE_SHARED_KEY) {
                errors.add("preSharedKey has " + preSharedKey.length + " bytes (allowed: " + MIN_PRE_SHARED_KEY
                        + " or more)");
            }
            if (encryption != HbtpEncryptionMode.REQUIRED) {
                errors.add("preSharedKey needs encryption REQUIRED, not " + encryption
                        + " (a peer could skip the key by not offering encryption)");
            }
        }
    }
}
