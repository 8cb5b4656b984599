package dev.airlock.server.http;

import dev.airlock.server.api.ApiException;
import dev.airlock.server.observe.RequestLog;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request line it refuses, a path with NUL or an ambiguous separator,
 * a URI or headers too long, a servlet's {@code sendError}) as problem documents, like every other
 * error of the API: never Jetty's HTML page, never the server's exception. The detail depends on
 * the status only, so nothing of the request or the server's internals is echoed.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    private static final HttpField CONTENT_TYPE =
            new HttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);

    /** A handler that never shows stacks, causes or Jetty's messages. */
    public ProblemErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int code,
            String message,
            Throwable cause,
            Callback callback) {
        response.getHeaders().put(CONTENT_TYPE);
        Object id = request.getAttribute(RequestLog.REQUEST_ID);
        response.write(
                true, ByteBuffer.wrap(body(code, id instanceof String s ? s : null)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, null));
    }

    /** The problem document for a status Jetty answers by itself. */
    static byte[] body(int status, String requestId) {
        ApiException e = problem(status);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", Problems.TYPE_BASE + e.type());
        p.put("title", e.title());
        p.put("status", e.status());
        p.put("detail", e.detail());
        if (requestId != null) {
            p.put("requestId", requestId);
        }
        return Json.write(p);
    }

    private static ApiException problem(int status) {
        return switch (status) {
            case 400 ->
                    ApiException.badRequest(
                            "the request line, path or headers are malformed (for example a NUL, a bad"
                                    + " escape or an ambiguous path separator in the path)");
            case 404 -> ApiException.notFound("no such resource");
            case 405 ->
                    new ApiException(
                            405,
                            "method-not-allowed",
                            "Method not allowed",
                            "this resource does not accept the method",
                            0);
            case 413 -> ApiException.tooLarge("the request body is too large");
            case 414 ->
                    new ApiException(
                            414, "uri-too-long", "URI too long", "the request URI is too long", 0);
            case 431 ->
                    new ApiException(
                            431,
                            "headers-too-large",
                            "Request header fields too large",
                            "the request headers are too large",
                            0);
            case 503 -> ApiException.unavailable("the server cannot handle the request now", 1);
            default -> {
                if (status >= 500) {
                    yield new ApiException(
                            status,
                            "internal",
                            "Internal server error",
                            "the server failed to handle the request",
                            0);
                }
                String title = HttpStatus.getMessage(status);
                yield new ApiException(
                        status,
                        "http-" + status,
                        title == null ? "HTTP " + status : title,
                        "the request cannot be handled (HTTP " + status + ")",
                        0);
            }
        };
    }
}
