package dev.airlock.core.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.airlock.core.time.FakeTicker;
import dev.airlock.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The watchdog keeps enforcing deadlines when the heap is exhausted. */
class WatchdogTest {
    /** A deadline that counts its expiries; the first {@code failures} throw OutOfMemoryError. */
    static final class Counted implements Watchdog.Watched {
        final long deadline;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();
        final int failures;

        Counted(long deadline, int failures) {
            this.deadline = deadline;
            this.failures = failures;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public void expire() {
            if (calls.incrementAndGet() <= failures) {
                throw new OutOfMemoryError("Java heap space");
            }
        }

        @Override
        public void poll() {
            if (polls.incrementAndGet() <= failures) {
                throw new IllegalStateException("a broken poll");
            }
        }
    }

    @Test
    void anExpiryThatRunsOutOfMemoryIsRetriedAndOthersStillFire() {
        FakeTicker ticker = new FakeTicker();
        Watchdog dog = new Watchdog(ticker);
        Counted starved = new Counted(10, 1);
        Counted other = new Counted(20, 0);
        dog.add(starved);
        dog.add(other);
        ticker.advance(Duration.ofNanos(30));
        assertThatCode(dog::tick).doesNotThrowAnyException();
        dog.tick();
        dog.tick();
        assertThat(starved.calls).hasValue(2);
        assertThat(other.calls).hasValue(1);
    }

    @Test
    void aDeadlineNotYetReachedDoesNotFire() {
        FakeTicker ticker = new FakeTicker();
        Watchdog dog = new Watchdog(ticker);
        Counted later = new Counted(100, 0);
        dog.add(later);
        ticker.advance(Duration.ofNanos(99));
        dog.tick();
        assertThat(later.calls).hasValue(0);
        ticker.advance(Duration.ofNanos(1));
        dog.tick();
        dog.tick();
        assertThat(later.calls).hasValue(1);
    }

    @Test
    void aTickThatRunsOutOfMemoryDoesNotStopTheNextOne() {
        AtomicInteger reads = new AtomicInteger();
        Ticker starving =
                () -> {
                    if (reads.incrementAndGet() == 1) {
                        throw new OutOfMemoryError("Java heap space");
                    }
                    return 50;
                };
        Watchdog dog = new Watchdog(starving);
        Counted w = new Counted(10, 0);
        dog.add(w);
        assertThatCode(dog::tick).doesNotThrowAnyException();
        dog.tick();
        assertThat(w.calls).hasValue(1);
    }

    @Test
    void anUnwatchedDeadlineNeverFires() {
        FakeTicker ticker = new FakeTicker();
        Watchdog dog = new Watchdog(ticker);
        Counted w = new Counted(10, 0);
        dog.add(w);
        dog.unwatch(w);
        ticker.advance(Duration.ofNanos(30));
        dog.tick();
        assertThat(w.calls).hasValue(0);
    }

    @Test
    void deadlinesArePolledUntilTheyFireEvenWhenAPollThrows() {
        FakeTicker ticker = new FakeTicker();
        Watchdog dog = new Watchdog(ticker);
        Counted w = new Counted(100, 1);
        dog.add(w);
        assertThatCode(dog::tick).doesNotThrowAnyException();
        dog.tick();
        assertThat(w.polls).hasValue(2);
        ticker.advance(Duration.ofNanos(100));
        assertThatCode(dog::tick).doesNotThrowAnyException(); // fires (and fails once)
        dog.tick(); // fires again, and is done
        dog.tick();
        assertThat(w.polls).as("not polled once its deadline passed").hasValue(2);
        assertThat(w.calls).hasValue(2);
    }
}
