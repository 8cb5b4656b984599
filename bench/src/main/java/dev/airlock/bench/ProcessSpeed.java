package dev.airlock.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --start} and {@code --imports}: whole processes against node, Wasmtime, python3 and qjs.
 */
final class ProcessSpeed extends SpeedBase {
    ProcessSpeed(SpeedBase settings) {
        super(settings);
    }

    // ---------------------------------------------------------------- process start

    void start() {
        if (python3 == null) {
            System.out.println("\nstart: skipped (no python3 to time processes with)");
            return;
        }
        String airlock = root.resolve("airlock").toString();
        String hello = "examples/hello.wasm";
        Map<String, List<String>> runRefs =
                refs(
                        "node",
                        node == null ? null : List.of(node, "bench/tools/node-wasi-run.mjs", hello),
                        "wasmtime",
                        wasmtimePython == null
                                ? null
                                : List.of(
                                        wasmtimePython,
                                        "bench/tools/wasmtime-run.py",
                                        "run",
                                        hello));
        Map<String, List<String>> pyRefs = refs("python3", List.of(python3, "-c", "print(1)"));
        Map<String, List<String>> jsRefs =
                refs(
                        "qjs",
                        qjs == null ? null : List.of(qjs, "-e", "console.log(1)"),
                        "node",
                        node == null ? null : List.of(node, "-e", "console.log(1)"));
        List<String> run = List.of("run", hello);
        List<String> py = List.of("py", "-c", "print(1)");
        List<String> js = List.of("js", "-c", "console.log(1)");
        // a process of its own each time (AIRLOCK_RESIDENT=0), then through the resident process
        List<String> own = ownProcess();
        List<Cmd> rows =
                List.of(
                        new Cmd("run hello.wasm", cat(own, run), runRefs, false),
                        new Cmd("py -c 'print(1)'", cat(own, py), pyRefs, false),
                        new Cmd("js -c 'console.log(1)'", cat(own, js), jsRefs, false),
                        new Cmd(
                                "run hello.wasm, resident",
                                cat(List.of(airlock), run),
                                runRefs,
                                true),
                        new Cmd("py -c, resident", cat(List.of(airlock), py), pyRefs, true),
                        new Cmd("js -c, resident", cat(List.of(airlock), js), jsRefs, true));
        System.out.printf(
                Locale.ROOT,
                "%nProcess start: whole processes (./airlock is the launcher script and its JVM),"
                        + " CPU = user + sys of the process and its children; 1 unmeasured run of"
                        + " each first. Rows marked resident go through airlock-client to the"
                        + " resident process (started and warmed up first); their CPU adds the"
                        + " resident process's own CPU time during each run (all its threads)%n");
        SpeedTable cpu = new SpeedTable("Process start, CPU (user+sys, ms)", "ms");
        SpeedTable wall = new SpeedTable("Process start, wall (ms)", "ms");
        for (Cmd c : rows) {
            if (filter != null && !filter.matcher(c.name()).find()) {
                continue;
            }
            measureProcesses(c, cpu, wall);
        }
        cpu.print(System.out);
        wall.print(System.out);
    }

    private static List<String> cat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    record Cmd(
            String name, List<String> airlock, Map<String, List<String>> refs, boolean resident) {}

