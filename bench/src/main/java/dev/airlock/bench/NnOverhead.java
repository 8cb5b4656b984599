package dev.airlock.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.HostImport;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.nn.NnGrant;
import dev.airlock.nn.WasiNn;
import dev.airlock.nn.onnx.Models;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * WASI-NN overhead: the same ONNX model on the same input, run (a) by a guest through {@code
 * wasi_ephemeral_nn} ({@code set_input}, {@code compute}, {@code get_output} per inference, every
 * call mediated) and (b) by ONNX Runtime called directly from Java (a tensor over a direct buffer,
 * {@code run}, the output copied out), alternately in the same JVM with the same session options.
 * Each sample is {@code K} inferences timed together (the guest between {@code bench.start} and
 * {@code bench.end}); the table shows median milliseconds per inference and the ratio.
 *
 * <p>Usage: {@code bench/nn [--n 64] [--k 512] [--m 512] [--threads 1] [--inferences 20] [--samples
 * 15] [--warmup 3]}.
 */
public final class NnOverhead {
    private NnOverhead() {}

    public static void main(String[] args) throws Exception {
        int n = 64;
        int k = 512;
        int m = 512;
        int threads = 1;
        int inferences = 20;
        int samples = 15;
        int warmup = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--n" -> n = v;
                case "--k" -> k = v;
                case "--m" -> m = v;
                case "--threads" -> threads = v;
                case "--inferences" -> inferences = v;
                case "--samples" -> samples = v;
                case "--warmup" -> warmup = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path model = Files.createTempFile("airlock-nn-bench", ".onnx");
        Files.write(model, Models.matmul(n, k, m, 1));
        byte[] input = new byte[n * k * 4];
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < n * k; i++) {
            in.putFloat((float) r.nextDouble());
        }
        System.out.printf(
                Locale.ROOT,
                "WASI-NN overhead: MatMul+Relu [%d,%d]x[%d,%d] (%.1f MFLOP), %d intra-op"
                        + " thread(s), %d inferences per sample, %d samples after %d warm-up%n",
                n,
                k,
                k,
                m,
                2.0 * n * k * m / 1e6,
                threads,
                inferences,
                samples,
                warmup);

