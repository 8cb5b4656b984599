package dev.airlock.server.observe;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action once when an asynchronous request ends, however it ends (completed, timed out or
 * failed), and follows the request into a restarted asynchronous cycle.
 */
public final class AsyncEnd implements AsyncListener {
    private final Runnable action;
    private final AtomicBoolean once = new AtomicBoolean();

    /** Runs {@code action} at the end, once. */
    public AsyncEnd(Runnable action) {
        this.action = action;
    }

    private void end() {
        if (once.compareAndSet(false, true)) {
            action.run();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end();
    }

    @Override
    public void onError(AsyncEvent event) {
        end();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this);
    }
}
