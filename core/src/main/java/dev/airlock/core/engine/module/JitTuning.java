package dev.airlock.core.engine.module;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
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
 */
public final class JitTuning {
    /** The node limit measured for generated guest functions (C2's default: 80,000). */
    public static final int DEFAULT_LIMIT = 400_000;

    /**
     * Modules smaller than this (64 KiB) cannot hold a function large enough to need the directive,
     * so loading one does not add it (a small guest's process is spared its cost).
     */
    public static final long MIN_MODULE_BYTES = 64L << 10;

    /** The methods the directive applies to: Chicory's generated guest functions. */
    static final String MATCH = "com/dylibso/chicory/$gen/*.func_*";

    private static final AtomicBoolean APPLIED = new AtomicBoolean();

    private JitTuning() {}

    /** Adds the directive once per JVM, in the background; returns at once. */
    public static void ensure() {
        if (APPLIED.get() || !APPLIED.compareAndSet(false, true)) {
            return;
        }
        int limit = Integer.getInteger("airlock.jit.maxNodeLimit", DEFAULT_LIMIT);
        if (limit <= 80_000 || Boolean.getBoolean("airlock.jit.tuned")) {
            return;
        }
        Thread t = new Thread(() -> addDirective(limit), "airlock-jit-tuning");
        t.setDaemon(true);
        t.start();
    }

    /** The directive's JSON text. */
    static String directive(int limit) {
        return "[{ match: \"" + MATCH + "\", c2: { MaxNodeLimit: " + limit + " } }]";
    }

    /** Adds the directive now; whether the JVM took it. */
    static boolean addDirective(int limit) {
        Path file = null;
        try {
            file = Files.createTempFile("airlock-jit-", ".json");
            Files.writeString(file, directive(limit), StandardCharsets.UTF_8);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object answer =
                    server.invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "compilerDirectivesAdd",
                            new Object[] {new String[] {file.toString()}},
                            new String[] {String[].class.getName()});
            return String.valueOf(answer).contains("1 compiler directives added");
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
