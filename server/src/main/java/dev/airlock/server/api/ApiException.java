package dev.airlock.server.api;

/**
 * A request the service refuses, with the HTTP status and the RFC 9457 problem it maps to. The HTTP
 * layer writes it as {@code application/problem+json}; the MCP layer as a tool error.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final long retryAfterSeconds;

    /**
     * @param status the HTTP status
     * @param type a short stable slug naming the problem (for example {@code bad-request}); the
     *     problem's {@code type} URI is derived from it
     * @param title a short human summary of the problem type
     * @param detail what exactly was wrong with this request
     * @param retryAfterSeconds for 429 and 503: when to retry; otherwise 0
     */
    public ApiException(
            int status, String type, String title, String detail, long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: the request is malformed or asks for something not allowed. */
    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad-request", "Bad request", detail, 0);
    }

    /** 401: no valid API key. */
    public static ApiException unauthorized() {
        return new ApiException(
                401,
                "unauthorized",
                "Unauthorized",
                "a valid API key is required (Authorization: Bearer KEY)",
                0);
    }

    /** 403: the key is valid but may not do this (admin operations). */
    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", "Forbidden", detail, 0);
    }

    /** 404: no such thing, or it belongs to another tenant. */
    public static ApiException notFound(String what) {
        return new ApiException(404, "not-found", "Not found", what, 0);
    }

    /** 409: the thing is busy or in the wrong state. */
    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", "Conflict", detail, 0);
    }

    /** 413: the request body is over the configured size. */
    public static ApiException tooLarge(String detail) {
        return new ApiException(413, "too-large", "Content too large", detail, 0);
    }

    /** 429: a quota of the tenant is exhausted. */
    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(
                429, "quota-exceeded", "Too many requests", detail, Math.max(1, retryAfterSeconds));
    }

    /** 503: the server is full or shutting down. */
    public static ApiException unavailable(String detail, long retryAfterSeconds) {
        return new ApiException(
                503, "unavailable", "Service unavailable", detail, Math.max(1, retryAfterSeconds));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
