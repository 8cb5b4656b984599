package dev.airlock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Execution;
import dev.airlock.lang.Language;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Airlock against reference engines, section by section, each measurement interleaved (Airlock,
 * reference 1, reference 2, Airlock, ...) so that all see the same machine load; each section
 * prints a {@link SpeedTable}: medians and the median of the per-pair ratios.
 *
 * <ul>
 *   <li>{@code --sightglass}: the Sightglass benchmarks, {@code bench.start} to {@code bench.end},
 *       Airlock in this JVM (after one warm-up run) against Wasmtime 49 (Python package, {@code
 *       bench/.venv}) and Node's WASI, one fresh process per run;
 *   <li>{@code --python}: {@code bench/programs/python/*.py}, each timing its own compute, in
 *       Airlock's Python (this JVM, after one warm-up run) against native {@code python3};
 *   <li>{@code --javascript}: {@code bench/programs/javascript/*.js} against native QuickJS-ng
 *       ({@code bench/.tools/qjs} or {@code qjs} on the PATH) and Node;
 *   <li>{@code --start}: whole processes, CPU (user + sys) and wall: {@code ./airlock run
 *       examples/hello.wasm} against Node's WASI and Wasmtime, {@code ./airlock py -c 'print(1)'}
 *       against {@code python3}, {@code ./airlock js -c 'console.log(1)'} against qjs and Node;
 *   <li>{@code --imports}: the first {@code import json}, {@code dataclasses}, {@code http.client}
 *       in a fresh {@code ./airlock py} process against {@code python3};
 *   <li>{@code --server}: the same Python programs sent to a warm {@code ./airlock serve} against
 *       fresh {@code ./airlock py FILE} processes.
 * </ul>
 *
 * A reference that is missing is reported and skipped. Run from the repository root: {@code
 * bench/speed [sections] [--iterations N] [--filter REGEX]}; see bench/README.md.
 */
public final class SpeedCompare {
    private static final List<String> SECTIONS =
            List.of("sightglass", "python", "javascript", "start", "imports", "server");
    private static final Pattern MS = Pattern.compile("ms=([0-9.eE+-]+)");
    private static final Pattern JSON_MS = Pattern.compile("\"ms\"\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern JSON_EXIT = Pattern.compile("\"exit\"\\s*:\\s*(-?[0-9]+)");
    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(5);

    private final Set<String> sections = new LinkedHashSet<>();
    private int iterations = 3;
    private int warmup = 1;

    /** Warm-up requests per program in --server: --warmup if given, else 3 (see README). */
    private int serverWarmup = 3;

    private Pattern filter;
    private double maxSeconds = 60;
    private final Path root = Path.of("").toAbsolutePath();
    private Path sightglassDir = Path.of("bench/target/testdata/sightglass");
    private Path tmp;
    private boolean failed;

    // the references; null when missing
    private String python3;
    private String node;
    private String qjs;
    private String wasmtimePython;

    private SpeedCompare() {}

    public static void main(String[] args) throws Exception {
        SpeedCompare c = new SpeedCompare();
        try {
            c.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("speed: " + e.getMessage());
            usage();
            System.exit(2);
        }
        System.exit(c.runAll());
    }

    private static void usage() {
        System.err.println(
                "usage: SpeedCompare [--sightglass] [--python] [--javascript] [--start] [--imports]"
                        + " [--server] [--all] [--iterations N] [--warmup N] [--filter REGEX]"
                        + " [--max-seconds S]"
                        + " [--sightglass-dir DIR]\n"
                        + "  no section: all of them; --filter selects programs/benchmarks by name");
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && SECTIONS.contains(a.substring(2))) {
                sections.add(a.substring(2));
                continue;
            }
            switch (a) {
                case "--all" -> sections.addAll(SECTIONS);
                case "--iterations" -> {
                    iterations = Integer.parseInt(value(args, ++i, a));
                    if (iterations < 1) {
                        throw new IllegalArgumentException("--iterations must be >= 1");
                    }
                }
                case "--warmup" -> {
                    warmup = Integer.parseInt(value(args, ++i, a));
                    serverWarmup = warmup;
                    if (warmup < 1) {
                        throw new IllegalArgumentException("--warmup must be >= 1");
                    }
                }
                case "--filter" -> filter = Pattern.compile(value(args, ++i, a));
                case "--max-seconds" -> maxSeconds = Double.parseDouble(value(args, ++i, a));
                case "--sightglass-dir" -> sightglassDir = Path.of(value(args, ++i, a));
                case "-h", "--help" -> {
                    usage();
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (sections.isEmpty()) {
            sections.addAll(SECTIONS);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private int runAll() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "Airlock speed comparison: %s; %d interleaved iteration(s); %d CPUs, load average"
                        + " %.1f%n",
                String.join(", ", sections),
                iterations,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        findReferences();
        tmp = Files.createTempDirectory("airlock-speed");
        try {
            for (String s : SECTIONS) {
                if (!sections.contains(s)) {
                    continue;
                }
                try {
                    switch (s) {
                        case "sightglass" -> sightglass();
                        case "python" -> compute(Language.PYTHON);
                        case "javascript" -> compute(Language.JAVASCRIPT);
                        case "start" -> start();
                        case "imports" -> imports();
                        case "server" -> server();
                        default -> throw new IllegalStateException(s);
                    }
                } catch (Exception e) {
                    failed = true;
                    System.out.println("section " + s + " FAILED: " + e);
                }
            }
        } finally {
            deleteTree(tmp);
        }
        return failed ? 1 : 0;
    }

    // ---------------------------------------------------------------- references

    private void findReferences() {
        System.out.println("references:");
        String py = onPath("python3");
        if (py != null) {
            // through pyenv's shim python3 is a shell script: measure the real binary
            ProcResult r = plain(List.of(py, "-c", "import sys; print(sys.executable)"));
            python3 = r.exit() == 0 && !r.out().isBlank() ? r.out().strip() : py;
        }
        report("python3", python3, version(python3, "--version"), "install python3");
        node = onPath("node");
        report("node", node, version(node, "--version"), "install Node 20 or later");
        Path local = root.resolve("bench/.tools/qjs");
        qjs = Files.isExecutable(local) ? local.toString() : onPath("qjs");
        report(
                "QuickJS-ng",
                qjs,
                qjs == null ? "" : version(qjs, "-v"),
                "run bench/tools/setup.sh quickjs (builds bench/.tools/qjs from quickjs-ng)");
        Path venv = root.resolve("bench/.venv/bin/python");
        if (Files.isExecutable(venv)
                && plain(List.of(venv.toString(), "-c", "import wasmtime")).exit() == 0) {
            wasmtimePython = venv.toString();
        }
        report(
                "Wasmtime",
                wasmtimePython,
                wasmtimePython == null
                        ? ""
                        : "Python package "
                                + version(
                                        wasmtimePython,
                                        "-c",
                                        "from importlib.metadata import version;"
                                                + " print(version('wasmtime'))"),
                "run bench/tools/setup.sh wasmtime (bench/.venv with wasmtime==49.0.0)");
        if (python3 == null) {
            System.out.println(
                    "  (the start, imports and server sections time processes through python3:"
                            + " they are skipped without it)");
        }
    }

    private static void report(String what, String path, String version, String fix) {
        if (path == null) {
            System.out.printf(
                    Locale.ROOT, "  %-11s MISSING: %s; its columns are skipped%n", what, fix);
        } else {
            System.out.printf(Locale.ROOT, "  %-11s %s %s%n", what, path, version);
        }
    }

    private String version(String bin, String... args) {
        if (bin == null) {
            return "";
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(bin);
        cmd.addAll(List.of(args));
        ProcResult r = plain(cmd);
        return (r.out() + r.err()).strip().replace('\n', ' ');
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toString();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- sightglass

    private void sightglass() throws IOException {
        SightglassCompare sg = SightglassCompare.forSpeed(sightglassDir, filter, maxSeconds);
        List<SightglassCompare.Bench> benches = sg.discover();
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
        for (SightglassCompare.Bench b : benches) {
            List<String> notes = new ArrayList<>();
            Map<String, double[]> refs = new LinkedHashMap<>();
            GuestModule module;
            try {
                module = airlock.load(b.wasm());
            } catch (ModuleRejectedException e) {
                failed = true;
                table.add(b.name(), null, refs, "rejected: " + e.getMessage());
                continue;
            }
            byte[] expected = SightglassCompare.expected(b, "stdout");
            long w0 = System.nanoTime();
            SightglassCompare.Run warm =
                    sg.runAirlock(
                            airlock,
                            module,
                            b,
                            b.folder(),
                            Mount.Mode.READ_ONLY,
                            sg.warmUpLimit(),
                            -1);
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
                failed = true;
                table.add(b.name(), null, refs, "FAILED: " + warm.problem());
                continue;
            }
            if (expected != null && !Arrays.equals(expected, warm.stdout())) {
                failed = true;
                notes.add("Airlock's STDOUT MISMATCH");
            }
            for (int i = 1; i < warmup; i++) {
                sg.runAirlock(
                        airlock,
                        module,
                        b,
                        b.folder(),
                        Mount.Mode.READ_ONLY,
                        Duration.ofMinutes(5),
                        -1);
            }
            double[] a = new double[iterations];
            double[] wt = wasmtimePython == null ? null : new double[iterations];
            double[] nd = node == null ? null : new double[iterations];
            for (int i = 0; i < iterations; i++) {
                SightglassCompare.Run r =
                        sg.runAirlock(
                                airlock,
                                module,
                                b,
                                b.folder(),
                                Mount.Mode.READ_ONLY,
                                Duration.ofMinutes(5),
                                -1);
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

    private void checkOutput(
            SightglassCompare.Bench b, byte[] expected, String who, List<String> notes)
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
    private double jsonMs(List<String> cmd, String who, List<String> notes) {
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

    // ---------------------------------------------------------------- python, javascript

    private List<Path> programs(String dir, String ext) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("bench/programs").resolve(dir))) {
            return s.filter(p -> p.getFileName().toString().endsWith(ext))
                    .filter(
                            p ->
                                    filter == null
                                            || filter.matcher(p.getFileName().toString()).find())
                    .sorted()
                    .toList();
        }
    }

    private void compute(Language language) throws IOException {
        boolean py = language == Language.PYTHON;
        List<Path> progs = programs(py ? "python" : "javascript", py ? ".py" : ".js");
        System.out.printf(
                Locale.ROOT,
                "%n%s compute: %d program(s) of bench/programs/%s, each timing its own compute"
                        + " (start-up excluded); Airlock in this JVM after %d warm-up run(s)%n",
                py ? "Python" : "JavaScript",
                progs.size(),
                py ? "python" : "javascript",
                warmup);
        SpeedTable table =
                new SpeedTable(
                        py
                                ? "Python compute (ms), Airlock / native python3"
                                : "JavaScript compute (ms), Airlock / native QuickJS-ng (qjs) and / Node",
                        "ms");
        Policy policy =
                Policy.builder()
                        .limits(
                                Limits.builder()
                                        .timeout(Duration.ofMinutes(5))
                                        .memoryBytes(1L << 30)
                                        .build())
                        .build();
        try (CodeInterpreter ci = CodeInterpreter.create()) {
            for (Path p : progs) {
                String name = p.getFileName().toString();
                String code = Files.readString(p);
                List<String> notes = new ArrayList<>();
                Map<String, double[]> refs = new LinkedHashMap<>();
                boolean ok = true;
                for (int i = 0; i < warmup && ok; i++) {
                    ok = !Double.isNaN(inSandbox(ci, language, code, policy, notes));
                }
                if (!ok) {
                    table.add(name, null, refs, String.join("; ", notes));
                    continue;
                }
                double[] a = new double[iterations];
                double[] r1 = new double[iterations];
                double[] r2 = new double[iterations];
                String ref1 = py ? python3 : qjs;
                String ref2 = py ? null : node;
                for (int i = 0; i < iterations; i++) {
                    a[i] = inSandbox(ci, language, code, policy, notes);
                    r1[i] = ref1 == null ? Double.NaN : nativeMs(ref1, p, notes);
                    r2[i] = ref2 == null ? Double.NaN : nativeMs(ref2, p, notes);
                }
                if (py) {
                    refs.put("python3", python3 == null ? null : r1);
                } else {
                    refs.put("qjs", qjs == null ? null : r1);
                    refs.put("Node", node == null ? null : r2);
                }
                table.add(name, a, refs, String.join("; ", new LinkedHashSet<>(notes)));
                System.out.printf(
                        Locale.ROOT,
                        "  %-20s airlock %s ms, %s %s ms%s%n",
                        name,
                        SpeedTable.fmt(SpeedTable.median(a)),
                        py ? "python3" : "qjs",
                        SpeedTable.fmt(SpeedTable.median(ref1 == null ? null : r1)),
                        ref2 == null
                                ? ""
                                : ", node " + SpeedTable.fmt(SpeedTable.median(r2)) + " ms");
            }
        }
        table.print(System.out);
    }

    private double inSandbox(
            CodeInterpreter ci, Language language, String code, Policy policy, List<String> notes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Execution e = ci.run(language, code, policy, Stdio.of(out, err));
        String o = out.toString(StandardCharsets.UTF_8);
        Matcher m = MS.matcher(o);
        if (!e.outcome().isOk() || !m.find()) {
            failed = true;
            notes.add(
                    "Airlock FAILED: "
                            + e.outcome().message()
                            + " "
                            + abbreviate(o + err.toString(StandardCharsets.UTF_8)));
            return Double.NaN;
        }
        return Double.parseDouble(m.group(1));
    }

    private double nativeMs(String bin, Path program, List<String> notes) {
        ProcResult r = plain(List.of(bin, program.toString()));
        Matcher m = MS.matcher(r.out());
        if (r.exit() != 0 || !m.find()) {
            notes.add(
                    Path.of(bin).getFileName()
                            + " failed: exit "
                            + r.exit()
                            + " "
                            + abbreviate(r.out() + r.err()));
            return Double.NaN;
        }
        return Double.parseDouble(m.group(1));
    }

    // ---------------------------------------------------------------- process start

    private void start() {
        if (python3 == null) {
            System.out.println("\nstart: skipped (no python3 to time processes with)");
            return;
        }
        String airlock = root.resolve("airlock").toString();
        String hello = "examples/hello.wasm";
        List<Cmd> rows =
                List.of(
                        new Cmd(
                                "run hello.wasm",
                                List.of(airlock, "run", hello),
                                refs(
                                        "node",
                                        node == null
                                                ? null
                                                : List.of(
                                                        node,
                                                        "bench/tools/node-wasi-run.mjs",
                                                        hello),
                                        "wasmtime",
                                        wasmtimePython == null
                                                ? null
                                                : List.of(
                                                        wasmtimePython,
                                                        "bench/tools/wasmtime-run.py",
                                                        "run",
                                                        hello))),
                        new Cmd(
                                "py -c 'print(1)'",
                                List.of(airlock, "py", "-c", "print(1)"),
                                refs("python3", List.of(python3, "-c", "print(1)"))),
                        new Cmd(
                                "js -c 'console.log(1)'",
                                List.of(airlock, "js", "-c", "console.log(1)"),
                                refs(
                                        "qjs",
                                        qjs == null ? null : List.of(qjs, "-e", "console.log(1)"),
                                        "node",
                                        node == null
                                                ? null
                                                : List.of(node, "-e", "console.log(1)"))));
        System.out.printf(
                Locale.ROOT,
                "%nProcess start: whole processes (./airlock is the launcher script and its JVM),"
                        + " CPU = user + sys of the process and its children; 1 unmeasured run of"
                        + " each first%n");
        SpeedTable cpu = new SpeedTable("Process start, CPU (user+sys, ms)", "ms");
        SpeedTable wall = new SpeedTable("Process start, wall (ms)", "ms");
        for (Cmd c : rows) {
            measureProcesses(c, cpu, wall);
        }
        cpu.print(System.out);
        wall.print(System.out);
    }

    private record Cmd(String name, List<String> airlock, Map<String, List<String>> refs) {}

    private static Map<String, List<String>> refs(Object... labelAndCmd) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < labelAndCmd.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> cmd = (List<String>) labelAndCmd[i + 1];
            m.put((String) labelAndCmd[i], cmd);
        }
        return m;
    }

    private void measureProcesses(Cmd c, SpeedTable cpu, SpeedTable wall) {
        List<String> notes = new ArrayList<>();
        timed(c.airlock(), notes, "airlock"); // warm-up (and the launcher's first build, CDS)
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

    private void imports() {
        if (python3 == null) {
            System.out.println("\nimports: skipped (no python3)");
            return;
        }
        String airlock = root.resolve("airlock").toString();
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
            List<String> a = List.of(airlock, "py", "--timeout", "60s", "-c", code);
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

    private static double ms(String out) {
        Matcher m = MS.matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    // ---------------------------------------------------------------- warm server

    private void server() throws Exception {
        if (python3 == null) {
            System.out.println("\nserver: skipped (no python3)");
            return;
        }
        List<Path> progs = programs("python", ".py");
        if (filter == null) {
            // the two quickest: the server's timeout ceiling is 60 s per request
            progs =
                    progs.stream()
                            .filter(
                                    p ->
                                            List.of("nbody.py", "spectral_norm.py")
                                                    .contains(p.getFileName().toString()))
                            .toList();
        }
        String airlock = root.resolve("airlock").toString();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        byte[] k = new byte[24];
        new SecureRandom().nextBytes(k);
        String key = "bench-" + HexFormat.of().formatHex(k);
        Path data = Files.createDirectories(tmp.resolve("server-data"));
        Path log = tmp.resolve("server.log");
        ProcessBuilder pb =
                new ProcessBuilder(
                        airlock,
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(port),
                        "--data",
                        data.toString());
        pb.environment().put("AIRLOCK_BOOTSTRAP_KEY", key);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        System.out.printf(
                Locale.ROOT,
                "%nWarm server against fresh processes: %d program(s) POSTed to ./airlock serve"
                        + " (127.0.0.1:%d, after %d warm-up request(s) each) against ./airlock py FILE,"
                        + " interleaved; wall = the request's round trip / the whole process%n",
                progs.size(),
                port,
                serverWarmup);
        Process server = pb.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        try {
            waitHealthy(http, port, server, log);
            SpeedTable own =
                    new SpeedTable(
                                    "Warm server / fresh ./airlock py process: the program's own compute (ms)",
                                    "ms")
                            .subject("server");
            SpeedTable wall =
                    new SpeedTable(
                                    "Warm server / fresh ./airlock py process: request round trip"
                                            + " / whole process wall (ms)",
                                    "ms")
                            .subject("server");
            for (Path p : progs) {
                String name = p.getFileName().toString();
                String code = Files.readString(p);
                List<String> notes = new ArrayList<>();
                String body =
                        json.writeValueAsString(
                                Map.of(
                                        "language",
                                        "python",
                                        "code",
                                        code,
                                        "limits",
                                        Map.of("timeoutMs", 60000)));
                List<String> fresh = List.of(airlock, "py", "--timeout", "60s", p.toString());
                for (int i = 0; i < serverWarmup; i++) {
                    post(http, json, port, key, body, notes); // warm-up
                }
                timed(fresh, notes, "fresh process");
                double[] sOwn = new double[iterations];
                double[] sWall = new double[iterations];
                double[] fOwn = new double[iterations];
                double[] fWall = new double[iterations];
                for (int i = 0; i < iterations; i++) {
                    double[] s = post(http, json, port, key, body, notes);
                    sOwn[i] = s[0];
                    sWall[i] = s[1];
                    ProcResult r = timed(fresh, notes, "fresh process");
                    fOwn[i] = ms(r.out());
                    fWall[i] = r.wallMs();
                }
                String note = String.join("; ", new LinkedHashSet<>(notes));
                own.add(name, sOwn, Map.of("fresh", fOwn), note);
                wall.add(name, sWall, Map.of("fresh", fWall), "");
                System.out.printf(
                        Locale.ROOT,
                        "  %-20s server %s ms own / %s ms round trip, fresh process %s ms own /"
                                + " %s ms wall; own ms of each pair: %s%n",
                        name,
                        SpeedTable.fmt(SpeedTable.median(sOwn)),
                        SpeedTable.fmt(SpeedTable.median(sWall)),
                        SpeedTable.fmt(SpeedTable.median(fOwn)),
                        SpeedTable.fmt(SpeedTable.median(fWall)),
                        pairs(sOwn, fOwn));
            }
            own.print(System.out);
            wall.print(System.out);
        } finally {
            server.destroy(); // SIGTERM: a graceful stop
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static String pairs(double[] a, double[] b) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            l.add(SpeedTable.fmt(a[i]) + "/" + SpeedTable.fmt(b[i]));
        }
        return String.join(" ", l);
    }

    private static void waitHealthy(HttpClient http, int port, Process server, Path log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException(
                        "./airlock serve exited "
                                + server.exitValue()
                                + ": "
                                + abbreviate(Files.readString(log)));
            }
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/healthz"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("./airlock serve did not answer /healthz within 3 minutes");
    }

    /** One execution: {own ms, round-trip ms}; NaN and a note on failure. */
    private double[] post(
            HttpClient http,
            ObjectMapper json,
            int port,
            String key,
            String body,
            List<String> notes)
            throws InterruptedException {
        HttpRequest req =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/executions"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofMinutes(2))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            double wall = (System.nanoTime() - t0) / 1e6;
            JsonNode n = json.readTree(r.body());
            String stdout = n.path("stdout").asText("");
            if (r.statusCode() != 200 || !"ok".equals(n.path("status").asText())) {
                failed = true;
                notes.add("server: HTTP " + r.statusCode() + " " + abbreviate(r.body()));
                return new double[] {Double.NaN, Double.NaN};
            }
            return new double[] {ms(stdout), wall};
        } catch (IOException e) {
            failed = true;
            notes.add("server: " + e);
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    // ---------------------------------------------------------------- processes

    record ProcResult(int exit, double wallMs, double cpuMs, String out, String err) {}

    /** Runs a command from the repository root, stdin empty; wall measured here, no CPU. */
    private ProcResult plain(List<String> cmd) {
        try {
            Path out = Files.createTempFile("speed", ".out");
            Path err = Files.createTempFile("speed", ".err");
            try {
                ProcessBuilder pb =
                        new ProcessBuilder(cmd)
                                .directory(root.toFile())
                                .redirectOutput(out.toFile())
                                .redirectError(err.toFile())
                                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                if (tmp != null) {
                    // ./airlock's store and keys: a private one, created by the first (warm-up)
                    // run, not the shared ~/.airlock (which another version may have upgraded)
                    pb.environment().put("AIRLOCK_DATA", tmp.resolve("cli-data").toString());
                }
                long t0 = System.nanoTime();
                Process p = pb.start();
                if (!p.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new ProcResult(-1, Double.NaN, Double.NaN, "", "timed out");
                }
                double wall = (System.nanoTime() - t0) / 1e6;
                return new ProcResult(
                        p.exitValue(),
                        wall,
                        Double.NaN,
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new ProcResult(-1, Double.NaN, Double.NaN, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcResult(-1, Double.NaN, Double.NaN, "", "interrupted");
        }
    }

    /**
     * Runs a command under {@code bench/tools/proctime.py}: wall around spawn and wait, CPU from
     * wait4 (the process and the children it waited for). A failure gives NaN and a note.
     */
    private ProcResult timed(List<String> cmd, List<String> notes, String who) {
        Path json = tmp.resolve("proctime.json");
        List<String> full = new ArrayList<>();
        full.add(python3);
        full.add(root.resolve("bench/tools/proctime.py").toString());
        full.add(json.toString());
        full.addAll(cmd);
        ProcResult r = plain(full);
        try {
            String j = Files.readString(json);
            Files.delete(json);
            JsonNode n = new ObjectMapper().readTree(j);
            int exit = n.path("exit").asInt(-1);
            if (exit != 0) {
                failed = true;
                notes.add(who + " failed: exit " + exit + " " + abbreviate(r.out() + r.err()));
                return new ProcResult(exit, Double.NaN, Double.NaN, r.out(), r.err());
            }
            return new ProcResult(
                    0, n.path("wall_ms").asDouble(), n.path("cpu_ms").asDouble(), r.out(), r.err());
        } catch (IOException e) {
            failed = true;
            notes.add(who + " could not be timed: " + abbreviate(r.out() + r.err()));
            return new ProcResult(-1, Double.NaN, Double.NaN, r.out(), r.err());
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
