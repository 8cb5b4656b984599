package dev.airlock.lang;

import java.util.Locale;

/** The languages Airlock interprets. */
public enum Language {
    /** CPython 3.13.5 for WASI, built by Airlock ({@code runtimes/python}). */
    PYTHON("python", "CPython 3.13.5"),
    /** QuickJS 2025-04-26, built by Airlock ({@code runtimes/quickjs}). */
    JAVASCRIPT("javascript", "QuickJS 2025-04-26");

    private final String id;
    private final String runtime;

    Language(String id, String runtime) {
        this.id = id;
        this.runtime = runtime;
    }

    /**
     * The bundled interpreter and its version, as built from the pinned sources in {@code
     * runtimes/}: {@code CPython 3.13.5} or {@code QuickJS 2025-04-26}.
     */
    public String runtime() {
        return runtime;
    }

    /** The name used by the CLI, HTTP and MCP: {@code python} or {@code javascript}. */
    public String id() {
        return id;
    }

    /**
     * The language whose bundled interpreter is the module with this SHA-256 (hex), or null for any
     * other module: a recorded run's language, read from the module it ran. A run of an earlier
     * build's interpreter is not recognised.
     */
    public static Language ofModule(String sha256) {
        return Interpreter.languageOf(sha256);
    }

    /**
     * Parses {@code python}/{@code py} or {@code javascript}/{@code js}, any case.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Language parse(String name) {
        switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "python":
            case "py":
                return PYTHON;
            case "javascript":
            case "js":
                return JAVASCRIPT;
            default:
                throw new IllegalArgumentException(
                        "unknown language '" + name + "' (expected python or javascript)");
        }
    }
}
