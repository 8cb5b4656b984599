package dev.airlock.bench;

import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Stdio;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Execution;
import dev.airlock.lang.Language;
import dev.airlock.lang.Session;
import java.io.ByteArrayOutputStream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The code interpreter's latency from request to result, in process: {@code print(1)} in Python and
 * {@code console.log(1)} in JavaScript through {@link CodeInterpreter#run}, each in a fresh
 * instance restored from the warm image (the restore is in the time), with and without a pool of
 * instances restored ahead of time; and the restore of a session whose Python heap holds 30 MiB.
 * Goals: {@code print(1)} at most 5 ms (Python) and 2 ms (JavaScript); the 30 MiB restore at most 2
 * ms.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar InterpreterBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xss16m", "-XX:-DontCompileHugeMethods"})
public class InterpreterBenchmark {
    private final Policy policy = Policy.defaults();
    private CodeInterpreter plain;
    private CodeInterpreter pooled;
    private Session big;
    private Snapshot bigImage;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        plain = CodeInterpreter.create();
        pooled = CodeInterpreter.builder().pool(policy, 4).build();
        for (CodeInterpreter ci : new CodeInterpreter[] {plain, pooled}) {
            check(ci.run(Language.PYTHON, "print(1)", policy, discard()));
            check(ci.run(Language.JAVASCRIPT, "console.log(1)", policy, discard()));
        }
        big = plain.openSession(Language.PYTHON, policy);
        check(
                big.run(
                        "blob = bytearray(30 * 1024 * 1024)\nfor i in range(0, len(blob), 4096): blob[i] = 1",
                        discard()));
        bigImage = big.snapshot();
        if (bigImage.memoryBytes() < (30L << 20)) {
            throw new IllegalStateException("heap is only " + bigImage.memoryBytes());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        big.close();
        plain.close();
        pooled.close();
    }

    private static Stdio discard() {
        return Stdio.of(new ByteArrayOutputStream(), new ByteArrayOutputStream());
    }

    private static Execution check(Execution e) {
        if (!e.outcome().isOk()) {
            throw new IllegalStateException(e.outcome().message());
        }
        return e;
    }

    @Benchmark
    public Execution pythonPrint() {
        return check(plain.run(Language.PYTHON, "print(1)", policy, discard()));
    }

    @Benchmark
    public Execution javascriptPrint() {
        return check(plain.run(Language.JAVASCRIPT, "console.log(1)", policy, discard()));
    }

    @Benchmark
    public Execution pythonPrintPooled() {
        return check(pooled.run(Language.PYTHON, "print(1)", policy, discard()));
    }

    @Benchmark
    public Execution javascriptPrintPooled() {
        return check(pooled.run(Language.JAVASCRIPT, "console.log(1)", policy, discard()));
    }

    /** Puts a session back in a captured state whose memory is above 30 MiB. */
    @Benchmark
    public Session restore30MiB() throws Exception {
        big.restore(bigImage);
        return big;
    }

    /**
     * The restore followed by a snippet that writes into the 30 MiB heap: with copy-on-write pages
     * the restore itself copies nothing, so this shows what the first call after it pays.
     */
    @Benchmark
    public Execution restore30MiBThenWrite() throws Exception {
        big.restore(bigImage);
        return check(big.run("blob[7] = 2", discard()));
    }

    /**
     * Reference for the two above: what a restore copied before pages were shared, one copy of the
     * captured memory into freshly allocated pages.
     */
    @Benchmark
    public byte[][] copy30MiBReference() {
        byte[][] from = bigImage.chunksShared();
        byte[][] to = new byte[from.length][];
        for (int i = 0; i < from.length; i++) {
            to[i] = from[i].clone();
        }
        return to;
    }
}
