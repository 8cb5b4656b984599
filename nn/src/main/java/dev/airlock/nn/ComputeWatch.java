package dev.airlock.nn;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops ONNX Runtime computations whose guest thread was interrupted: Airlock interrupts the
 * guest's thread when the run's timeout expires, and a thread inside native code does not notice.
 * One daemon thread polls the computations under way every 5 ms, and only while there are some.
 */
final class ComputeWatch {
    private static final long POLL_MILLIS = 5;

    private record Watched(Thread thread, OrtSession.RunOptions options) {}

    private static final Set<Watched> RUNNING = ConcurrentHashMap.newKeySet();
    private static Thread poller;

    private ComputeWatch() {}

    /** Watches a computation on the current thread; close the handle when it is done. */
    static AutoCloseable watch(OrtSession.RunOptions options) {
        Watched w = new Watched(Thread.currentThread(), options);
        RUNNING.add(w);
        ensurePoller();
        return () -> RUNNING.remove(w);
    }

    private static synchronized void ensurePoller() {
        if (poller != null && poller.isAlive()) {
            notifyPoller();
            return;
        }
        poller = new Thread(ComputeWatch::poll, "airlock-nn-watch");
        poller.setDaemon(true);
        poller.start();
    }

    private static void notifyPoller() {
        synchronized (RUNNING) {
            RUNNING.notifyAll();
        }
    }

    private static void poll() {
        while (true) {
            try {
                synchronized (RUNNING) {
                    if (RUNNING.isEmpty()) {
                        RUNNING.wait(1000);
                    } else {
                        RUNNING.wait(POLL_MILLIS);
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            for (Watched w : RUNNING) {
                if (w.thread.isInterrupted()) {
                    try {
                        w.options.setTerminate(true);
                    } catch (OrtException | RuntimeException e) {
                        // the computation ends by itself
                    }
                }
            }
        }
    }
}
