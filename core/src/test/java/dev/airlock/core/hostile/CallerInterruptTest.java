package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.testing.Guests;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A busy guest whose caller's thread is interrupted, twice: the run stops as an {@code interrupted}
 * limit long before its time limit, and the caller's interrupt status is set again when {@code run}
 * returns (it is not swallowed, and it was not re-raised while waiting, which made the wait a busy
 * loop).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallerInterruptTest {
    private static final Policy POLICY =
            Policy.builder()
                    .limits(Limits.builder().timeout(Duration.ofMinutes(10)).build())
                    .build();

    /** How the caller's thread is made. */
    private interface Threads {
        Thread make(Runnable r);
    }

    @Test
    void interruptingTheCallerStopsTheGuestAndKeepsTheFlag() throws Exception {
        assertStoppedByCallerInterrupt(Guests.AIRLOCK, Thread::new);
    }

    /**
     * The guest runs on the caller's own thread; compiled loops then look at that thread's flag
     * only once a stop is pending, so the interrupt has to be noticed from outside the guest.
     */
    @Test
    void interruptingAnInlineCallerStopsTheGuestAndKeepsTheFlag() throws Exception {
        assertStoppedByCallerInterrupt(
                Airlock.builder().inlineExecution(true).build(), r -> new Thread(r, "inline"));
    }

    /** The same on a thread of {@link Airlock#guestThreadFactory}, where runs stay in place. */
    @Test
    void interruptingAGuestThreadCallerStopsTheGuestAndKeepsTheFlag() throws Exception {
        assertStoppedByCallerInterrupt(
                Guests.AIRLOCK, r -> Airlock.guestThreadFactory(64L << 20).newThread(r));
    }

    private static void assertStoppedByCallerInterrupt(Airlock airlock, Threads threads)
            throws Exception {
        byte[] wasm =
                Hostile.guest(
                        """
                        (data (i32.const 64) "go")
                        (func (export "_start")
                          (call $print (i32.const 64) (i32.const 2))
                          (loop $forever (br $forever)))
                        """);
        GuestModule m = airlock.load(wasm);
        CountDownLatch started = new CountDownLatch(1);
        OutputStream out =
                new ByteArrayOutputStream() {
                    @Override
                    public synchronized void write(byte[] b, int off, int len) {
                        super.write(b, off, len);
                        started.countDown();
                    }
                };
        CompletableFuture<Boolean> flagAfter = new CompletableFuture<>();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread caller =
                threads.make(
                        () -> {
                            Outcome o =
                                    airlock.run(
                                            m, POLICY, Stdio.of(out, new ByteArrayOutputStream()));
                            flagAfter.complete(Thread.currentThread().isInterrupted());
                            outcome.complete(o);
                        });
        caller.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.interrupt();
        Outcome o = outcome.get(30, TimeUnit.SECONDS);
        assertThat(o.status()).isEqualTo(Status.LIMIT);
        assertThat(o.limitKind()).isEqualTo(LimitKind.INTERRUPTED);
        assertThat(o.message()).contains("caller interrupted");
        assertThat(flagAfter.get()).isTrue();
    }
}
