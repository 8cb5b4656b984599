package dev.airlock.server.api;

/**
 * The limits a request asks for; each absent one takes the server's default, and none may exceed
 * the tenant's ceiling (400 otherwise).
 *
 * @param timeoutMs wall-clock limit of the run, in milliseconds
 * @param memoryBytes linear memory cap
 * @param maxOutputBytes stdout and stderr cap, each
 * @param fuel deterministic instruction budget ({@code wasm} only)
 */
public record RequestLimits(Long timeoutMs, Long memoryBytes, Long maxOutputBytes, Long fuel) {
    public static final RequestLimits NONE = new RequestLimits(null, null, null, null);
}
