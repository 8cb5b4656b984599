package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A closed server leaves no non-daemon thread behind, so a JVM that embeds one can exit: the MCP
 * SDK's session sweeper (a thread of its own that the SDK does not stop) is stopped too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerThreadsTest {
    private static long sweepers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.isDaemon())
                .filter(t -> t.getName().startsWith("streamable-http-server-transport"))
                .count();
    }

    @Test
    void closingTheServerStopsTheMcpTransportsThread() throws Exception {
        long before = sweepers();
        try (ServerKit kit = ServerKit.start()) {
            assertThat(sweepers()).isGreaterThan(before); // the SDK started it
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sweepers() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sweepers()).isEqualTo(before);
    }
}
