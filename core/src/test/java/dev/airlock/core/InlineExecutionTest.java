package dev.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.testing.Guests;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Runs on the caller's thread: limits hold, and the thread is left as it was found. */
class InlineExecutionTest {
    static final byte[] LOOP = Guests.wat("(module (func (export \"_start\") (loop (br 0))))");
    static final byte[] RECURSE = Guests.wat("(module (func $f (export \"_start\") (call $f)))");

    static Policy timeout(Duration d) {
        return Policy.builder().limits(Limits.builder().timeout(d).build()).build();
    }

    @Test
    void inlineRunsHitTheTimeAndStackLimitsAndClearTheInterrupt() {
        Airlock airlock = Airlock.builder().inlineExecution(true).build();
        Guests.Run r = Guests.run(airlock, LOOP, timeout(Duration.ofMillis(100)));
        assertThat(r.outcome().limitKind()).isEqualTo(LimitKind.TIME);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();

        Guests.Run s = Guests.run(airlock, RECURSE, Policy.defaults());
        assertThat(s.outcome().limitKind()).isEqualTo(LimitKind.STACK);

        Guests.Run ok =
                Guests.run(airlock, Guests.wat(Guests.helloWat("after\n")), Policy.defaults());
        assertThat(ok.outcome().status()).isEqualTo(Status.OK);
        assertThat(ok.stdout()).isEqualTo("after\n");
    }

    @Test
    void guestThreadsRunInPlaceAndKeepTheirStackLimit() throws Exception {
        ExecutorService pool =
                Executors.newFixedThreadPool(1, Airlock.guestThreadFactory(64L << 20));
        try {
            Future<String> where =
                    pool.submit(
                            () -> {
                                String[] seen = new String[1];
                                Policy p =
                                        Policy.builder()
                                                .grant(
                                                        HostImport.ofVoid(
                                                                "probe",
                                                                "where",
                                                                () ->
                                                                        seen[0] =
                                                                                Thread
                                                                                        .currentThread()
                                                                                        .getName()))
                                                .build();
                                byte[] wasm =
                                        Guests.wat(
                                                "(module (import \"probe\" \"where\" (func $w))"
                                                        + " (func (export \"_start\") (call $w)))");
                                Guests.Run r = Guests.run(wasm, p);
                                assertThat(r.outcome().status()).isEqualTo(Status.OK);
                                return seen[0] + "|" + Thread.currentThread().getName();
                            });
            String[] names = where.get().split("\\|");
            assertThat(names[0]).isEqualTo(names[1]).startsWith("airlock-worker-");

            Future<Outcome> stack =
                    pool.submit(() -> Guests.run(RECURSE, Policy.defaults()).outcome());
            assertThat(stack.get().limitKind()).isEqualTo(LimitKind.STACK);
            Future<Outcome> time =
                    pool.submit(() -> Guests.run(LOOP, timeout(Duration.ofMillis(100))).outcome());
            assertThat(time.get().limitKind()).isEqualTo(LimitKind.TIME);
            Future<Boolean> interrupted = pool.submit(() -> Thread.currentThread().isInterrupted());
            assertThat(interrupted.get()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }
}
