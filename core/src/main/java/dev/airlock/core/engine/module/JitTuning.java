package dev.airlock.core.engine.module;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Lets HotSpot's C2 compiler finish the largest compiled guest functions. An interpreter's dispatch
 * loop stays a large JVM method even after {@linkplain dev.airlock.core.split.Splitter splitting}
 * (every case a call), and C2 gives up on it at its default node limit ("out of nodes"), after
 * which the method runs in the JVM's bytecode interpreter for good: JavaScript compute ran about
 * ten times slower than with the limit raised for guest functions only.
 *
 * <p>Once per JVM, on the first compiled module of at least {@value #MIN_MODULE_BYTES} bytes, a
 * compiler directive raising {@code MaxNodeLimit} for the generated guest functions ({@code
 * com/dylibso/chicory/$gen/*.func_*}) is added through the JVM's diagnostic command bean, on a
 * daemon thread; other methods keep the defaults. Best effort: a JVM without the command (not
 * HotSpot) is left as it is.
 *
 * <p>On by default with a limit of {@value #DEFAULT_LIMIT}; the system property {@code
 * airlock.jit.maxNodeLimit} sets another limit, and a value of 80,000 or less (C2's own default)
 * turns the directive off. {@code airlock.jit.tuned=true} skips the directive when the JVM was
 * started with the same setting ({@code -XX:CompileCommand=MaxNodeLimit,...}). Compiled frames of
 * these functions are larger than interpreted ones (C1's most of all, about three times): the
 * default guest stack ({@link dev.airlock.core.Limits}) is sized for CPython's deepest recursion
 * through C under either compiler. The directive costs about 0.25 s of CPU once (the platform bean
 * server), off the calling thread.
 *
 * <p>Each compiled module's functions of at least {@link #c1Limit()} bytes of bytecode also get a
 * directive that keeps C1 away from them ({@link #excludeFromC1}).
 *
 * <p>A JVM can also start with these directives ({@link #startDirectives}, given to {@code
 * -XX:CompilerDirectivesFile}): with {@code airlock.jit.tuned=true} and the methods it covers in
 * {@value #COVERED}, nothing is added at run time and the bean server is never started (the {@code
 * ./airlock} launcher does this for {@code py} and {@code js}: a tenth of a cold {@code py}'s CPU).
 */
public final class JitTuning {
    /** The node limit measured for generated guest functions (C2's default: 80,000). */
    public static final int DEFAULT_LIMIT = 400_000;

    /** C2's own node limit ({@code MaxNodeLimit}): a limit at or below it needs no directive. */
    private static final int C2_NODE_LIMIT = 80_000;

    /**
     * Modules smaller than this (64 KiB) cannot hold a function large enough to need the directive,
     * so loading one does not add it (a small guest's process is spared its cost).
     */
    public static final long MIN_MODULE_BYTES = 64L << 10;

    /** The methods the directive applies to: Chicory's generated guest functions. */
    static final String MATCH = "com/dylibso/chicory/$gen/*.func_*";

    /**
     * Bytecode size from which a generated guest function is kept away from C1 when no other is
     * configured (the JVM's own {@code HugeMethodLimit}).
     */
    public static final int DEFAULT_C1_LIMIT = 8000;

    /**
     * Smallest function size the module cache records (so that a lower {@code airlock.jit.c1Limit}
     * set later still finds its functions in entries compiled before).
     */
    static final int RECORD_FLOOR = 4000;

    /** Directives this class adds per JVM at most (HotSpot's stack holds 50 by default). */
    static final int MAX_DIRECTIVES = 30;

    /**
     * A system property: the methods ({@code package/Class.func_N}, separated by commas) that the
     * JVM was started keeping away from C1; they are not named again. Unset: none.
     */
    public static final String COVERED = "airlock.jit.covered";

    private static final AtomicBoolean APPLIED = new AtomicBoolean();
    private static final AtomicInteger ADDED = new AtomicInteger();
    private static final Set<String> EXCLUDED = ConcurrentHashMap.newKeySet();
    private static final Set<String> STARTED_WITH = covered(System.getProperty(COVERED));

    /** One daemon thread adds the directives, in the order they were asked for. */
    private static final ExecutorService WORKER =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "airlock-jit-tuning");
                        t.setDaemon(true);
                        return t;
                    });

    private JitTuning() {}

    /** Adds the node-limit directive once per JVM, in the background; returns at once. */
    public static void ensure() {
        if (APPLIED.get() || !APPLIED.compareAndSet(false, true)) {
            return;
        }
        int limit = nodeLimit();
        if (limit <= C2_NODE_LIMIT || Boolean.getBoolean("airlock.jit.tuned")) {
            return;
        }
        ADDED.incrementAndGet();
        WORKER.execute(() -> addDirective(directive(limit)));
    }

    /**
     * The size from which guest functions are kept away from C1: the system property {@code
     * airlock.jit.c1Limit} (bytes of JVM bytecode; 0 or less turns it off), else {@value
     * #DEFAULT_C1_LIMIT}.
     */
    static int c1Limit() {
        return Integer.getInteger("airlock.jit.c1Limit", DEFAULT_C1_LIMIT);
    }

    private static int nodeLimit() {
        return Integer.getInteger("airlock.jit.maxNodeLimit", DEFAULT_LIMIT);
    }

    /**
     * Keeps HotSpot's C1 from compiling the guest functions of {@code sizes} (method, as {@code
     * package/Class.func_N}, to its bytecode size) that are at least {@link #c1Limit()} bytes, so
     * that they go from the bytecode interpreter, which profiles them, straight to C2.
     *
     * <p>Why: C1 can compile such a function, an interpreter's dispatch loop, only at its level
     * without profiling (its profiling level gives up, "out of virtual registers"). When HotSpot
     * picks that level (it does when C2's queue is long), the function never gathers the profile C2
     * needs for a normal compile, and each call enters the C1 code, counts its loop up and leaves
     * it for C2's on-stack-replacement code through a deoptimisation. QuickJS enters its dispatch
     * function on every JavaScript call: in the JVMs where this happened, JavaScript compute ran
     * about 1.8 times slower than in the others, and with the directive it no longer happens
     * (bench/README). Functions of other modules never match: each module's classes have a name of
     * their own.
     *
     * <p>Best effort, in the background: at most {@value #MAX_DIRECTIVES} directives per JVM, a
     * method already named is not named again, and a JVM without the command is left as it is.
     */
    static void excludeFromC1(Map<String, Integer> sizes) {
        int min = c1Limit();
        if (min <= 0 || sizes.isEmpty()) {
            return;
        }
        List<String> fresh = fresh(sizes, min, STARTED_WITH, EXCLUDED);
        if (fresh.isEmpty()) {
            return;
        }
        ensure(); // the general directive first: this one goes above it
        if (ADDED.incrementAndGet() > MAX_DIRECTIVES) {
            return;
        }
        int limit = nodeLimit();
        WORKER.execute(() -> addDirective(c1Directive(fresh, limit)));
    }

    /**
     * The methods of {@code sizes} of at least {@code min} bytes that neither the JVM's start
     * ({@code startedWith}) nor an earlier call ({@code excluded}, to which they are added) named.
     */
    static List<String> fresh(
            Map<String, Integer> sizes, int min, Set<String> startedWith, Set<String> excluded) {
        List<String> fresh = new ArrayList<>();
        sizes.forEach(
                (m, size) -> {
                    if (size >= min && !startedWith.contains(m) && excluded.add(m)) {
                        fresh.add(m);
                    }
                });
        return fresh;
    }

    /** The methods named in {@code list} (as {@value #COVERED} holds them). */
    static Set<String> covered(String list) {
        Set<String> out = new HashSet<>();
        if (list != null) {
            for (String m : list.split(",")) {
                if (!m.isBlank()) {
                    out.add(m.trim());
                }
            }
        }
        return Set.copyOf(out);
    }

    /**
     * The directives this JVM has asked for so far, as the JSON text of a file for {@code
     * -XX:CompilerDirectivesFile} (the C1 exclusions first, then the node limit), or {@code null}
     * when it asked for none; with it, {@link #startCovered} for {@value #COVERED}.
     */
    public static String startDirectives() {
        List<String> methods = new ArrayList<>(new TreeSet<>(EXCLUDED));
        if (methods.isEmpty()) {
            return null;
        }
        int limit = nodeLimit();
        return limit <= C2_NODE_LIMIT
                ? array(c1Object(methods, limit))
                : array(c1Object(methods, limit), nodeLimitObject(limit));
    }

    /** The methods {@link #startDirectives} keeps away from C1, separated by commas. */
    public static String startCovered() {
        return String.join(",", new TreeSet<>(EXCLUDED));
    }

    /** The node-limit directive's JSON text. */
    static String directive(int limit) {
        return array(nodeLimitObject(limit));
    }

    /** The JSON text of a directive that excludes {@code methods} from C1. */
    static String c1Directive(List<String> methods, int limit) {
        return array(c1Object(methods, limit));
    }

    /** A directives file's JSON text: {@code objects} in order. */
    private static String array(String... objects) {
        return "[" + String.join(", ", objects) + "]";
    }

    /** The directive object that raises C2's node limit for the generated guest functions. */
    private static String nodeLimitObject(int limit) {
        return "{ match: \"" + MATCH + "\", c2: { MaxNodeLimit: " + limit + " } }";
    }

    /** The directive object that excludes {@code methods} from C1 (and raises C2's limit). */
    private static String c1Object(List<String> methods, int limit) {
        StringBuilder sb = new StringBuilder("{ match: [");
        for (int i = 0; i < methods.size(); i++) {
            sb.append(i == 0 ? "\"" : ", \"").append(methods.get(i)).append('"');
        }
        sb.append("], c1: { Exclude: true }");
        if (limit > C2_NODE_LIMIT) {
            sb.append(", c2: { MaxNodeLimit: ").append(limit).append(" }");
        }
        return sb.append(" }").toString();
    }

    /** Adds a directive now; whether the JVM took it. */
    static boolean addDirective(String json) {
        Path file = null;
        try {
            file = Files.createTempFile("airlock-jit-", ".json");
            Files.writeString(file, json, StandardCharsets.UTF_8);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object answer =
                    server.invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "compilerDirectivesAdd",
                            new Object[] {new String[] {file.toString()}},
                            new String[] {String[].class.getName()});
            return String.valueOf(answer)
                    .matches("(?s).*\\b[1-9][0-9]* compiler directives added.*");
        } catch (Exception | LinkageError e) {
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Exception e) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }
}
