package dev.airlock.bench;

import dev.airlock.core.Policy;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Language;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an agent's server sees: different programs one after the other in one warm interpreter, each
 * run a few times, not one program run until HotSpot has settled. Runs every program of {@code
 * bench/programs/python} or {@code bench/programs/javascript} (or both) in turn, {@code --runs}
 * times each, then each once more (a return visit, after the others): the interpreter's hot code
 * was compiled for other programs in between, and each new path a program takes can send it back to
 * the JVM's interpreter until it is compiled again (bench/README, session 42). Prints each run
 * (each program's own {@code ms=}, named {@code PROGRAM#VISIT.RUN}) and the total of all runs;
 * every program checks its own result, and a failed run makes the exit status 1.
 *
 * <pre>
 * java -Xss16m -XX:-DontCompileHugeMethods -cp bench/target/benchmarks.jar \
 *     dev.airlock.bench.MixedRuns [--language python|javascript|both] [--runs N]
 * </pre>
 *
 * <p>Defaults: both languages (JavaScript first), 2 runs per first visit. The lines {@code NAME
 * each run (ms): [...]} are what {@link AbCompare} reads with {@code --main MixedRuns}, which
 * compares set-ups run after run.
 */
public final class MixedRuns {
    private MixedRuns() {}

    public static void main(String[] args) throws IOException {
        String language = "both";
        int runs = 2;
        try {
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException(args[args.length - 1] + " needs a value");
            }
            for (int i = 0; i < args.length; i += 2) {
                switch (args[i]) {
                    case "--language" -> language = language(args[i + 1]);
                    case "--runs" -> runs = runs(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("mixed-runs: " + e.getMessage());
            System.err.println("usage: MixedRuns [--language python|javascript|both] [--runs N]");
            System.exit(2);
        }
        List<Language> languages = new ArrayList<>();
        if (!language.equals("python")) {
            languages.add(Language.JAVASCRIPT);
        }
        if (!language.equals("javascript")) {
            languages.add(Language.PYTHON);
        }
        Policy policy = CodeSpeed.computePolicy();
        double total = 0;
        boolean ok = true;
        try (CodeInterpreter ci = CodeInterpreter.create()) {
            for (Language l : languages) {
                boolean py = l == Language.PYTHON;
                List<Path> programs =
                        SpeedBase.programs(
                                Path.of(""),
                                py ? "python" : "javascript",
                                py ? ".py" : ".js",
                                null);
                for (int visit = 1; visit <= 2; visit++) {
                    for (Path p : programs) {
                        String code = Files.readString(p);
                        double[] ms = new double[visit == 1 ? runs : 1];
                        for (int i = 0; i < ms.length; i++) {
                            ms[i] = CodeSpeed.runOnce(ci, l, code, policy, System.err::println);
                            ok &= !Double.isNaN(ms[i]);
                            total += Double.isNaN(ms[i]) ? 0 : ms[i];
                        }
                        for (int i = 0; i < ms.length; i++) {
                            System.out.println(
                                    p.getFileName()
                                            + "#"
                                            + visit
                                            + "."
                                            + (i + 1)
                                            + " each run (ms): "
                                            + list(ms[i]));
                        }
                    }
                }
            }
        }
        System.out.println("total each run (ms): " + list(total));
        System.exit(ok ? 0 : 1);
    }

    private static int runs(String v) {
        try {
            return Math.max(1, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--runs wants a number: " + v);
        }
    }

    private static String language(String v) {
        if (!v.equals("python") && !v.equals("javascript") && !v.equals("both")) {
            throw new IllegalArgumentException("--language wants python, javascript or both: " + v);
        }
        return v;
    }

    private static String list(double ms) {
        return String.format(Locale.ROOT, "[%.1f]", ms);
    }
}
