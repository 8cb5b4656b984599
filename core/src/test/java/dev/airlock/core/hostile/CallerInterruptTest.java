package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void interruptingTheCallerStopsTheGuestAndKeepsTheFlag() throws Exception {
        byte[] wasm =
                Hostile.guest(
                        """
                        (data (i32.const 64) "go")
                        (func (export "_start")
                          (call $print (i32.const 64) (i32.const 2))
                          (loop $forever (br $forever)))
                        """);
        GuestModule m = Guests.AIRLOCK.load(wasm);
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
                new Thread(
                        () -> {
                            Outcome o =
                                    Guests.AIRLOCK.run(
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
