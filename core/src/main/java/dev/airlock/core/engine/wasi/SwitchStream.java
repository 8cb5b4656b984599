package dev.airlock.core.engine.wasi;

import java.io.IOException;
import java.io.OutputStream;

/** An output stream whose target a long-lived instance switches call by call. */
public final class SwitchStream extends OutputStream {
    private OutputStream target = OutputStream.nullOutputStream();

    public void target(OutputStream target) {
        this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
        target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }
}
