package dev.airlock.core.engine.wasi;

import dev.airlock.core.Policy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The guest's stdin for one run: the policy's bytes, or its stdin file, opened when the guest first
 * reads and read only as far as the guest reads, ending after the policy's cap.
 */
public final class StdinStream extends InputStream {
    private final Path file;
    private long left;
    private InputStream in;

    private StdinStream(Path file, InputStream in, long maxBytes) {
        this.file = file;
        this.in = in;
        this.left = maxBytes;
    }

    /** A fresh stdin for a run under {@code policy}; the caller closes it. */
    public static StdinStream open(Policy policy) {
        return policy.stdinFile() == null
                ? new StdinStream(null, new ByteArrayInputStream(policy.stdin()), Long.MAX_VALUE)
                : new StdinStream(policy.stdinFile(), null, policy.stdinMaxBytes());
    }

    private InputStream in() throws IOException {
        if (in == null) {
            in = Files.newInputStream(file);
        }
        return in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (left <= 0) {
            return -1;
        }
        int n = in().read(b, off, (int) Math.min(len, left));
        if (n > 0) {
            left -= n;
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return left <= 0 ? 0 : (int) Math.min(in().available(), left);
    }

    @Override
    public void close() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // a read-only stream: nothing is lost
            }
        }
    }
}
