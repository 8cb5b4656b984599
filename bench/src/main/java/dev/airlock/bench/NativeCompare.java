package dev.airlock.bench;

import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Execution;
import dev.airlock.lang.Language;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Compute speed of the sandboxed interpreters against native {@code python3} and {@code node} on
 * the same CPU-bound programs, alternately in one command. Each program times its own compute
 * (start-up excluded) and prints the milliseconds; the figure is the median of the runs, and the
 * ratio sandbox / native.
 *
 * <p>Run: {@code java -Xss16m -XX:-DontCompileHugeMethods -cp bench/target/benchmarks.jar
 * dev.airlock.bench.NativeCompare [runs]} (default 5; needs python3 and node on the PATH).
 */
public final class NativeCompare {
    private NativeCompare() {}

    record Program(String name, Language language, String body) {}

    static final List<Program> PROGRAMS =
            List.of(
                    new Program(
                            "fib(24) recursive",
                            Language.PYTHON,
                            "def fib(n):\n    return n if n < 2 else fib(n-1) + fib(n-2)\nfib(24)"),
                    new Program(
                            "loop sum 10^6",
                            Language.PYTHON,
                            "s = 0\nfor i in range(1000000):\n    s += i * i % 7"),
                    new Program(
                            "sort 200k floats",
                            Language.PYTHON,
                            "import random\nrandom.seed(1)\nsorted(random.random() for _ in range(200000))"),
                    new Program(
                            "fib(27) recursive",
                            Language.JAVASCRIPT,
                            "function fib(n){return n<2?n:fib(n-1)+fib(n-2)} fib(27);"),
                    new Program(
                            "loop sum 10^7",
                            Language.JAVASCRIPT,
                            "let s=0; for(let i=0;i<10000000;i++){s+=i*i%7}"),
                    new Program(
                            "sort 200k floats",
                            Language.JAVASCRIPT,
                            "const a=[]; let x=1; for(let i=0;i<200000;i++){x=(x*16807)%2147483647; a.push(x/2147483647)} a.sort((p,q)=>p-q);"));

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String only = args.length > 1 ? args[1] : null; // a language id: run only its programs
        System.out.printf(
                Locale.ROOT,
                "Sandbox vs native compute, %d alternating runs each; %d CPUs, load average %.1f%n",
                runs,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Policy policy =
                Policy.builder()
                        .limits(Limits.builder().timeout(Duration.ofMinutes(5)).build())
                        .build();
        try (CodeInterpreter ci = CodeInterpreter.create()) {
            for (Program p : PROGRAMS) {
                if (only != null && !p.language().id().equals(only)) {
                    continue;
                }
                String timed = timed(p);
                double[] sandbox = new double[runs];
                double[] nativ = new double[runs];
                sandbox(ci, p, timed, policy); // warm-up
                for (int i = 0; i < runs; i++) {
                    sandbox[i] = sandbox(ci, p, timed, policy);
                    nativ[i] = nativeRun(p, timed);
                }
                double s = median(sandbox);
                double n = median(nativ);
                System.out.printf(
                        Locale.ROOT,
                        "%-10s %-20s sandbox %9.1f ms  native %8.1f ms  ratio %6.1f%n",
                        p.language().id(),
                        p.name(),
                        s,
                        n,
                        s / n);
            }
        }
    }

    static String timed(Program p) {
        if (p.language() == Language.PYTHON) {
            return "import time\n_t0 = time.perf_counter()\n"
                    + p.body()
                    + "\nprint((time.perf_counter() - _t0) * 1000)";
        }
        return "const _t0 = Date.now();\n" + p.body() + "\nconsole.log(Date.now() - _t0);";
    }

    static double sandbox(CodeInterpreter ci, Program p, String code, Policy policy) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Execution e = ci.run(p.language(), code, policy, Stdio.of(out, err));
        if (!e.outcome().isOk()) {
            throw new IllegalStateException(
                    p.name()
                            + ": "
                            + e.outcome().message()
                            + " "
                            + err.toString(StandardCharsets.UTF_8));
        }
        return Double.parseDouble(out.toString(StandardCharsets.UTF_8).strip());
    }

    static double nativeRun(Program p, String code) throws Exception {
        List<String> cmd =
                p.language() == Language.PYTHON
                        ? List.of("python3", "-c", code)
                        : List.of("node", "-e", code);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (proc.waitFor() != 0) {
            throw new IllegalStateException(p.name() + " natively: " + out);
        }
        return Double.parseDouble(out.strip());
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
