package dev.airlock.cli.resident;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes one connection's frames, whole and in order, on a thread of its own. A socket channel is
 * closed when a thread writing to it is interrupted, and the engine interrupts a guest's thread to
 * stop it (a time limit, say) while that thread may be writing the guest's output: so no caller
 * writes to the channel itself. A caller waits for its frame to be written, without giving way to
 * interrupts (its interrupt is kept for after), as a write to a pipe would block it.
 */
final class FrameWriter implements Closeable {
    private final OutputStream socket;
    private final ExecutorService thread;

    FrameWriter(OutputStream socket, String name) {
        this.socket = socket;
        this.thread = Executors.newSingleThreadExecutor(r -> ResidentServer.daemon(name, r));
    }

    /** Sends one frame; returns once it is written. */
    void send(byte type, byte[] data, int off, int len) throws IOException {
        Future<?> f;
        try {
            f =
                    thread.submit(
                            () -> {
                                Wire.frame(socket, type, data, off, len);
                                return null;
                            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IOException("the connection is closed");
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    throw c instanceof IOException io ? io : new IOException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sends the fallback frame: the client runs the command line itself. */
    void fallback() throws IOException {
        send(Wire.FALLBACK, new byte[0], 0, 0);
    }

    /** Sends the exit frame with {@code code}, the answer's last. */
    void exit(int code) throws IOException {
        byte[] status = Wire.status(code);
        send(Wire.EXIT, status, 0, status.length);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
