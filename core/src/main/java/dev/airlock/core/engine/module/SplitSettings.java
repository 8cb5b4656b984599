package dev.airlock.core.engine.module;

import dev.airlock.core.split.Splitter;
import java.util.Locale;

/** How {@link ModuleLoader} splits huge functions: system properties and their defaults. */
final class SplitSettings {
    private SplitSettings() {}

    /**
     * The split threshold when none is given: the system property {@code airlock.split} (bytes; 0
     * or {@code off} for none), else {@link Splitter#DEFAULT_THRESHOLD}.
     */
    static int threshold() {
        String p = System.getProperty("airlock.split");
        if (p == null || p.isBlank()) {
            return Splitter.DEFAULT_THRESHOLD;
        }
        if (p.equals("off")) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(p.trim()));
        } catch (NumberFormatException e) {
            return Splitter.DEFAULT_THRESHOLD;
        }
    }

    /** The piece size: the system property {@code airlock.split.region}, else the default. */
    static int region() {
        return Integer.getInteger("airlock.split.region", Splitter.DEFAULT_REGION);
    }

    /**
     * Whether switches left too big in {@code module} are regrouped (see {@link
     * Splitter#split(byte[], int, int, boolean)}): the system property {@code
     * airlock.split.regroup}, {@code true} for every module, {@code dispatch} for modules that hold
     * an interpreter's dispatch loop ({@link Splitter#hasDispatchLoop}); none by default
     * (bench/README, session 43). A module that carries a dispatch profile has its profiled
     * switches regrouped in every mode (bench/README, session 44).
     */
    static boolean regroup(byte[] module, int threshold) {
        String p = regroupProperty();
        return p.equals("true")
                || p.equals("dispatch") && Splitter.hasDispatchLoop(module, threshold);
    }

    /** The property {@code airlock.split.regroup}, trimmed and in lower case ("" if not set). */
    private static String regroupProperty() {
        return System.getProperty("airlock.split.regroup", "").trim().toLowerCase(Locale.ROOT);
    }

    /** {@link #regroup}'s setting as cache keys name it. */
    private static String regroupMode() {
        String p = regroupProperty();
        String mode =
                p.equals("true") ? "/regroup" : p.equals("dispatch") ? "/regroup-dispatch" : "";
        // the settings apply to modules that carry a dispatch profile in every mode
        return mode + Splitter.regroupSettings();
    }

    /**
     * Whether runs that leave one value on the stack are outlined too: the system property {@code
     * airlock.split.expressions=true}; off by default (see {@link Splitter#split(byte[], int, int,
     * boolean, boolean)}).
     */
    static boolean expressions() {
        return Boolean.getBoolean("airlock.split.expressions");
    }

    /**
     * The weight of a memory access beyond its bytes: the system property {@code
     * airlock.split.access} (0: by bytes alone), else {@link Splitter#DEFAULT_ACCESS_WEIGHT}.
     */
    static int access() {
        return Math.max(
                0, Integer.getInteger("airlock.split.access", Splitter.DEFAULT_ACCESS_WEIGHT));
    }

    /**
     * Splitting at {@code threshold}, as the cache keys name it: threshold, piece size, options.
     */
    static String describe(int threshold) {
        return threshold
                + "/"
                + region()
                + regroupMode()
                + (expressions() ? "/expressions" : "")
                + (access() > 0 ? "/access" + access() : "");
    }
}
