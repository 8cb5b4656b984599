package dev.airlock.core.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Carries one checked request to its server: the host side of network egress, supplied by the
 * embedder (the {@code egress} module's Apache HttpClient transport). Called only by {@link
 * EgressGate} after the policy allowed the request.
 *
 * <p>A transport must connect only to {@link Request#addresses()} (already resolved and checked; it
 * must not resolve the host again), verify TLS certificates and host names, never follow redirects,
 * and stop reading at {@link Request#maxResponseBytes()}.
 */
public interface HttpTransport {
    /**
     * Sends a request.
     *
     * @return the response, whatever its status
     * @throws ResponseTooLargeException if the response passes {@code maxResponseBytes}
     * @throws IOException for any failure to connect, send or receive; its message is shown to the
     *     guest and must not name a Java class
     */
    Response send(Request request) throws IOException;

    /** One header. */
    record Header(String name, String value) {}

    /**
     * @param method upper case
     * @param uri absolute {@code http} or {@code https} URL
     * @param headers the headers to send; the transport adds {@code Host} and {@code
     *     Content-Length}
     * @param body the body, empty for none
     * @param addresses where {@code uri}'s host may be reached, in order of preference
     * @param timeout for the whole request
     * @param maxResponseBytes the most response bytes (headers and body) to read
     */
    record Request(
            String method,
            URI uri,
            List<Header> headers,
            byte[] body,
            List<InetAddress> addresses,
            Duration timeout,
            long maxResponseBytes) {}

    /**
     * @param status the status code
     * @param reason the reason phrase, possibly empty
     * @param headers the headers as received (a decoded body has no {@code Transfer-Encoding})
     * @param body the body
     * @param bytesIn bytes received, headers included
     */
    record Response(int status, String reason, List<Header> headers, byte[] body, long bytesIn) {}

    /** The response passed the limit it was given. */
    final class ResponseTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        public ResponseTooLargeException(long limit) {
            super("response too large (more than " + limit + " bytes)");
        }
    }
}
