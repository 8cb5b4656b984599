package dev.airlock.bench;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one {@link Airlock#run} of a tiny, already loaded (cached, compiled) module: everything a
 * run pays besides the guest's own work. The goal is at most 5 µs median.
 *
 * <ul>
 *   <li>{@code add}: {@code _start} does one {@code i32.add}, no host calls.
 *   <li>{@code fdWrite}: {@code _start} writes 6 bytes to stdout with one {@code fd_write}.
 *   <li>{@code addInline}, {@code fdWriteInline}: the same with {@code inlineExecution(true)}: the
 *       guest runs on the benchmark's thread, without the hand-off to a guest thread (what a
 *       server's worker threads made by {@code Airlock.guestThreadFactory} get).
 * </ul>
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar InstantiateBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InstantiateBenchmark {
    /** {@code _start} adds two numbers and returns. */
    static final String ADD_WAT =
            "(module\n"
                    + "  (memory (export \"memory\") 1)\n"
                    + "  (func (export \"_start\")\n"
                    + "    (drop (i32.add (i32.const 1) (i32.const 2)))))";

    /** {@code _start} writes {@code hello\n} to stdout with one {@code fd_write}. */
    static final String FD_WRITE_WAT =
            "(module\n"
                    + "  (import \"wasi_snapshot_preview1\" \"fd_write\"\n"
                    + "    (func $fd_write (param i32 i32 i32 i32) (result i32)))\n"
                    + "  (memory (export \"memory\") 1)\n"
                    // iovec at 0: {buf = 16, len = 6}; bytes at 16
                    + "  (data (i32.const 0) \"\\10\\00\\00\\00\\06\\00\\00\\00\")\n"
                    + "  (data (i32.const 16) \"hello\\n\")\n"
                    + "  (func (export \"_start\")\n"
                    + "    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1)"
                    + " (i32.const 8)))))";

    private Airlock airlock;
    private Airlock inline;
    private GuestModule add;
    private GuestModule fdWrite;
    private Policy policy;
    private Stdio stdio;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        airlock = Airlock.create();
        add = airlock.load(Wat2Wasm.parse(ADD_WAT));
        fdWrite = airlock.load(Wat2Wasm.parse(FD_WRITE_WAT));
        policy = Policy.defaults();
        stdio = Stdio.discard();
        check(airlock.run(add, policy, stdio), 0);
        check(airlock.run(fdWrite, policy, stdio), 6);
        inline = Airlock.builder().inlineExecution(true).build();
        check(inline.run(add, policy, stdio), 0);
        check(inline.run(fdWrite, policy, stdio), 6);
    }

    private static void check(Outcome o, long stdoutBytes) {
        if (o.status() != Status.OK || o.usage().stdoutBytes() != stdoutBytes) {
            throw new IllegalStateException("unexpected outcome: " + o);
        }
    }

    @Benchmark
    public Outcome add() {
        return airlock.run(add, policy, stdio);
    }

    @Benchmark
    public Outcome fdWrite() {
        return airlock.run(fdWrite, policy, stdio);
    }

    @Benchmark
    public Outcome addInline() {
        return inline.run(add, policy, stdio);
    }

    @Benchmark
    public Outcome fdWriteInline() {
        return inline.run(fdWrite, policy, stdio);
    }
}
