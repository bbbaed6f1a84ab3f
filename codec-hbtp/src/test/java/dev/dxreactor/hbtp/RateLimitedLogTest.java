package dev.dxreactor.hbtp;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTest {

    /** A logger that records the format of every WARN line it is asked to write. */
    private static Logger recording(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[]{Logger.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isWarnEnabled" -> true;
                    case "warn" -> {
                        lines.add((String) args[0]);
                        yield null;
                    }
                    case "getName" -> "recording";
                    default -> null;
                });
    }

    @Test
    void aFloodOfWarningsWritesOneLineAnInterval() {
        List<String> lines = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(recording(lines), Duration.ofHours(1));
        for (int i = 0; i < 10_000; i++) {
            log.warn("route {} failed", i);
        }
        assertThat(lines).containsExactly("route {} failed");
        assertThat(log.suppressed()).isEqualTo(9_999);
    }

    @Test
    void theNextLineAfterTheIntervalSaysHowManyWereLeftOut() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong(-5);
        RateLimitedLog log = new RateLimitedLog(recording(lines), Duration.ofNanos(10), now::get);
        log.warn("first");
        for (int i = 0; i < 41; i++) {
            log.warn("again");
        }
        now.set(5);
        log.warn("later");
        log.warn("dropped");
        assertThat(lines).containsExactly("first", "later (41 more like it not logged)");
        assertThat(log.suppressed()).isEqualTo(1);
    }
}
