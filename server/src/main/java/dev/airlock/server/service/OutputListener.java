package dev.airlock.server.service;

/**
 * Receives a guest's output as it is written, for streaming (server-sent events). Called on the
 * guest's thread; must not block for long.
 */
public interface OutputListener {
    /** No streaming. */
    OutputListener NONE = (stream, bytes, off, len) -> {};

    /**
     * @param stream {@code stdout} or {@code stderr}
     */
    void output(String stream, byte[] bytes, int off, int len);
}
