package dev.airlock.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code airlock batch}'s progress on standard error: a bar redrawn in place while rows finish
 * (when shown), then one summary line with the count of each status.
 */
final class BatchProgress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final long total;
    private final boolean bar;
    private final long started = System.nanoTime();
    private final Map<String, Long> statuses = new TreeMap<>();
    private long done;
    private long lastDrawn;

    BatchProgress(PrintWriter err, long total, boolean bar) {
        this.err = err;
        this.total = total;
        this.bar = bar;
    }

    /** A row finished with {@code status}. */
    void row(String status) {
        done++;
        statuses.merge(status, 1L, Long::sum);
        long now = System.nanoTime();
        if (bar && (now - lastDrawn > 200_000_000L || done == total)) {
            lastDrawn = now;
            int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
            err.print(
                    "\rairlock: batch: ["
                            + "#".repeat(filled)
                            + " ".repeat(WIDTH - filled)
                            + "] "
                            + done
                            + "/"
                            + total
                            + " "
                            + counts());
            err.flush();
        }
    }

    /** The summary line, after the last row. */
    void done(String where) {
        if (bar && done > 0) {
            err.println();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        err.println(
                "airlock: batch: "
                        + done
                        + (done == 1 ? " row" : " rows")
                        + String.format(java.util.Locale.ROOT, " in %.1f s", seconds)
                        + (done == 0 ? "" : ": " + counts())
                        + " -> "
                        + where);
        err.flush();
    }

    private String counts() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : statuses.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(e.getValue());
        }
        return b.toString();
    }
}
