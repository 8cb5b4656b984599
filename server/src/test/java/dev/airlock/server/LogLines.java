package dev.airlock.server;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A log's output, line by line, for tests: a request's line is written just after its response has
 * left, so a test waits for the line it expects (bounded) instead of sleeping.
 */
final class LogLines extends OutputStream {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder all = new StringBuilder();

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String line = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            all.append(line).append('\n');
            lines.add(line);
        } else {
            pending.write(b);
        }
    }

    /** The first line from now on that matches, waiting up to 20 s for it. */
    String await(Predicate<String> match) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long left = end - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no matching log line; lines seen: " + seen);
            }
            if (match.test(line)) {
                return line;
            }
            seen.add(line);
        }
    }

    /** Everything written so far. */
    synchronized String text() {
        return all.toString();
    }
}