    static Map<String, List<String>> refs(Object... labelAndCmd) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < labelAndCmd.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> cmd = (List<String>) labelAndCmd[i + 1];
            m.put((String) labelAndCmd[i], cmd);
        }
        return m;
    }

    void measureProcesses(Cmd c, SpeedTable cpu, SpeedTable wall) {
        List<String> notes = new ArrayList<>();
        timed(c.airlock(), notes, "airlock"); // warm-up (and the launcher's first build, CDS)
        ResidentCpu resident = c.resident() ? ResidentCpu.awaitWarm(notes) : null;
        c.refs()
                .forEach(
                        (k, v) -> {
                            if (v != null) {
                                timed(v, notes, k);
                            }
                        });
        double[] aCpu = new double[iterations];
        double[] aWall = new double[iterations];
        Map<String, double[]> rCpu = new LinkedHashMap<>();
        Map<String, double[]> rWall = new LinkedHashMap<>();
        c.refs()
                .forEach(
                        (k, v) -> {
                            rCpu.put(k, v == null ? null : new double[iterations]);
                            rWall.put(k, v == null ? null : new double[iterations]);
                        });
        long residentBefore = resident == null ? 0 : resident.nanos();
        for (int i = 0; i < iterations; i++) {
            ProcResult r = timed(c.airlock(), notes, "airlock");
            aCpu[i] = r.cpuMs();
            aWall[i] = r.wallMs();
            for (Map.Entry<String, List<String>> e : c.refs().entrySet()) {
                if (e.getValue() != null) {
                    ProcResult q = timed(e.getValue(), notes, e.getKey());
                    rCpu.get(e.getKey())[i] = q.cpuMs();
                    rWall.get(e.getKey())[i] = q.wallMs();
                }
            }
        }
        if (resident != null) {
            // its clock ticks (10 ms) are too coarse per run: each run is charged the mean
            double perRun = (resident.nanos() - residentBefore) / 1e6 / iterations;
            for (int i = 0; i < iterations; i++) {
                aCpu[i] += perRun;
            }
            notes.add(String.format(Locale.ROOT, "resident process %.1f ms CPU a run", perRun));
        }
        String note = String.join("; ", new LinkedHashSet<>(notes));
        cpu.add(c.name(), aCpu, rCpu, note);
        wall.add(c.name(), aWall, rWall, "");
        System.out.printf(
                Locale.ROOT,
                "  %-24s airlock %s ms CPU, %s ms wall%n",
                c.name(),
                SpeedTable.fmt(SpeedTable.median(aCpu)),
                SpeedTable.fmt(SpeedTable.median(aWall)));
    }

    // ---------------------------------------------------------------- first imports

    void imports() {
        if (python3 == null) {
            System.out.println("\nimports: skipped (no python3)");
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "%nFirst imports in a fresh process: the import's own time (perf_counter around"
                        + " it), ./airlock py -c against python3 -c%n");
        SpeedTable own = new SpeedTable("First import in a fresh process (ms)", "ms");
        SpeedTable wall = new SpeedTable("The whole process, wall (ms)", "ms");
        for (String mod : List.of("json", "dataclasses", "http.client")) {
            if (filter != null && !filter.matcher(mod).find()) {
                continue;
            }
            String code =
                    "import time\nt0 = time.perf_counter()\nimport "
                            + mod
                            + "\nprint('ms=%.3f' % ((time.perf_counter() - t0) * 1000))";
            // the default 10 s limit is too tight for http.client on a loaded machine
            // a fresh process (not the resident one, whose interpreter imported them long ago)
            List<String> a = ownProcess("py", "--timeout", "60s", "-c", code);
            List<String> n = List.of(python3, "-c", code);
            List<String> notes = new ArrayList<>();
            timed(a, notes, "airlock"); // warm-up
            double[] aMs = new double[iterations];
            double[] nMs = new double[iterations];
            double[] aWall = new double[iterations];
            double[] nWall = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                ProcResult r = timed(a, notes, "airlock");
                aMs[i] = ms(r.out());
                aWall[i] = r.wallMs();
                ProcResult q = timed(n, notes, "python3");
                nMs[i] = ms(q.out());
                nWall[i] = q.wallMs();
            }
            String name = "import " + mod;
            own.add(
                    name,
                    aMs,
                    Map.of("python3", nMs),
                    String.join("; ", new LinkedHashSet<>(notes)));
            wall.add(name, aWall, Map.of("python3", nWall), "");
            System.out.printf(
                    Locale.ROOT,
                    "  %-24s airlock %s ms, python3 %s ms%n",
                    name,
                    SpeedTable.fmt(SpeedTable.median(aMs)),
                    SpeedTable.fmt(SpeedTable.median(nMs)));
        }
        own.print(System.out);
        wall.print(System.out);
    }
}
