package dev.airlock.server.api;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/sessions}: a long-lived interpreter whose globals and files persist between
 * executions.
 *
 * @param language {@code python} or {@code javascript}
 * @param env environment variables the guest may see
 * @param files files put in {@code /workspace} at the start
 * @param limits the limits of each execution in the session
 * @param packages names of the server's Python package folders to put on {@code sys.path}
 * @param allowNet network rules ({@code [METHODS ]SCHEME://HOST[:PORT][/PATH]}), each within the
 *     server's own (see {@code ServerConfig.network()}); none: no network
 * @param secrets names of the server's secrets to add to the requests their injections cover (see
 *     {@code airlock serve --secret}); the guest never sees their values
 */
public record SessionRequest(
        String language,
        Map<String, String> env,
        Map<String, FileContent> files,
        RequestLimits limits,
        List<String> packages,
        List<String> allowNet,
        List<String> secrets) {}
