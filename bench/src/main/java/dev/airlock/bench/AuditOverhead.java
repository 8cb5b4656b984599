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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

/**
 * The overhead of auditing, off and on measured alternately in the same process (so that both see
 * the same load on a shared machine), on guests of 5,000 host calls per run: {@code write} and
 * {@code read} of {@link AuditBenchmark}, and {@code open} (2,500 {@code path_open} + {@code
 * fd_close} pairs: a path argument in every other call). Prints medians and the median of the
 * pairs' ratios (on / off):
 *
 * <ul>
 *   <li><b>sustained</b>: a block of runs back to back, with auditing on ({@code --audit FILE}: an
 *       {@link AuditTrail} writing JSON Lines), timed until the trail has written and sealed all of
 *       them ({@code flush}), against the same block with auditing off. Everything the writer does
 *       is in the time: the cost of a steady stream of host calls;
 *   <li><b>single run</b>: one run with auditing on, started when the trail is idle (its writer
 *       works while the guest runs, and may finish after it), against one run with auditing off:
 *       what one run of an agent sees;
 *   <li><b>guest CPU</b>: the CPU time of the guest's thread in those single runs: what auditing
 *       costs the guest itself, whatever else the machine runs;
 *   <li><b>writer CPU</b>: the CPU time of the trail's writer thread per event (encoding, hashing,
 *       writing, signing), over a flushed block.
 * </ul>
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.airlock.bench.AuditOverhead [pairs]
 * [blockRuns] [guests]} (defaults 15, 40 and {@code write,read,open}).
 */
public final class AuditOverhead {
    private AuditOverhead() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int block = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        String[] guests =
                args.length > 2 ? args[2].split(",") : new String[] {"write", "read", "open"};
        System.out.printf(
                Locale.ROOT,
                "Audit overhead, %d host calls per run; %d alternating off/on pairs per figure,"
                        + " sustained blocks of %d runs; %d CPUs, load average %.1f%n",
                5000,
                pairs,
                block,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (String guest : guests) {
            measure(guest, pairs, block);
        }
    }

    private static void measure(String guest, int pairs, int block) throws Exception {
        Path dir = Files.createTempDirectory("airlock-audit-overhead");
        try {
            Path files = Files.createDirectories(dir.resolve("files"));
            Files.write(files.resolve("data.bin"), new byte[4096]);
            Airlock airlock = Airlock.builder().inlineExecution(true).build();
            GuestModule module =
                    airlock.load(
                            Wat2Wasm.parse(
                                    switch (guest) {
                                        case "write" -> AuditBenchmark.WRITE_WAT;
                                        case "read" -> AuditBenchmark.READ_WAT;
                                        case "open" -> AuditBenchmark.OPEN_WAT;
                                        default ->
                                                throw new IllegalArgumentException(
                                                        "unknown guest " + guest);
                                    }));
            Policy policy =
                    guest.equals("write")
                            ? Policy.defaults()
                            : Policy.builder()
                                    .mount(new Mount(files, "/data", Mount.Mode.READ_ONLY))
                                    .build();
            try (AuditTrail trail =
                    new AuditTrail(
                            new JsonlSink(dir.resolve("trail.jsonl")),
                            AuditKeys.loadOrCreate(dir.resolve("keys")),
                            HashChain.start(),
                            10_000)) {
                Runner r = new Runner(airlock, module, policy, trail);
                // warm-up: both paths compiled, the writer's too
                for (int i = 0; i < 3; i++) {
                    r.block(block, EventSink.none());
                    r.block(block, trail);
                    trail.flush();
                }
                double[] off = new double[pairs];
                double[] on = new double[pairs];
                double[] ratio = new double[pairs];
                for (int i = 0; i < pairs; i++) {
                    off[i] = r.block(block, EventSink.none()) / block;
                    long t0 = System.nanoTime();
                    r.block(block, trail);
                    trail.flush();
                    on[i] = (System.nanoTime() - t0) / 1e6 / block;
                    ratio[i] = on[i] / off[i];
                }
                print(guest, "sustained", off, on, ratio);
                int singles = pairs * block;
                off = new double[singles];
                on = new double[singles];
                ratio = new double[singles];
                double[] cpuOff = new double[singles];
                double[] cpuOn = new double[singles];
                double[] cpuRatio = new double[singles];
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                for (int i = 0; i < singles; i++) {
                    // the writer is idle when either run starts (it may still work after the run);
                    // both runs start after the same pause, so that the scheduler treats them alike
                    trail.flush();
                    Thread.sleep(5);
                    long c0 = threads.getCurrentThreadCpuTime();
                    on[i] = r.block(1, trail);
                    cpuOn[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                    trail.flush();
                    Thread.sleep(5);
                    c0 = threads.getCurrentThreadCpuTime();
                    off[i] = r.block(1, EventSink.none());
                    cpuOff[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                    ratio[i] = on[i] / off[i];
                    cpuRatio[i] = cpuOn[i] / cpuOff[i];
                }
                print(guest, "single run", off, on, ratio);
                print(guest, "guest CPU", cpuOff, cpuOn, cpuRatio);
                long w0 = writerCpu(threads);
                long t0 = System.nanoTime();
                r.block(block, trail);
                trail.flush();
                System.out.printf(
                        Locale.ROOT,
                        "  %-5s writer CPU %.0f ns per event (%d runs, flushed, %.1f ms)%n",
                        guest,
                        (writerCpu(threads) - w0) / (block * 5000.0),
                        block,
                        (System.nanoTime() - t0) / 1e6);
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** CPU time of the trail writers' threads, in nanoseconds. */
    private static long writerCpu(ThreadMXBean threads) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("airlock-audit-writer")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    private static void print(String guest, String what, double[] off, double[] on, double[] r) {
        System.out.printf(
                Locale.ROOT,
                "  %-5s %-10s off %.3f ms, on %.3f ms (medians); on/off %.2f (median of %d pairs,"
                        + " quartiles %.2f..%.2f)%n",
                guest,
                what,
                median(off),
                median(on),
                median(r),
                r.length,
                quantile(r, 0.25),
                quantile(r, 0.75));
    }

    static double median(double[] v) {
        return quantile(v, 0.5);
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }

    /** Runs the guest; checks every outcome. */
    private record Runner(Airlock airlock, GuestModule module, Policy policy, AuditTrail trail) {
        /** Runs {@code n} times back to back; returns the total in milliseconds. */
        double block(int n, EventSink sink) throws IOException {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Outcome o = airlock.run(module, policy, Stdio.discard(), sink);
                if (o.status() != Status.OK || o.usage().hostCalls() < 5000) {
                    throw new IllegalStateException("unexpected outcome: " + o);
                }
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }
}