        Guest guest = new Guest(model, n, k, m, threads, inferences, input);
        Direct direct = new Direct(model, n, k, threads, inferences, input);
        byte[] g = guest.sample();
        byte[] d = direct.sample();
        System.out.println("  outputs equal: " + Arrays.equals(g, d) + " (" + g.length + " bytes)");
        if (!Arrays.equals(g, d)) {
            System.exit(1);
        }
        for (int i = 0; i < warmup; i++) {
            guest.sample();
            direct.sample();
        }
        List<Double> gMs = new ArrayList<>();
        List<Double> dMs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            guest.sample();
            direct.sample();
            double gi = guest.lastNanos / 1e6 / inferences;
            double di = direct.lastNanos / 1e6 / inferences;
            gMs.add(gi);
            dMs.add(di);
            ratios.add(gi / di);
        }
        direct.close();
        Files.deleteIfExists(model);
        double gm = median(gMs);
        double dm = median(dMs);
        System.out.printf(
                Locale.ROOT,
                "  per inference, median: guest via WASI-NN %.3f ms, direct Java %.3f ms%n"
                        + "  ratio of medians %.3f; median of paired ratios %.3f (overhead %+.1f%%)"
                        + "%n  guest min/max %.3f/%.3f ms, direct min/max %.3f/%.3f ms"
                        + " (ratio of minimums %.3f)%n",
                gm,
                dm,
                gm / dm,
                median(ratios),
                (median(ratios) - 1) * 100,
                min(gMs),
                max(gMs),
                min(dMs),
                max(dMs),
                min(gMs) / min(dMs));
        System.out.println("  guest's last sample, time in the host per call (mean):");
        guest.perCall.forEach(
                (call, c) ->
                        System.out.printf(
                                Locale.ROOT,
                                "    %-45s %6d call(s) %9.1f us%n",
                                call,
                                c[0],
                                c[1] / 1e3 / c[0]));
    }

    /** The guest side: one run of K inferences per sample. */
    private static final class Guest {
        final Airlock airlock = Airlock.create();
        final GuestModule module;
        final Policy policy;
        final long[] marks = new long[2];
        final Map<String, long[]> perCall = new java.util.TreeMap<>();
        long lastNanos;

        Guest(Path model, int n, int k, int m, int threads, int inferences, byte[] input)
                throws Exception {
            module = airlock.load(Wat2Wasm.parse(wat(n, k, m, inferences)));
            Policy.Builder b =
                    Policy.builder()
                            .stdin(input)
                            .limits(
                                    Limits.builder()
                                            .timeout(Duration.ofMinutes(5))
                                            .maxOutputBytes(64L << 20)
                                            .build())
                            .grant(
                                    HostImport.ofVoid(
                                            "bench", "start", () -> marks[0] = System.nanoTime()))
                            .grant(
                                    HostImport.ofVoid(
                                            "bench", "end", () -> marks[1] = System.nanoTime()));
            policy =
                    WasiNn.grant(
                                    b,
                                    NnGrant.builder()
                                            .model("m", model)
                                            .threads(threads)
                                            .maxComputations(1_000_000)
                                            .build())
                            .build();
        }

        byte[] sample() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            perCall.clear();
            Outcome o =
                    airlock.run(
                            module,
                            policy,
                            Stdio.of(out, System.err),
                            e -> {
                                if (e instanceof dev.airlock.core.event.HostCallEvent h) {
                                    long[] c = perCall.computeIfAbsent(h.call(), x -> new long[2]);
                                    c[0]++;
                                    c[1] += h.durationNanos();
                                }
                            });
            if (o.status() != Status.OK) {
                throw new IllegalStateException("guest failed: " + o.message());
            }
            lastNanos = marks[1] - marks[0];
            return out.toByteArray();
        }
    }

    /** The direct side: ONNX Runtime from Java, K inferences per sample. */
    private static final class Direct implements AutoCloseable {
        final OrtEnvironment env = OrtEnvironment.getEnvironment();
        final OrtSession session;
        final String name;
        final long[] shape;
        final int inferences;
        final byte[] input;
        final ByteBuffer buffer;
        final OnnxTensor tensor;
        long lastNanos;

        Direct(Path model, int n, int k, int threads, int inferences, byte[] input)
                throws Exception {
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                if (threads > 0) {
                    o.setIntraOpNumThreads(threads);
                    o.setInterOpNumThreads(1);
                }
                session = env.createSession(model.toString(), o);
            }
            name = session.getInputNames().iterator().next();
            shape = new long[] {n, k};
            buffer = ByteBuffer.allocateDirect(input.length).order(ByteOrder.nativeOrder());
            tensor = OnnxTensor.createTensor(env, buffer.asFloatBuffer(), shape);
            this.inferences = inferences;
            this.input = input;
        }

        byte[] sample() throws Exception {
            byte[] last = null;
            long start = System.nanoTime();
            for (int i = 0; i < inferences; i++) {
                // the input copied into the tensor's own direct buffer, as the guest's is
                buffer.clear();
                buffer.put(input).flip();
                try (OrtSession.Result r = session.run(Map.of(name, tensor))) {
                    ByteBuffer y = ((OnnxTensor) r.get(0)).getByteBuffer();
                    last = new byte[y.remaining()];
                    y.get(last);
                }
            }
            lastNanos = System.nanoTime() - start;
            return last;
        }

        @Override
        public void close() throws Exception {
            tensor.close();
            session.close();
        }
    }

    static String wat(int n, int k, int m, int inferences) {
        int inLen = n * k * 4;
        int outLen = n * m * 4;
        int inAt = 0x10000;
        int outAt = inAt + ((inLen + 0xFFFF) & ~0xFFFF);
        int pages = (outAt + outLen + 0xFFFF) / 0x10000 + 1;
        return String.format(
                Locale.ROOT,
                """
                (module
                  (import "wasi_ephemeral_nn" "load_by_name" (func $load_by_name (param i32 i32 i32) (result i32)))
                  (import "wasi_ephemeral_nn" "init_execution_context" (func $init (param i32 i32) (result i32)))
                  (import "wasi_ephemeral_nn" "set_input" (func $set_input (param i32 i32 i32) (result i32)))
                  (import "wasi_ephemeral_nn" "compute" (func $compute (param i32) (result i32)))
                  (import "wasi_ephemeral_nn" "get_output" (func $get_output (param i32 i32 i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (import "bench" "start" (func $start))
                  (import "bench" "end" (func $end))
                  (memory (export "memory") %1$d)
                  (data (i32.const 64) "m")
                  (func $ok (param $e i32) (if (local.get $e) (then (call $exit (local.get $e)))))
                  (func (export "_start") (local $p i32) (local $i i32)
                    ;; the input from stdin
                    (local.set $p (i32.const %2$d))
                    (block $done (loop $read
                      (i32.store (i32.const 0) (local.get $p))
                      (i32.store (i32.const 4) (i32.sub (i32.const %3$d) (local.get $p)))
                      (call $ok (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
                      (br_if $done (i32.eqz (i32.load (i32.const 8))))
                      (local.set $p (i32.add (local.get $p) (i32.load (i32.const 8))))
                      (br_if $read (i32.lt_u (local.get $p) (i32.const %3$d)))))
                    (i32.store (i32.const 0x300) (i32.const %4$d))
                    (i32.store (i32.const 0x304) (i32.const %5$d))
                    (i32.store (i32.const 0x200) (i32.const 0x300))
                    (i32.store (i32.const 0x204) (i32.const 2))
                    (i32.store (i32.const 0x208) (i32.const 1))
                    (i32.store (i32.const 0x20c) (i32.const %2$d))
                    (i32.store (i32.const 0x210) (i32.const %6$d))
                    (call $ok (call $load_by_name (i32.const 64) (i32.const 1) (i32.const 0x100)))
                    (call $ok (call $init (i32.load (i32.const 0x100)) (i32.const 0x104)))
                    (call $start)
                    (loop $infer
                      (call $ok (call $set_input (i32.load (i32.const 0x104)) (i32.const 0) (i32.const 0x200)))
                      (call $ok (call $compute (i32.load (i32.const 0x104))))
                      (call $ok (call $get_output (i32.load (i32.const 0x104)) (i32.const 0)
                        (i32.const %7$d) (i32.const %8$d) (i32.const 0x108)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $infer (i32.lt_u (local.get $i) (i32.const %9$d))))
                    (call $end)
                    (i32.store (i32.const 0) (i32.const %7$d))
                    (i32.store (i32.const 4) (i32.load (i32.const 0x108)))
                    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
                """,
                pages,
                inAt,
                inAt + inLen,
                n,
                k,
                inLen,
                outAt,
                outLen,
                inferences);
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
