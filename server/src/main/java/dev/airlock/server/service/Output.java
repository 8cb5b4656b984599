package dev.airlock.server.service;

import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A run's stdout and stderr, kept in memory (the sandbox delivers at most the output cap) and
 * passed to a listener as they come.
 */
final class Output {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Stdio stdio;

    Output(OutputListener listener) {
        this.stdio = Stdio.of(new Tee(out, "stdout", listener), new Tee(err, "stderr", listener));
    }

    Stdio stdio() {
        return stdio;
    }

    String stdout() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    private static final class Tee extends OutputStream {
        private final ByteArrayOutputStream buffer;
        private final String name;
        private final OutputListener listener;

        Tee(ByteArrayOutputStream buffer, String name, OutputListener listener) {
            this.buffer = buffer;
            this.name = name;
            this.listener = listener;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (buffer) {
                buffer.write(b, off, len);
            }
            listener.output(name, b, off, len);
        }
    }
}
