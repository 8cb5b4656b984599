package dev.airlock.bench;

import dev.airlock.core.Airlock;
import dev.airlock.core.ClockMode;
import dev.airlock.core.Denial;
import dev.airlock.core.GuestModule;
import dev.airlock.core.HostImport;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One run of a Sightglass benchmark in Airlock, timed from the guest's {@code bench.start} to its
 * {@code bench.end} (host imports granted for the run).
 *
 * @param ms the time between the two marks
 * @param stdout what the guest wrote to standard output
 * @param stderr what it wrote to standard error
 * @param problem why the run failed, empty when it did not
 * @param timedOut whether it ran out of time
 * @param fuel the fuel it used (metered runs)
 */
record SightglassRun(
        double ms, byte[] stdout, byte[] stderr, String problem, boolean timedOut, long fuel) {

    /**
     * Runs {@code module} once in {@code airlock}, in {@code folder} mounted as the root with
     * {@code mode}, stopped after {@code timeout}; metered with {@code fuelBudget} unless it is
     * negative; with a frozen clock and seeded randomness when {@code deterministic} (the same work
     * in every run: hash seeds, for one, come from {@code random_get}).
     */
    static SightglassRun of(
            Airlock airlock,
            GuestModule module,
            SightglassBench b,
            Path folder,
            Mount.Mode mode,
            Duration timeout,
            long fuelBudget,
            boolean deterministic) {
        Limits.Builder limits =
                Limits.builder()
                        .timeout(timeout)
                        .memoryBytes(1L << 30)
                        .maxOutputBytes(64L << 20)
                        .fsQuotaBytes(512L << 20)
                        .stackBytes(64L << 20);
        if (fuelBudget >= 0) {
            limits.fuel(fuelBudget);
        }
        // written on the guest's thread
        AtomicLongArray marks = new AtomicLongArray(new long[] {-1, -1});
        Policy.Builder pb =
                Policy.builder()
                        .programName(b.base() + ".wasm")
                        .mount(new Mount(folder, "/", mode))
                        .grant(
                                HostImport.ofVoid(
                                        "bench", "start", () -> marks.set(0, System.nanoTime())))
                        .grant(
                                HostImport.ofVoid(
                                        "bench", "end", () -> marks.set(1, System.nanoTime())))
                        .limits(limits.build());
        if (deterministic) {
            pb.clock(ClockMode.FROZEN).random(RandomMode.seeded(0));
        }
        Policy policy = pb.build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Outcome o = airlock.run(module, policy, Stdio.of(out, err));
        List<String> problems = new ArrayList<>();
        if (o.status() != Status.OK) {
            problems.add(o.message());
            // denials explain a failure; after a success they are harmless (env.none, say)
            for (Denial d : o.denials()) {
                problems.add("denied " + d.call() + " (" + d.rule() + ")");
            }
        } else if (marks.get(0) < 0 || marks.get(1) < 0) {
            problems.add("bench.start/bench.end not both called");
        }
        return new SightglassRun(
                (marks.get(1) - marks.get(0)) / 1e6,
                out.toByteArray(),
                err.toByteArray(),
                String.join("; ", problems),
                o.limitKind() == LimitKind.TIME,
                o.usage().fuel());
    }
}
