package dev.airlock.core.fuel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.ClockMode;
import dev.airlock.core.HostImport;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Status;
import dev.airlock.core.testing.Guests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same run uses the same fuel every time, in the compiler and in the interpreter, and runs out
 * at the same point with the same output.
 */
class FuelDeterminismTest {
    private static final Airlock INTERPRETER = Airlock.builder().compile(false).build();

    /**
     * Work of every priced kind: a loop over seeded random bytes that branches on them, direct
     * calls with and without results, indirect calls, {@code memory.grow}, {@code memory.fill} and
     * {@code memory.copy} of sizes that vary, and a host call ({@code fd_write}) per iteration.
     */
    static final String MIXED =
            """
            (module
              (import "wasi_snapshot_preview1" "fd_write"
                (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "random_get"
                (func $random_get (param i32 i32) (result i32)))
              (memory 1)
              (type $op (func (param i32) (result i32)))
              (table 3 funcref) (elem (i32.const 0) $double $square $inc)
              (func $double (type $op) (i32.shl (local.get 0) (i32.const 1)))
              (func $square (type $op) (i32.mul (local.get 0) (local.get 0)))
              (func $inc (type $op) (i32.add (local.get 0) (i32.const 1)))
              (func $collatz (param $n i32) (result i32) (local $steps i32)
                (block $done (loop $l
                  (br_if $done (i32.le_u (local.get $n) (i32.const 1)))
                  (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
                  (if (i32.and (local.get $n) (i32.const 1))
                    (then (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 3))
                                                 (i32.const 1))))
                    (else (local.set $n (i32.shr_u (local.get $n) (i32.const 1)))))
                  (br $l)))
                (local.get $steps))
              (func $print (param $byte i32)
                ;; "a".."p" and a newline at 200, iovec at 208
                (i32.store8 (i32.const 200) (i32.add (i32.const 97) (i32.and (local.get $byte)
                                                                              (i32.const 15))))
                (i32.store8 (i32.const 201) (i32.const 10))
                (i32.store (i32.const 208) (i32.const 200))
                (i32.store (i32.const 212) (i32.const 2))
                (drop (call $fd_write (i32.const 1) (i32.const 208) (i32.const 1) (i32.const 216))))
              (func (export "_start") (local $i i32) (local $b i32) (local $acc i32)
                (drop (call $random_get (i32.const 0) (i32.const 64)))
                (block $done (loop $l
                  (br_if $done (i32.eq (local.get $i) (i32.const 64)))
                  (local.set $b (i32.load8_u (local.get $i)))
                  (local.set $acc (i32.add (local.get $acc) (call $collatz (i32.add (local.get $b)
                                                                                   (i32.const 7)))))
                  (local.set $acc (call_indirect (type $op) (local.get $acc)
                                    (i32.rem_u (local.get $b) (i32.const 3))))
                  (if (i32.eqz (i32.and (local.get $b) (i32.const 7)))
                    (then (drop (memory.grow (i32.const 1)))))
                  (memory.fill (i32.const 1024) (local.get $b) (i32.mul (local.get $b) (i32.const 37)))
                  (memory.copy (i32.const 20000) (i32.const 1024) (i32.mul (local.get $b) (i32.const 29)))
                  (call $print (local.get $b))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $l)))
                (call $print (local.get $acc))))
            """;

    static Policy policy(long fuel) {
        return Policy.builder()
                .clock(ClockMode.FROZEN)
                .random(RandomMode.seeded(42))
                .limits(Limits.builder().fuel(fuel).build())
                .build();
    }

    @Test
    void theSameRunUsesTheSameFuelInTheCompilerAndTheInterpreter() {
        byte[] wasm = Guests.wat(MIXED);
        List<Guests.Run> runs = new ArrayList<>();
        for (Airlock a : List.of(Guests.AIRLOCK, INTERPRETER, Guests.AIRLOCK, INTERPRETER)) {
            runs.add(Guests.run(a, wasm, policy(1L << 40)));
        }
        Guests.Run first = runs.get(0);
        assertThat(first.outcome().status()).as(first.outcome().message()).isEqualTo(Status.OK);
        assertThat(first.stdout()).hasSize(2 * 65);
        long fuel = first.outcome().usage().fuel();
        // well over what the instructions alone would cost: grows, bulk memory and host calls
        assertThat(fuel).isGreaterThan(65 * CostTable.defaults().hostCall());
        for (Guests.Run r : runs) {
            assertThat(r.outcome().status()).isEqualTo(Status.OK);
            assertThat(r.outcome().usage().fuel()).isEqualTo(fuel);
            assertThat(r.stdout()).isEqualTo(first.stdout());
        }

        // a budget that runs out midway stops both at the same point
        for (long budget : new long[] {fuel / 3, fuel / 2, fuel - 1}) {
            Guests.Run c = Guests.run(Guests.AIRLOCK, wasm, policy(budget));
            Guests.Run i = Guests.run(INTERPRETER, wasm, policy(budget));
            for (Guests.Run r : List.of(c, i)) {
                assertThat(r.outcome().limitKind()).isEqualTo(LimitKind.FUEL);
                assertThat(r.outcome().usage().fuel()).isEqualTo(budget);
            }
            assertThat(c.stdout()).isEqualTo(i.stdout());
            assertThat(c.outcome().usage().hostCalls()).isEqualTo(i.outcome().usage().hostCalls());
            assertThat(c.stdout().length()).isLessThan(first.stdout().length());
        }
    }

    /** A real program (wasi-libc's start-up and exit around an empty benchmark) in both modes. */
    @Test
    void aCompiledCProgramUsesTheSameFuelInBothModes() throws IOException {
        Path dir = Guests.testdata().resolve("sightglass/noop");
        byte[] wasm = Files.readAllBytes(dir.resolve("benchmark.wasm"));
        Policy p =
                Policy.builder()
                        .mount(new Mount(dir, "/", Mount.Mode.READ_ONLY))
                        .grant(HostImport.ofVoid("bench", "start", () -> {}))
                        .grant(HostImport.ofVoid("bench", "end", () -> {}))
                        .clock(ClockMode.FROZEN)
                        .random(RandomMode.seeded(1))
                        .limits(Limits.builder().fuel(1L << 40).build())
                        .build();
        Outcome c = Guests.run(Guests.AIRLOCK, wasm, p).outcome();
        Outcome i = Guests.run(INTERPRETER, wasm, p).outcome();
        Outcome again = Guests.run(Guests.AIRLOCK, wasm, p).outcome();
        assertThat(c.status()).as(c.message()).isEqualTo(Status.OK);
        assertThat(c.usage().fuel()).isPositive();
        assertThat(i.usage().fuel()).isEqualTo(c.usage().fuel());
        assertThat(again.usage().fuel()).isEqualTo(c.usage().fuel());
    }
}
