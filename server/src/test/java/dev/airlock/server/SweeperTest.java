package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The idle-session sweep keeps running after a round that failed. */
class SweeperTest {
    @Test
    void aRoundThatRunsOutOfMemoryOrFailsDoesNotEndTheSweeps() {
        AtomicInteger rounds = new AtomicInteger();
        Runnable sweep =
                AirlockServer.guarded(
                        () -> {
                            int n = rounds.incrementAndGet();
                            if (n == 1) {
                                throw new OutOfMemoryError("Java heap space");
                            }
                            if (n == 2) {
                                throw new IllegalStateException("store unavailable");
                            }
                        });
        assertThatCode(sweep::run).doesNotThrowAnyException();
        assertThatCode(sweep::run).doesNotThrowAnyException();
        sweep.run();
        assertThat(rounds).hasValue(3);
    }
}
