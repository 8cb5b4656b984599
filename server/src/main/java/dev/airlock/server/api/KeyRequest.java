package dev.airlock.server.api;

/**
 * {@code POST /v1/admin/tenants/{name}/keys}: a new API key.
 *
 * @param label a note to recognise the key by in lists
 * @param admin whether the key may use the admin routes (default false)
 */
public record KeyRequest(String label, Boolean admin) {}
