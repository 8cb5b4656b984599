package dev.airlock.lang;

import dev.airlock.core.ModuleRejectedException;
import java.util.Map;

/**
 * What another engine (a browser: {@code airlock-web.js}) needs to run a JavaScript snippet as
 * {@link CodeInterpreter} does: QuickJS's module, the very one {@code airlock js} runs (a WASI
 * reactor: {@code init()}, then {@code alloc}, {@code eval(ptr, len)} with the snippet, whose
 * status is the exit code; see {@code runtimes/quickjs/airlock_js.c}), and the snippet that puts
 * the granted environment into {@code process.env} before the program, its output discarded. Python
 * is not offered: its interpreter (7.7 MiB with a 7 MiB standard library) starts from the server's
 * image of it.
 */
public final class PortableScripts {
    private PortableScripts() {}

    /**
     * QuickJS's module as {@code airlock js} runs it (read once per process; a copy).
     *
     * @throws ModuleRejectedException if the resource is missing from this build
     */
    public static byte[] javascriptModule() throws ModuleRejectedException {
        return Interpreter.module(JavaScriptInterpreter.class, JavaScriptInterpreter.MODULE)
                .clone();
    }

    /** The SHA-256 of {@link #javascriptModule()}, as shipped beside it (hex), or null. */
    public static String javascriptSha256() {
        Interpreter.Digest d =
                Interpreter.digest(JavaScriptInterpreter.class, JavaScriptInterpreter.MODULE);
        return d == null ? null : d.sha256();
    }

    /** The snippet that gives {@code process.env} these variables. */
    public static String environment(Map<String, String> env) {
        try {
            return "Object.assign(process.env, " + Json.MAPPER.writeValueAsString(env) + ")";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
