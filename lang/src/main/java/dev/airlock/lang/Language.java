package dev.airlock.lang;

import java.util.Locale;

/** The languages Airlock interprets. */
public enum Language {
    /** CPython 3.13 for WASI. */
    PYTHON("python"),
    /** QuickJS 2025-04-26, built by Airlock ({@code runtimes/quickjs}). */
    JAVASCRIPT("javascript");

    private final String id;

    Language(String id) {
        this.id = id;
    }

    /** The name used by the CLI, HTTP and MCP: {@code python} or {@code javascript}. */
    public String id() {
        return id;
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
