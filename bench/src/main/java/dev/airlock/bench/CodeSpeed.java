package dev.airlock.bench;

import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Execution;
import dev.airlock.lang.Language;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * {@code --python}, {@code --javascript}: compute programs against python3, native QuickJS and
 * Node.
 */
final class CodeSpeed extends SpeedBase {
    CodeSpeed(SpeedBase settings) {
        super(settings);
    }

    // ---------------------------------------------------------------- python, javascript

    /** The policy the compute programs run under: 5 minutes, 1 GiB (MixedRuns uses it too). */
    static Policy computePolicy() {
        return Policy.builder()
                .limits(
                        Limits.builder()
                                .timeout(Duration.ofMinutes(5))
                                .memoryBytes(1L << 30)
                                .build())
                .build();
    }

    void compute(Language language) throws IOException {
        compute(language, language == Language.PYTHON ? "python" : "javascript");
    }

    /** The programs of {@code bench/programs/DIR} in {@code language}, as {@link #compute}. */
    void compute(Language language, String dir) throws IOException {
        boolean py = language == Language.PYTHON;
        List<Path> progs = programs(dir, py ? ".py" : ".js");
        System.out.printf(
                Locale.ROOT,
                "%n%s compute: %d program(s) of bench/programs/%s, each timing its own compute"
                        + " (start-up excluded); Airlock in this JVM after %d warm-up run(s)%n",
                py ? "Python" : "JavaScript",
                progs.size(),
                dir,
                warmup);
        SpeedTable table =
                new SpeedTable(
                        py
                                ? "Python compute (ms), Airlock / native python3"
                                : "JavaScript compute (ms), Airlock / native QuickJS (qjs), / Node and / Airlock's"
                                        + " QuickJS module under V8",
                        "ms");
        Policy policy = computePolicy();
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
                double[] r3 = new double[iterations];
                String ref1 = py ? python3 : qjs;
                String ref2 = py ? null : node;
                for (int i = 0; i < iterations; i++) {
                    a[i] = inSandbox(ci, language, code, policy, notes);
                    r1[i] = ref1 == null ? Double.NaN : nativeMedianMs(ref1, p, notes);
                    r2[i] = ref2 == null ? Double.NaN : nativeMedianMs(ref2, p, notes);
                    r3[i] = ref2 == null ? Double.NaN : moduleUnderV8Ms(p, notes);
                }
                if (py) {
                    refs.put("python3", python3 == null ? null : r1);
                } else {
                    refs.put("qjs", qjs == null ? null : r1);
                    refs.put("Node", node == null ? null : r2);
                    refs.put("V8 module", node == null ? null : r3);
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
                                : ", node "
                                        + SpeedTable.fmt(SpeedTable.median(r2))
                                        + " ms, Airlock's module under V8 "
                                        + SpeedTable.fmt(SpeedTable.median(r3))
                                        + " ms");
            }
        }
        table.print(System.out);
    }

    double inSandbox(
            CodeInterpreter ci, Language language, String code, Policy policy, List<String> notes) {
        return runOnce(
                ci,
                language,
                code,
                policy,
                why -> {
                    fail();
                    notes.add(why);
                });
    }

    /**
     * One run of {@code code} in {@code ci}: the program's own {@code ms=}, or NaN after telling
     * {@code failed} why (a failed run, or no {@code ms=} printed). MixedRuns uses it too.
     */
    static double runOnce(
            CodeInterpreter ci,
            Language language,
            String code,
            Policy policy,
            Consumer<String> failed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Execution e = ci.run(language, code, policy, Stdio.of(out, err));
        String o = out.toString(StandardCharsets.UTF_8);
        Matcher m = MS.matcher(o);
        if (!e.outcome().isOk() || !m.find()) {
            failed.accept(
                    "Airlock FAILED: "
                            + e.outcome().message()
                            + " "
                            + abbreviate(o + err.toString(StandardCharsets.UTF_8)));
            return Double.NaN;
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * Airlock's own QuickJS module run by Node's V8 ({@code bench/tools/quickjs-v8-run.mjs}), as
     * many times as Airlock's warm-up plus one in one fresh process: the last run's ms, so that V8,
     * like Airlock, is measured once it has compiled the module's hot code.
     */
    double moduleUnderV8Ms(Path program, List<String> notes) {
        String script = root.resolve("bench/tools/quickjs-v8-run.mjs").toString();
        String runs = String.valueOf(warmup + 1);
        ProcResult r = plain(List.of(node, script, program.toString(), runs));
        Matcher m = MS.matcher(r.out());
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        if (r.exit() != 0 || Double.isNaN(last)) {
            notes.add("V8 module failed: exit " + r.exit() + " " + abbreviate(r.out() + r.err()));
            return Double.NaN;
        }
        return last;
    }

    /** The median of {@link #refRuns} fresh processes of {@link #nativeMs}. */
    double nativeMedianMs(String bin, Path program, List<String> notes) {
        double[] ms = new double[refRuns];
        for (int k = 0; k < refRuns; k++) {
            ms[k] = nativeMs(bin, program, notes);
        }
        return SpeedTable.median(ms);
    }

    double nativeMs(String bin, Path program, List<String> notes) {
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
}
