package dev.airlock.bench;

import dev.airlock.lang.Language;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

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
 *   <li>{@code --javascript}: {@code bench/programs/javascript/*.js} against native QuickJS ({@code
 *       bench/.tools/qjs} or {@code qjs} on the PATH) and Node;
 *   <li>{@code --javascript-ops}: the same for {@code bench/programs/javascript-ops/*.js}, one kind
 *       of operation each (only when asked for: not part of the default set);
 *   <li>{@code --start}: whole processes, CPU (user + sys) and wall: {@code ./airlock run
 *       examples/hello.wasm} against Node's WASI and Wasmtime, {@code ./airlock py -c 'print(1)'}
 *       against {@code python3}, {@code ./airlock js -c 'console.log(1)'} against qjs and Node;
 *   <li>{@code --imports}: the first {@code import json}, {@code dataclasses}, {@code http.client}
 *       in a fresh {@code ./airlock py} process against {@code python3};
 *   <li>{@code --server}: the same Python programs sent to a warm {@code ./airlock serve} against
 *       fresh {@code ./airlock py FILE} processes.
 * </ul>
 *
 * {@code --ref-runs N}: each pair's native reference is the median of N fresh processes (default
 * 1). A reference that is missing is reported and skipped. Run from the repository root: {@code
 * bench/speed [sections] [--iterations N] [--filter REGEX]}; see bench/README.md.
 */
public final class SpeedCompare extends SpeedBase {
    private static final List<String> SECTIONS =
            List.of(
                    "sightglass",
                    "python",
                    "javascript",
                    "javascript-ops",
                    "start",
                    "imports",
                    "server");

    /** What runs with no section named, or {@code --all}: every section but the operations. */
    private static final List<String> DEFAULT =
            SECTIONS.stream().filter(s -> !s.equals("javascript-ops")).toList();

    private final Set<String> sections = new LinkedHashSet<>();

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
                "usage: SpeedCompare [--sightglass] [--python] [--javascript] [--javascript-ops]"
                        + " [--start] [--imports]"
                        + " [--server] [--all] [--iterations N] [--warmup N] [--ref-runs N]"
                        + " [--filter REGEX]"
                        + " [--max-seconds S]"
                        + " [--sightglass-dir DIR]\n"
                        + "  no section: all of them but --javascript-ops; --filter selects"
                        + " programs/benchmarks by name");
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && SECTIONS.contains(a.substring(2))) {
                sections.add(a.substring(2));
                continue;
            }
            switch (a) {
                case "--all" -> sections.addAll(DEFAULT);
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
                case "--ref-runs" -> {
                    refRuns = Integer.parseInt(value(args, ++i, a));
                    if (refRuns < 1) {
                        throw new IllegalArgumentException("--ref-runs must be >= 1");
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
            sections.addAll(DEFAULT);
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
                        case "sightglass" -> new SightglassSpeed(this).sightglass();
                        case "python" -> new CodeSpeed(this).compute(Language.PYTHON);
                        case "javascript" -> new CodeSpeed(this).compute(Language.JAVASCRIPT);
                        case "javascript-ops" ->
                                new CodeSpeed(this).compute(Language.JAVASCRIPT, "javascript-ops");
                        case "start" -> new ProcessSpeed(this).start();
                        case "imports" -> new ProcessSpeed(this).imports();
                        case "server" -> new ServerSpeed(this).server();
                        default -> throw new IllegalStateException(s);
                    }
                } catch (Exception e) {
                    fail();
                    System.out.println("section " + s + " FAILED: " + e);
                }
            }
        } finally {
            deleteTree(tmp);
        }
        return failures.get() ? 1 : 0;
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
                "QuickJS",
                qjs,
                // Bellard's qjs has no version option: its help's first line names the version
                qjs == null ? "" : version(qjs, "-h").replaceFirst(" usage:.*", ""),
                "run bench/tools/setup.sh quickjs (builds bench/.tools/qjs from the pinned QuickJS source)");
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
}
