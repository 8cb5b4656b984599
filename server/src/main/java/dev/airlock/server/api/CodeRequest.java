package dev.airlock.server.api;

/**
 * {@code POST /v1/sessions/{id}/executions}: run code in a session.
 *
 * @param code the program text
 */
public record CodeRequest(String code) {}
