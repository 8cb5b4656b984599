package dev.airlock.bench;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/** {@code --sightglass}: Sightglass in Airlock against Wasmtime and Node. */
final class SightglassSpeed extends SpeedBase {
    SightglassSpeed(SpeedBase settings) {
        super(settings);
    }

    // ---------------------------------------------------------------- sightglass

    void sightglass() throws IOException {
        SightglassCompare sg = SightglassCompare.forSpeed(sightglassDir, filter, maxSeconds);
        List<SightglassBench> benches = sg.discover();
        Path nodeScript = root.resolve("bench/tools/sightglass-node-run.mjs");
        Path wasmtimeScript = root.resolve("bench/tools/wasmtime-run.py");
        System.out.printf(
                Locale.ROOT,
                "%nSightglass: %d benchmark(s); Airlock in this JVM after %d warm-up run(s), Wasmtime"
                        + " and Node one fresh process per run (compile and start not timed)%n",
                benches.size(),
                warmup);
        SpeedTable table =
                new SpeedTable(
                        "Sightglass, bench.start..bench.end (ms), Airlock / Wasmtime and / Node",
                        "ms");
        Airlock airlock = Airlock.create();
        for (SightglassBench b : benches) {
            List<String> notes = new ArrayList<>();
            Map<String, double[]> refs = new LinkedHashMap<>();
            GuestModule module;
            try {
                module = airlock.load(b.wasm());
            } catch (ModuleRejectedException e) {
                fail();
                table.add(b.name(), null, refs, "rejected: " + e.getMessage());
                continue;
            }
            byte[] expected = SightglassOutput.expected(b, "stdout");
            long w0 = System.nanoTime();
            SightglassRun warm = sg.warmUp(airlock, module, b, -1);
            double warmSeconds = (System.nanoTime() - w0) / 1e9;
            if (warm.timedOut() || warmSeconds > maxSeconds) {
                table.add(
                        b.name(),
                        null,
                        refs,
                        String.format(
                                Locale.ROOT,
                                "skipped: the warm-up run took over %.0f s (--max-seconds)",
                                maxSeconds));
                System.out.printf(Locale.ROOT, "  %-24s skipped (slow warm-up)%n", b.name());
                continue;
            }
            if (!warm.problem().isEmpty()) {
                fail();
                table.add(b.name(), null, refs, "FAILED: " + warm.problem());
                continue;
            }
            if (expected != null && !Arrays.equals(expected, warm.stdout())) {
                fail();
                notes.add("Airlock's STDOUT MISMATCH");
            }
            for (int i = 1; i < warmup; i++) {
                SightglassRun.of(
                        airlock,
                        module,
                        b,
                        b.folder(),
                        Mount.Mode.READ_ONLY,
                        Duration.ofMinutes(5),
                        -1,
                        sg.deterministic());
            }
            double[] a = new double[iterations];
            double[] wt = wasmtimePython == null ? null : new double[iterations];
            double[] nd = node == null ? null : new double[iterations];
            for (int i = 0; i < iterations; i++) {
                SightglassRun r =
                        SightglassRun.of(
                                airlock,
                                module,
                                b,
                                b.folder(),
                                Mount.Mode.READ_ONLY,
                                Duration.ofMinutes(5),
                                -1,
                                sg.deterministic());
                a[i] = r.problem().isEmpty() ? r.ms() : Double.NaN;
                if (wt != null) {
                    wt[i] =
                            jsonMs(
                                    List.of(
                                            wasmtimePython,
                                            wasmtimeScript.toString(),
                                            "sg",
                                            b.wasm().toAbsolutePath().toString(),
                                            tmp.toString()),
                                    "wasmtime",
                                    notes);
                    if (i == 0) {
                        checkOutput(b, expected, "wasmtime", notes);
                    }
                }
                if (nd != null) {
                    nd[i] =
                            jsonMs(
                                    List.of(
                                            node,
                                            nodeScript.toString(),
                                            b.wasm().toAbsolutePath().toString(),
                                            tmp.toString()),
                                    "node",
                                    notes);
                    if (i == 0) {
                        checkOutput(b, expected, "node", notes);
                    }
                }
            }
            refs.put("Wasmtime", wt);
            refs.put("Node", nd);
            table.add(b.name(), a, refs, String.join("; ", new LinkedHashSet<>(notes)));
            System.out.printf(
                    Locale.ROOT,
                    "  %-24s airlock %s ms, wasmtime %s ms, node %s ms%n",
                    b.name(),
                    SpeedTable.fmt(SpeedTable.median(a)),
                    SpeedTable.fmt(SpeedTable.median(wt)),
                    SpeedTable.fmt(SpeedTable.median(nd)));
        }
        table.print(System.out);
    }

    void checkOutput(SightglassBench b, byte[] expected, String who, List<String> notes)
            throws IOException {
        Path actual = tmp.resolve(b.base() + ".stdout.actual");
        if (expected != null
                && Files.isRegularFile(actual)
                && !Arrays.equals(expected, Files.readAllBytes(actual))) {
            notes.add(who + "'s stdout differs from the expected file");
        }
    }

    /**
     * A process printing JSON with {@code "ms"} (and {@code "exit"}); NaN (and a note) on failure.
     */
    double jsonMs(List<String> cmd, String who, List<String> notes) {
        ProcResult r = plain(cmd);
        Matcher ms = JSON_MS.matcher(r.out());
        Matcher exit = JSON_EXIT.matcher(r.out());
        if (r.exit() != 0 || !ms.find()) {
            notes.add(who + " failed: exit " + r.exit() + " " + abbreviate(r.out() + r.err()));
            return Double.NaN;
        }
        if (exit.find() && !exit.group(1).equals("0")) {
            notes.add(who + ": guest exit code " + exit.group(1));
            return Double.NaN;
        }
        return Double.parseDouble(ms.group(1));
    }
}
