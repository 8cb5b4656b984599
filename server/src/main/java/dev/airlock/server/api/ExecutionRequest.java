package dev.airlock.server.api;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/executions}: run a snippet or a module once, in a fresh sandbox.
 *
 * @param language {@code python}, {@code javascript} or {@code wasm}
 * @param code the program text (python, javascript)
 * @param module the module's bytes in base64 ({@code wasm})
 * @param args arguments after the program name ({@code wasm})
 * @param env environment variables the guest may see
 * @param files files put in the sandbox before the run: a path relative to {@code /workspace} (or
 *     absolute under it) to its content
 * @param stdin the guest's standard input, as text
 * @param limits the limits asked for
 * @param packages names of the server's Python package folders to put on {@code sys.path} ({@code
 *     python}; see {@code airlock serve --packages})
 * @param allowNet network rules ({@code [METHODS ]SCHEME://HOST[:PORT][/PATH]}), each within the
 *     server's own (see {@code ServerConfig.network()}); none: no network
 * @param secrets names of the server's secrets to add to the requests their injections cover (see
 *     {@code airlock serve --secret}); the guest never sees their values
 */
public record ExecutionRequest(
        String language,
        String code,
        String module,
        List<String> args,
        Map<String, String> env,
        Map<String, FileContent> files,
        String stdin,
        RequestLimits limits,
        List<String> packages,
        List<String> allowNet,
        List<String> secrets) {}
