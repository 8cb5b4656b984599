package dev.airlock.spark;

import dev.airlock.core.Airlock;
import dev.airlock.core.ClockMode;
import dev.airlock.core.Denial;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Stdio;
import dev.airlock.core.Usage;
import dev.airlock.core.event.EventSink;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Language;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The executors' side of {@link AirlockBatch}: one shared {@link CodeInterpreter} per executor JVM
 * (and cache folder), whose warm interpreter images every row's run restores, and the mapping of a
 * row to a run and of its outcome to the result columns. A row never throws: bad input is a {@code
 * rejected} outcome, a fault of Airlock's an {@code error} one.
 */
final class RowRunner {
    private static final Map<String, CodeInterpreter> SHARED = new ConcurrentHashMap<>();

    private RowRunner() {}

    /** The language named {@code name} ({@code python}, {@code py}, {@code javascript}, ...). */
    static Language language(String name) {
        return Language.parse(name);
    }

    /** This executor's interpreter for {@code options}' cache folder, made on first use. */
    static CodeInterpreter interpreter(BatchOptions options) {
        String dir =
                options.cacheDir() != null
                        ? options.cacheDir()
                        : System.getProperty("airlock.cacheDir", "");
        return SHARED.computeIfAbsent(
                dir,
                d -> {
                    Airlock.Builder engine = Airlock.builder();
                    CodeInterpreter.Builder b = CodeInterpreter.builder();
                    if (!d.isEmpty()) {
                        engine.diskCache(Path.of(d, "modules"));
                        b.imageCache(Path.of(d, "images"));
                    }
                    return b.airlock(engine.build()).build();
                });
    }

    /** Runs {@code row} (of {@code schema}) and returns it with the result columns appended. */
    static Row run(Row row, StructType schema, BatchOptions options) {
        Object[] in = new Object[schema.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = row.get(i);
        }
        Result r;
        try {
            r = runChecked(row, schema, options);
        } catch (IllegalArgumentException e) {
            r = Result.of(Outcome.rejected("input", e.getMessage(), null));
        } catch (RuntimeException | StackOverflowError e) {
            r =
                    Result.of(
                            new Outcome(
                                    dev.airlock.core.Status.ERROR,
                                    null,
                                    "internal",
                                    "internal error: the row could not be run",
                                    Usage.NONE,
                                    List.of(),
                                    null));
        }
        return RowFactory.create(concat(in, r.columns()));
    }

    private static Result runChecked(Row row, StructType schema, BatchOptions options) {
        String lang = string(row, schema, "language");
        if ("wasm".equals(lang)) {
            return runWasm(row, schema, options);
        }
        String code = string(row, schema, "code");
        if (code == null) {
            throw new IllegalArgumentException("the row has no code");
        }
        Language language = language(lang == null ? options.language() : lang);
        String tests = string(row, schema, "tests");
        if (tests != null) {
            // the tests run after the program, in the same interpreter: they pass when it ends ok
            code = code + "\n" + tests;
        }
        Policy.Builder policy = policy(row, schema, options);
        packages(row, schema, options, language, policy);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        dev.airlock.lang.Execution e =
                interpreter(options)
                        .run(
                                language,
                                code,
                                policy.build(),
                                Stdio.of(out, err),
                                EventSink.none(),
                                files(row, schema));
        Outcome o = e.outcome();
        return new Result(
                o,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                tests == null ? null : o.status() == dev.airlock.core.Status.OK,
                e.files());
    }

    /**
     * Mounts the package folders a row names in its {@code packages} column (a list of names the
     * options offer; Python rows only).
     *
     * @throws IllegalArgumentException for an unknown or repeated name, or packages in another
     *     language's row
     */
    private static void packages(
            Row row, StructType schema, BatchOptions options, Language language, Policy.Builder p) {
        if (value(row, schema, "packages") == null) {
            return;
        }
        List<?> names = row.getList(index(schema, "packages"));
        if (names.isEmpty()) {
            return;
        }
        if (language != Language.PYTHON) {
            throw new IllegalArgumentException("packages are for python only");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Object n : names) {
            String dir = n instanceof String ? options.packages().get(n) : null;
            if (dir == null) {
                throw new IllegalArgumentException(
                        "packages: no package folder named '"
                                + n
                                + "' (there are: "
                                + (options.packages().isEmpty()
                                        ? "none"
                                        : String.join(", ", options.packages().keySet()))
                                + ")");
            }
            if (!seen.add((String) n)) {
                throw new IllegalArgumentException("packages: '" + n + "' is named twice");
            }
            p.mount(dev.airlock.lang.PythonPackages.mount(java.nio.file.Path.of(dir), (String) n));
        }
    }

