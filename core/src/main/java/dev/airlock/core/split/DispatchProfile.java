package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * How often each value of a big {@code switch} was taken, per function: the hint {@link Regroup}
 * uses to keep a dispatch loop's hot cases in the function, where a dispatch to them stays a
 * branch. A profile is only a hint: any choice of kept cases gives the same results and fuel, so a
 * profile taken on another module costs speed, never correctness.
 *
 * <p>Text, one line per switch: {@code func N values LEN default D counts C0 C1 ...}, {@code N} the
 * function's index (imports included), {@code LEN} the switch's values (its table less the
 * default), then how often the default and each value was taken; lines of one switch add up, other
 * lines are skipped. {@code bench/tools/dispatch-profile/profile.sh} makes one from HotSpot's
 * {@code -XX:+PrintMethodData}. A module may carry its profile in a custom section named {@value
 * #SECTION} ({@code bench/tools/dispatch-profile/section.py} puts one in); for measurements, the
 * system property {@code airlock.split.profile} names a file whose profile every module uses
 * instead, or is {@code none} for no profile at all. The interpreter images carry none: a profile
 * taken on other programs than the measured ones did not make them faster (bench/README, session
 * 44).
 */
final class DispatchProfile {
    /** The custom section a module carries its profile in. */
    static final String SECTION = "airlock.dispatch-profile";

    /** A section or file larger than this is not read. */
    static final int MAX_BYTES = 1 << 20;

    /** None. */
    static final DispatchProfile NONE = new DispatchProfile(Map.of(), "");

    private static final DispatchProfile OVERRIDE = override();

    private final Map<Long, long[]> counts;
    private final String description;

    private DispatchProfile(Map<Long, long[]> counts, String description) {
        this.counts = counts;
        this.description = description;
    }

    /**
     * The profile the file named by {@code airlock.split.profile} holds ({@code none}: no profile,
     * modules' own ignored too), or null when none is named or the file holds none (unreadable, too
     * large, no line of a switch).
     */
    private static DispatchProfile override() {
        String file = System.getProperty("airlock.split.profile", "").trim();
        if (file.isEmpty()) {
            return null;
        }
        if (file.equals("none")) {
            return new DispatchProfile(Map.of(), "/noprofile");
        }
        try {
            Path p = Path.of(file);
            if (Files.size(p) > MAX_BYTES) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(p);
            CRC32 crc = new CRC32();
            crc.update(bytes);
            DispatchProfile d = parse(bytes, 0, bytes.length);
            return d.isEmpty()
                    ? null
                    : new DispatchProfile(d.counts, "/profile" + Long.toHexString(crc.getValue()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The profile a module's custom section holds ({@code bytes} from {@code from} to {@code to}):
     * unless {@code airlock.split.profile} names one to use instead.
     */
    static DispatchProfile of(byte[] bytes, int from, int to) {
        return OVERRIDE != null ? OVERRIDE : parse(bytes, from, to);
    }

    /** The profile {@code airlock.split.profile} names, else none (for modules without one). */
    static DispatchProfile fallback() {
        return OVERRIDE != null ? OVERRIDE : NONE;
    }

    /**
     * The profile of a custom section whose name {@code p} is at, ending at {@code end}, if it is a
     * profile section; else {@code otherwise}.
     *
     * @throws IllegalArgumentException if the section's name overruns it
     */
    static DispatchProfile fromSection(
            byte[] module, ByteReader p, int end, DispatchProfile otherwise) {
        int len = p.count();
        if (len < 0 || len > end - p.pos()) {
            throw new IllegalArgumentException("malformed custom section");
        }
        String name = new String(module, p.pos(), len, StandardCharsets.UTF_8);
        return name.equals(SECTION) ? of(module, p.pos() + len, end) : otherwise;
    }

    /** Reads a profile leniently: malformed lines are skipped, a text too large gives none. */
    static DispatchProfile parse(byte[] bytes, int from, int to) {
        if (to - from > MAX_BYTES || to < from) {
            return NONE;
        }
        Map<Long, long[]> m = new HashMap<>();
        for (String line : new String(bytes, from, to - from, StandardCharsets.UTF_8).split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 7
                    || !w[0].equals("func")
                    || !w[2].equals("values")
                    || !w[4].equals("default")
                    || !w[6].equals("counts")) {
                continue;
            }
            try {
                int func = Integer.parseInt(w[1]);
                int values = Integer.parseInt(w[3]);
                if (func < 0 || values <= 0 || w.length != 7 + values) {
                    continue;
                }
                long[] c = new long[values + 1];
                for (int v = 0; v < values; v++) {
                    c[v] = count(w[7 + v]);
                }
                c[values] = count(w[5]);
                long[] sum = m.computeIfAbsent(key(func, values), k -> new long[values + 1]);
                for (int v = 0; v <= values; v++) {
                    sum[v] = Math.min(Long.MAX_VALUE / 2, sum[v] + c[v]);
                }
            } catch (NumberFormatException e) {
                // a malformed line
            }
        }
        return m.isEmpty() ? NONE : new DispatchProfile(m, "");
    }

    private static long count(String s) {
        long c = Long.parseLong(s);
        if (c < 0) {
            throw new NumberFormatException("negative");
        }
        return Math.min(c, Long.MAX_VALUE / 4);
    }

    private static long key(int func, int values) {
        return ((long) func << 32) | values;
    }

    /**
     * The counts of function {@code func}'s switch over {@code values} values (its table's length
     * less the default), the default's count last; null if there is no profile of it.
     */
    long[] counts(int func, int values) {
        return counts.get(key(func, values));
    }

    /** Whether this profile has any switch. */
    boolean isEmpty() {
        return counts.isEmpty();
    }

    /** A profile from {@code airlock.split.profile} as cache keys name it: empty otherwise. */
    static String describe() {
        return OVERRIDE == null ? "" : OVERRIDE.description;
    }
}
