package dev.airlock.core;

/**
 * A policy denial the guest met.
 *
 * @param call the host function, such as {@code wasi_snapshot_preview1.sock_accept}
 * @param rule the rule that denied it, such as {@code net.sockets}
 * @param detail a short human-readable explanation
 */
public record Denial(String call, String rule, String detail) {}
