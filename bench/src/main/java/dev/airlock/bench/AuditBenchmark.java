package dev.airlock.bench;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditTrail;
import dev.airlock.audit.HashChain;
import dev.airlock.audit.JsonlSink;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the audit trail on host-call-heavy guests, side by side with auditing off (goal: at most
 * 10% slower). Each guest makes 5,000 host calls per run:
 *
 * <ul>
 *   <li>{@code write}: 5,000 {@code fd_write}s of 16 bytes to stdout (discarded);
 *   <li>{@code read}: 2,500 pairs of {@code fd_seek} + {@code fd_read} of 64 bytes from a mounted
 *       file.
 * </ul>
 *
 * {@code audit}:
 *
 * <ul>
 *   <li>{@code off}: no sink (the mediator still builds every event);
 *   <li>{@code async}: <b>auditing on</b>, as {@code --audit FILE} and servers use it: an {@link
 *       AuditTrail} writing JSON Lines, whose writer thread seals and writes while runs go on back
 *       to back. Nothing is drained between runs, so the writer must keep up: if it falls behind,
 *       its bounded queue makes the guest wait, and that shows in the score. The durability is the
 *       trail's documented one (everything on a normal exit; after a kill at most the last
 *       unwritten batch lost);
 *   <li>{@code drained}: as {@code async}, but the writer catches up (untimed) before each run: the
 *       cost a single run sees when the trail is idle when it starts, as for an agent whose runs
 *       come with pauses between them. The writer still seals this run's events while it goes on;
 *   <li>{@code flushed}: each run also waits until its events are written and sealed by a signed
 *       checkpoint (an Ed25519 signature, about 1 ms, per run).
 * </ul>
 *
 * The goal compares {@code async} with {@code off}, measured in the same JMH run.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar AuditBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuditBenchmark {
    static final String WRITE_WAT =
            "(module (import \"wasi_snapshot_preview1\" \"fd_write\""
                    + " (func $w (param i32 i32 i32 i32) (result i32)))"
                    + " (memory 1) (data (i32.const 0) \"\\10\\00\\00\\00\\10\\00\\00\\00\")"
                    + " (data (i32.const 16) \"0123456789abcdef\")"
                    + " (func (export \"_start\") (local $i i32)"
                    + "  (loop $l (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))"
                    + "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                    + "   (br_if $l (i32.lt_u (local.get $i) (i32.const 5000))))))";

    static final String READ_WAT =
            "(module (import \"wasi_snapshot_preview1\" \"path_open\""
                    + " (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"fd_read\""
                    + " (func $read (param i32 i32 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"fd_seek\""
                    + " (func $seek (param i32 i64 i32 i32) (result i32)))"
                    + " (memory 1) (data (i32.const 64) \"data.bin\")"
                    + " (data (i32.const 0) \"\\00\\01\\00\\00\\40\\00\\00\\00\")"
                    + " (func (export \"_start\") (local $i i32) (local $fd i32)"
                    + "  (if (call $open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 8)"
                    + "       (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 32))"
                    + "   (then unreachable))"
                    + "  (local.set $fd (i32.load (i32.const 32)))"
                    + "  (loop $l (drop (call $seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 40)))"
                    + "   (drop (call $read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 48)))"
                    + "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                    + "   (br_if $l (i32.lt_u (local.get $i) (i32.const 2500))))))";

    /** 2,500 {@code path_open} + {@code fd_close} pairs: every other call has a path argument. */
    static final String OPEN_WAT =
            "(module (import \"wasi_snapshot_preview1\" \"path_open\""
                    + " (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))"
                    + " (import \"wasi_snapshot_preview1\" \"fd_close\""
                    + " (func $close (param i32) (result i32)))"
                    + " (memory 1) (data (i32.const 64) \"data.bin\")"
                    + " (func (export \"_start\") (local $i i32)"
                    + "  (loop $l"
                    + "   (if (call $open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 8)"
                    + "        (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 32))"
                    + "    (then unreachable))"
                    + "   (drop (call $close (i32.load (i32.const 32))))"
                    + "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                    + "   (br_if $l (i32.lt_u (local.get $i) (i32.const 2500))))))";

    @Param({"write", "read"})
    public String guest;

    @Param({"off", "async", "drained", "flushed"})
    public String audit;

    private Airlock airlock;
    private GuestModule module;
    private Policy policy;
    private Path dir;
    private AuditTrail trail;
    private EventSink sink;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("airlock-audit-bench");
        Path files = Files.createDirectories(dir.resolve("files"));
        Files.write(files.resolve("data.bin"), new byte[4096]);
        airlock = Airlock.builder().inlineExecution(true).build();
        module = airlock.load(Wat2Wasm.parse(guest.equals("write") ? WRITE_WAT : READ_WAT));
        policy =
                guest.equals("write")
                        ? Policy.defaults()
                        : Policy.builder()
                                .mount(new Mount(files, "/data", Mount.Mode.READ_ONLY))
                                .build();
        if (audit.equals("off")) {
            sink = EventSink.none();
        } else {
            trail =
                    new AuditTrail(
                            new JsonlSink(dir.resolve("trail.jsonl")),
                            AuditKeys.loadOrCreate(dir.resolve("keys")),
                            HashChain.start(),
                            10_000);
            sink = trail;
        }
        Outcome o = airlock.run(module, policy, Stdio.discard(), sink);
        if (o.status() != Status.OK || o.usage().hostCalls() < 5000) {
            throw new IllegalStateException("unexpected outcome: " + o);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (trail != null) {
            trail.close();
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Setup(Level.Invocation)
    public void drain() throws IOException {
        if (audit.equals("drained")) {
            trail.flush();
        }
    }

    @Benchmark
    public Outcome run() throws IOException {
        Outcome o = airlock.run(module, policy, Stdio.discard(), sink);
        if (audit.equals("flushed")) {
            trail.flush();
        }
        return o;
    }
}
