package dev.airlock.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's host calls as trace spans see them: runs of calls to one function, a bounded number. */
class HostCallBatchesTest {
    long seq;

    HostCallEvent call(String name, long atMillis, long nanos, Decision d) {
        return new HostCallEvent(seq++, atMillis, "run", "sha", name, Map.of(), d, null, 0L, nanos);
    }

    @Test
    void consecutiveCallsToOneFunctionAreOneBatch() {
        HostCallBatches b = new HostCallBatches();
        b.add(call("w.fd_write", 100, 2_000_000, Decision.ALLOW));
        b.add(call("w.fd_write", 101, 3_000_000, Decision.ALLOW));
        b.add(call("w.path_open", 105, 1_000, Decision.DENY));
        b.add(call("w.path_open", 105, 1_000, Decision.ALLOW));
        b.add(call("w.fd_write", 107, 500, Decision.ALLOW));
        assertThat(b.batches())
                .containsExactly(
                        // ends when the later call ends: 1 ms after the start plus its 3 ms
                        new HostCallBatches.Batch("w.fd_write", 2, 0, 100, 4_000_000, 5_000_000),
                        new HostCallBatches.Batch("w.path_open", 2, 1, 105, 1_000, 2_000),
                        new HostCallBatches.Batch("w.fd_write", 1, 0, 107, 500, 500));
        assertThat(b.dropped()).isZero();
    }

    @Test
    void aGuestAlternatingCallsCannotMakeUnboundedSpans() {
        HostCallBatches b = new HostCallBatches();
        for (int i = 0; i < 10_000; i++) {
            b.add(call(i % 2 == 0 ? "w.a" : "w.b", i, 1, Decision.ALLOW));
        }
        assertThat(b.batches()).hasSize(HostCallBatches.MAX);
        assertThat(b.dropped()).isEqualTo(10_000 - HostCallBatches.MAX);
        assertThat(b.batches()).allSatisfy(x -> assertThat(x.calls()).isEqualTo(1));
    }
}
