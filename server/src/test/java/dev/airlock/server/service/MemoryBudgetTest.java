package dev.airlock.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.time.FakeTicker;
import dev.airlock.server.api.ApiException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Memory admission: the budget and the tenant totals are never exceeded, and come back. */
class MemoryBudgetTest {
    static final long MIB = 1L << 20;
    final FakeTicker ticker = new FakeTicker();

    MemoryBudget budget(long total, long perTenant, Duration wait) {
        return new MemoryBudget(total * MIB, perTenant * MIB, wait, ticker);
    }

    static int status(Throwable t) {
        Throwable c = t instanceof ExecutionException ? t.getCause() : t;
        return ((ApiException) c).status();
    }

    @Test
    void aTenantCannotHoldMoreThanItsTotal() {
        MemoryBudget b = budget(300, 100, Duration.ZERO);
        MemoryBudget.Reservation one = b.reserve("hog", 60 * MIB);
        assertThatThrownBy(() -> b.reserve("hog", 60 * MIB))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(429);
                            assertThat(e.retryAfterSeconds()).isPositive();
                            assertThat(e.detail()).contains("hog", "memory total");
                        });
        // another tenant is not affected
        b.reserve("calm", 60 * MIB).close();
        one.close();
        b.reserve("hog", 60 * MIB);
        assertThat(b.used("hog")).isEqualTo(60 * MIB);
    }

    @Test
    void theServerBudgetIsSharedAndRefusedWith503WhenFull() {
        MemoryBudget b = budget(200, 100, Duration.ZERO);
        MemoryBudget.Reservation a = b.reserve("a", 100 * MIB);
        b.reserve("b", 100 * MIB);
        assertThatThrownBy(() -> b.reserve("c", 10 * MIB))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(503);
                            assertThat(e.retryAfterSeconds()).isPositive();
                            assertThat(e.detail()).contains("memory");
                        });
        assertThat(b.used()).isEqualTo(200 * MIB);
        a.close();
        b.reserve("c", 10 * MIB);
        assertThat(b.used()).isEqualTo(110 * MIB);
    }

    @Test
    void aFullTenantIsRefusedAtOnceEvenWithALongWait() {
        MemoryBudget b = budget(300, 100, Duration.ofMinutes(10));
        b.reserve("hog", 100 * MIB);
        assertThatThrownBy(() -> b.reserve("hog", MIB))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(429));
        assertThat(b.waiting()).isZero();
    }

    @Test
    void moreThanATenantMayEverHoldIsABadRequest() {
        MemoryBudget b = budget(200, 100, Duration.ofMinutes(1));
        assertThatThrownBy(() -> b.reserve("greedy", 101 * MIB))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(b.used()).isZero();
    }

    @Test
    void closingTwiceGivesBackOnce() {
        MemoryBudget b = budget(200, 100, Duration.ZERO);
        MemoryBudget.Reservation r = b.reserve("a", 50 * MIB);
        b.reserve("a", 20 * MIB);
        r.close();
        r.close();
        assertThat(b.used()).isEqualTo(20 * MIB);
        assertThat(b.used("a")).isEqualTo(20 * MIB);
    }

    @Test
    void aWaitingRequestGetsTheMemoryWhenItIsReleased() throws Exception {
        MemoryBudget b = budget(100, 100, Duration.ofMinutes(10));
        MemoryBudget.Reservation all = b.reserve("a", 100 * MIB);
        CompletableFuture<MemoryBudget.Reservation> waiter =
                CompletableFuture.supplyAsync(() -> b.reserve("b", 40 * MIB));
        while (b.waiting() == 0) {
            Thread.onSpinWait();
        }
        assertThat(waiter).isNotDone();
        all.close();
        assertThat(waiter.get()).isNotNull();
        assertThat(b.used("b")).isEqualTo(40 * MIB);
    }

    @Test
    void aWaitingRequestIsRefusedWhenItsWaitIsOver() throws Exception {
        MemoryBudget b = budget(100, 100, Duration.ofSeconds(2));
        b.reserve("a", 100 * MIB);
        CompletableFuture<MemoryBudget.Reservation> waiter =
                CompletableFuture.supplyAsync(() -> b.reserve("b", 40 * MIB));
        while (b.waiting() == 0) {
            Thread.onSpinWait();
        }
        ticker.advance(Duration.ofSeconds(2));
        b.wake();
        assertThatThrownBy(waiter::get).satisfies(t -> assertThat(status(t)).isEqualTo(503));
        assertThat(b.used("b")).isZero();
    }

    @Test
    void refusesABudgetThatCannotHoldATenant() {
        assertThatThrownBy(() -> budget(100, 200, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget(0, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