    /** A row's policy: its limits (or the options'), stdin, and the options' determinism. */
    private static Policy.Builder policy(Row row, StructType schema, BatchOptions options) {
        Limits.Builder limits =
                Limits.builder()
                        .timeout(
                                Duration.ofMillis(
                                        positive(
                                                row, schema, "timeoutMs", options.timeoutMillis())))
                        .memoryBytes(positive(row, schema, "memoryBytes", options.memoryBytes()))
                        .maxOutputBytes(options.maxOutputBytes());
        long fuel = positive(row, schema, "fuel", options.fuel());
        if (fuel > 0) {
            limits.fuel(fuel);
        }
        Policy.Builder policy = Policy.builder().limits(limits.build());
        String stdin = string(row, schema, "stdin");
        if (stdin != null) {
            policy.stdin(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (options.deterministic()) {
            policy.clock(ClockMode.FROZEN).random(RandomMode.seeded(options.seed()));
        }
        return policy;
    }

    /**
     * A WASI module's row ({@code language} {@code wasm}): its {@code module} (base64, as in the
     * HTTP API, or binary) run with its {@code args} after the program name, under the row's limits
     * and stdin. Such a row has no {@code files} or {@code tests}.
     */
    private static Result runWasm(Row row, StructType schema, BatchOptions options) {
        Object m = value(row, schema, "module");
        byte[] module;
        if (m instanceof byte[] b) {
            module = b;
        } else if (m instanceof String s) {
            try {
                module = java.util.Base64.getDecoder().decode(s.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column module is not base64");
            }
        } else {
            throw new IllegalArgumentException(
                    "a wasm row needs a module (base64 string or binary column)");
        }
        if (value(row, schema, "files") != null || value(row, schema, "tests") != null) {
            throw new IllegalArgumentException("a wasm row takes no files or tests");
        }
        if (value(row, schema, "packages") != null
                && !row.getList(index(schema, "packages")).isEmpty()) {
            throw new IllegalArgumentException("packages are for python only");
        }
        Policy.Builder policy = policy(row, schema, options);
        Object a = value(row, schema, "args");
        if (a != null) {
            List<String> args = new ArrayList<>();
            for (Object x : row.getList(index(schema, "args"))) {
                if (!(x instanceof String)) {
                    throw new IllegalArgumentException("column args must be a list of strings");
                }
                args.add((String) x);
            }
            policy.args(args);
        }
        dev.airlock.core.Airlock airlock = interpreter(options).airlock();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Outcome o;
        try {
            o =
                    airlock.run(
                            airlock.load(module),
                            policy.build(),
                            Stdio.of(out, err),
                            EventSink.none());
        } catch (dev.airlock.core.ModuleRejectedException e) {
            o = Outcome.rejected(e.reason(), e.getMessage(), e.sha256());
        }
        return new Result(
                o,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                null,
                null);
    }

    /**
     * The {@code files} column (guest path to text, written under {@code /workspace} before the
     * program runs), or none.
     */
    private static Map<String, byte[]> files(Row row, StructType schema) {
        int i = index(schema, "files");
        if (i < 0 || row.isNullAt(i)) {
            return Map.of();
        }
        if (!(schema.fields()[i].dataType() instanceof org.apache.spark.sql.types.MapType)) {
            throw new IllegalArgumentException(
                    "column files must be a map of path to text or bytes");
        }
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : row.getJavaMap(i).entrySet()) {
            if (!(e.getKey() instanceof String)
                    || !(e.getValue() instanceof String || e.getValue() instanceof byte[])) {
                throw new IllegalArgumentException(
                        "column files must be a map of path to text or bytes");
            }
            files.put(
                    (String) e.getKey(),
                    e.getValue() instanceof byte[] b
                            ? b.clone()
                            : ((String) e.getValue()).getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    /** A column's string, or null when the row has no such column or a null in it. */
    private static String string(Row row, StructType schema, String column) {
        Object v = value(row, schema, column);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String)) {
            throw new IllegalArgumentException("column " + column + " must be a string");
        }
        return (String) v;
    }

    /** A column's positive number, or {@code otherwise} when absent or null. */
    private static long positive(Row row, StructType schema, String column, long otherwise) {
        Object v = value(row, schema, column);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Number) || v instanceof Double || v instanceof Float) {
            throw new IllegalArgumentException("column " + column + " must be a whole number");
        }
        long n = ((Number) v).longValue();
        if (n <= 0) {
            throw new IllegalArgumentException("column " + column + " must be positive: " + n);
        }
        return n;
    }

    private static Object value(Row row, StructType schema, String column) {
        int i = index(schema, column);
        return i < 0 || row.isNullAt(i) ? null : row.get(i);
    }

    private static int index(StructType schema, String column) {
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(column)) {
                return i;
            }
        }
        return -1;
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] c = new Object[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A run's outcome and output, as the result columns ({@link AirlockBatch#RESULT}). */
    private record Result(
            Outcome outcome,
            String stdout,
            String stderr,
            Boolean passed,
            Map<String, byte[]> changed) {
        static Result of(Outcome o) {
            return new Result(o, "", "", null, null);
        }

        Object[] columns() {
            Usage u = outcome.usage();
            List<String> denials = new ArrayList<>();
            for (Denial d : outcome.denials()) {
                denials.add(d.call() + ": " + d.rule());
            }
            return new Object[] {
                outcome.status().id(),
                outcome.exitCode(),
                outcome.kind(),
                outcome.message(),
                stdout,
                stderr,
                u.wallMillis(),
                u.memoryPeakBytes(),
                u.fuel() < 0 ? null : u.fuel(),
                u.hostCalls(),
                denials.toArray(new String[0]),
                passed,
                changed == null
                        ? null
                        : scala.jdk.javaapi.CollectionConverters.asScala(
                                new java.util.TreeMap<>(changed))
            };
        }
    }
}
