package dev.airlock.bench;

import dev.airlock.core.fuel.ByteWriter;
import dev.airlock.core.split.Splitter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to split a module's huge functions ({@link Splitter#split(byte[], int)} at the default
 * threshold), which a module's first load pays before compiling:
 *
 * <ul>
 *   <li>{@code python}, {@code javascript}: the bundled CPython and QuickJS modules (490 and 102
 *       functions above 1,500 bytes; the largest 59 KB and 46 KB).
 *   <li>{@code flat}: one function of 200,000 {@code i32.const; drop} (600 KB), a run of cut points
 *       from end to end.
 *   <li>{@code nest}: 400 blocks nested in one another, each with a 1.5 KB expression (589 KB):
 *       only the innermost block is small enough at each step, the shape that bounds the work.
 * </ul>
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SplitBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class SplitBenchmark {
    @Param({"python", "javascript", "flat", "nest"})
    public String module;

    private byte[] bytes;

    @Setup
    public void load() {
        switch (module) {
            case "python" -> bytes = resource("/dev/airlock/lang/python/airlock-python.wasm");
            case "javascript" -> bytes = resource("/dev/airlock/lang/js/airlock-js.wasm");
            case "flat" -> bytes = flat(200_000);
            case "nest" -> bytes = nest(400);
            default -> throw new IllegalArgumentException("unknown module " + module);
        }
    }

    @Benchmark
    public byte[] split() {
        return Splitter.split(bytes, Splitter.DEFAULT_THRESHOLD);
    }

    private static byte[] resource(String name) {
        try (InputStream in = SplitBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One exported function () -> () whose body is {@code code} (with no locals). */
    private static byte[] module(ByteWriter code) {
        ByteWriter body = new ByteWriter(code.size() + 2).u32(0).bytes(code).u8(0x0B);
        ByteWriter m = new ByteWriter(body.size() + 64);
        m.bytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, 0, 8);
        section(m, 1, new ByteWriter(4).u32(1).u8(0x60).u32(0).u32(0));
        section(m, 3, new ByteWriter(4).u32(1).u32(0));
        section(m, 7, new ByteWriter(8).u32(1).u32(1).u8('f').u8(0).u32(0));
        section(m, 10, new ByteWriter(body.size() + 8).u32(1).u32(body.size()).bytes(body));
        return m.toByteArray();
    }

    private static void section(ByteWriter m, int id, ByteWriter payload) {
        m.u8(id).u32(payload.size()).bytes(payload);
    }

    private static byte[] flat(int n) {
        ByteWriter code = new ByteWriter(n * 3);
        for (int i = 0; i < n; i++) {
            code.u8(0x41).u8(1).u8(0x1A); // i32.const 1, drop
        }
        return module(code);
    }

    private static byte[] nest(int depth) {
        ByteWriter code = new ByteWriter(depth * 1500);
        for (int d = 0; d < depth; d++) {
            code.u8(0x02).u8(0x40); // block
            for (int k = 0; k < 490; k++) {
                code.u8(0x41).u8(1); // i32.const 1
            }
            for (int k = 1; k < 490; k++) {
                code.u8(0x6A); // i32.add, down to one value
            }
            code.u8(0x1A); // drop
        }
        for (int d = 0; d < depth; d++) {
            code.u8(0x0B);
        }
        return module(code);
    }
}
