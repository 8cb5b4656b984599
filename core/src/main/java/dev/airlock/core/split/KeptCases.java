package dev.airlock.core.split;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Which cases of a switch {@link Regroup} leaves in the function as units of their own, so that a
 * dispatch to them stays a branch rather than a call to a group: three groups' worth at most,
 * either the smallest (of at most 96 bytes each) or, with a {@link DispatchProfile} of the switch,
 * the most often taken (of at most 400 bytes each). Any choice gives the same results and fuel.
 */
final class KeptCases {
    private KeptCases() {}

    /** The default of {@link #MAX_KEPT}. */
    private static final int DEFAULT_KEPT = 96;

    /** The default of {@link #KEEP_FACTOR}. */
    private static final int DEFAULT_FACTOR = 3;

    /**
     * Size of a case's code at most for it to be left in the function: the system property {@code
     * airlock.split.keptCase}, else 96 (for measurements, bench/README sessions 42-43).
     */
    private static final int MAX_KEPT = Integer.getInteger("airlock.split.keptCase", DEFAULT_KEPT);

    /**
     * How many groups' worth of small cases stay in the function: the system property {@code
     * airlock.split.keepFactor}, else 3 (for measurements, bench/README sessions 42-43).
     */
    private static final int KEEP_FACTOR =
            Math.max(1, Integer.getInteger("airlock.split.keepFactor", DEFAULT_FACTOR));

    /** The default of {@link #MAX_PROFILED}. */
    private static final int DEFAULT_PROFILED = 400;

    /**
     * Size of a case's code at most for it to be left in the function when a {@link
     * DispatchProfile} names it hot: the system property {@code airlock.split.profiledCase}, else
     * 400.
     */
    private static final int MAX_PROFILED =
            Integer.getInteger("airlock.split.profiledCase", DEFAULT_PROFILED);

    /** Whether small cases stay in the function (for measurements: airlock.split.keep=false). */
    private static final boolean KEEP_IN_FUNCTION =
            !"false".equals(System.getProperty("airlock.split.keep"));

    /** The settings above as cache keys name them: empty for the defaults. */
    static String describe() {
        if (!KEEP_IN_FUNCTION) {
            return "/nokeep";
        }
        return (MAX_KEPT == DEFAULT_KEPT && KEEP_FACTOR == DEFAULT_FACTOR
                        ? ""
                        : "/keep" + KEEP_FACTOR + "x" + MAX_KEPT)
                + (MAX_PROFILED == DEFAULT_PROFILED ? "" : "/profiled" + MAX_PROFILED)
                + DispatchProfile.describe();
    }

    /** How many bytes of cases stay in the function, for groups of {@code groupBytes}. */
    static int budget(int groupBytes) {
        return KEEP_IN_FUNCTION ? groupBytes * KEEP_FACTOR : 0;
    }

    /** The cases left in the function: the smallest, {@code keep} bytes of them at most. */
    static boolean[] smallest(SwitchChain c, int cases, int keep) {
        Integer[] order = order(cases, (x, y) -> len(c, x) - len(c, y));
        boolean[] kept = new boolean[cases];
        int used = 0;
        for (int i : order) {
            if (len(c, i) > MAX_KEPT || used + len(c, i) > keep) {
                break;
            }
            kept[i] = true;
            used += len(c, i);
        }
        return kept;
    }

    /**
     * The cases left in the function by a profile: the most often taken, {@code keep} bytes of them
     * at most.
     */
    static boolean[] hottest(SwitchChain c, int cases, int keep, long[] counts) {
        long[] hot = new long[cases];
        int[] table = c.table();
        for (int v = 0; v < table.length; v++) {
            if (table[v] < cases) {
                hot[table[v]] += counts[v];
            }
        }
        Integer[] order = order(cases, (x, y) -> Long.compare(hot[y], hot[x]));
        boolean[] kept = new boolean[cases];
        int used = 0;
        for (int i : order) {
            if (hot[i] == 0) {
                break;
            }
            if (len(c, i) <= MAX_PROFILED && used + len(c, i) <= keep) {
                kept[i] = true;
                used += len(c, i);
            }
        }
        return kept;
    }

    /** The cases 0 to {@code cases - 1}, sorted by {@code by} (stable: ties keep their order). */
    private static Integer[] order(int cases, Comparator<Integer> by) {
        Integer[] order = new Integer[cases];
        for (int i = 0; i < cases; i++) {
            order[i] = i;
        }
        Arrays.sort(order, by);
        return order;
    }

    static int len(SwitchChain c, int i) {
        return c.ends()[i + 1] - c.ends()[i];
    }
}
