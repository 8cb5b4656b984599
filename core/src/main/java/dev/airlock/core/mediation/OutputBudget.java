package dev.airlock.core.mediation;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Size;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The shared stdout+stderr budget of a run. {@link #stream} wraps a sink so that every byte is
 * counted; the write that crosses the cap delivers what still fits, then stops the run with {@link
 * LimitKind#OUTPUT}.
 */
public final class OutputBudget {
    private final long cap;
    private final Mediator mediator;
    private long delivered;
    private long stdoutBytes;
    private long stderrBytes;

    public OutputBudget(long cap, Mediator mediator) {
        this.cap = cap;
        this.mediator = mediator;
    }

    public long stdoutBytes() {
        return stdoutBytes;
    }

    public long stderrBytes() {
        return stderrBytes;
    }

    /** Wraps a sink as the guest's stdout (or stderr when {@code stderr} is true). */
    public OutputStream stream(OutputStream sink, boolean stderr) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (stderr) {
                    stderrBytes += len;
                } else {
                    stdoutBytes += len;
                }
                long room = cap - delivered;
                int now = (int) Math.min(room, len);
                if (now > 0) {
                    sink.write(b, off, now);
                    delivered += now;
                }
                if (now < len) {
                    sink.flush();
                    throw mediator.stopNow(
                            LimitKind.OUTPUT, "limit exceeded: output (" + Size.format(cap) + ")");
                }
            }

            @Override
            public void flush() throws IOException {
                sink.flush();
            }
        };
    }
}
