package dev.airlock.cli;

import dev.airlock.core.Stdio;
import dev.airlock.core.engine.module.JitTuning;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code airlock cds-training [run|py|js]...} (hidden): runs a small WASI module, a Python snippet
 * and a JavaScript snippet (or only the commands named), each recorded into a throw-away data
 * folder, so that one JVM loads the classes those commands need. The {@code ./airlock} launcher
 * runs it on a command's first use after each build, once per command, with {@code
 * -XX:DumpLoadedClassList}, dumps a static archive of those classes ({@code -Xshare:dump}, which
 * unlike a dynamic one also takes picocli's Java 5 classes) and starts that command from its own
 * class-data-sharing archive: one archive of all three cost {@code js} starts about a tenth more
 * (their dynamic archive held CPython's compiled classes too) and {@code run} starts a few percent.
 * Prints nothing; exits 0 when all it ran ran as expected, 1 otherwise (2, picocli's usage error,
 * for a name other than the three).
 */
@Command(
        name = "cds-training",
        hidden = true,
        description = "Loads the classes of run, py and js (for a class-data-sharing archive).")
public final class CdsTrainingCommand implements Callable<Integer> {
    /** The commands a training can run. */
    enum Trained {
        run,
        py,
        js
    }

    @Parameters(arity = "0..*", description = "Commands to train (default: run, py and js).")
    private List<Trained> only = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Set<Trained> which = only.isEmpty() ? EnumSet.allOf(Trained.class) : EnumSet.copyOf(only);
        boolean ok = rehearse(Engines.perRun(), which, 1);
        writeStartDirectives(System.getProperty(DIRECTIVES_OUT));
        return ok ? 0 : 1;
    }

    /**
     * The resident process's warm-up: {@code run}, {@code py} and {@code js}, {@code rounds} times
     * each, on its {@code engines}; see {@link #rehearse}.
     */
    public static boolean rehearseAll(Engines engines, int rounds) throws IOException {
        return rehearse(engines, EnumSet.allOf(Trained.class), rounds);
    }

    /**
     * Runs a small WASI module, a Python snippet and a JavaScript snippet (those {@code which}
     * names), {@code rounds} times each, with {@code engines}, quietly and recorded into a
     * throw-away data folder. Returns whether every run exited 0.
     */
    static boolean rehearse(Engines engines, Set<Trained> which, int rounds) throws IOException {
        Path data = Files.createTempDirectory("airlock-training");
        try {
            Path hello = data.resolve("hello.wasm");
            try (InputStream in = CdsTrainingCommand.class.getResourceAsStream("hello.wasm")) {
                Files.copy(in, hello);
            }
            Invocation here = Invocation.of(data, System.getenv(), engines);
            String dir = data.resolve("data").toString();
            boolean ok = true;
            for (int i = 0; i < rounds; i++) {
                if (which.contains(Trained.run)) {
                    ok &= quietly(here, "run", "--data", dir, hello.toString(), "x") == 0;
                }
                if (which.contains(Trained.py)) {
                    ok &= quietly(here, "py", "--data", dir, "-c", "import json\nprint(1)") == 0;
                }
                if (which.contains(Trained.js)) {
                    ok &= quietly(here, "js", "--data", dir, "-c", "console.log(1)") == 0;
                }
            }
            return ok;
        } finally {
            delete(data);
        }
    }

    /**
     * A system property: where to write the compiler directives this training asked for (a file for
     * {@code -XX:CompilerDirectivesFile}, and beside it {@code FILE.covered}, the methods it covers
     * for {@value JitTuning#COVERED}); unset, or none asked for: nothing is written.
     */
    static final String DIRECTIVES_OUT = "airlock.jit.startDirectivesOut";

    private static void writeStartDirectives(String file) throws IOException {
        String json = JitTuning.startDirectives();
        if (file == null || file.isEmpty() || json == null) {
            return;
        }
        Files.writeString(Path.of(file), json + "\n", StandardCharsets.UTF_8);
        Files.writeString(
                Path.of(file + ".covered"),
                JitTuning.startCovered() + "\n",
                StandardCharsets.UTF_8);
    }

    private static int quietly(Invocation here, String... args) {
        PrintWriter none = new PrintWriter(Writer.nullWriter());
        return Main.execute(here, none, none, Stdio.discard(), args);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        }
    }
}
