package dev.airlock.core;

import java.util.List;

/**
 * What a module is and asks for, read before anything runs ({@link Airlock#inspect}).
 *
 * @param sha256 hex SHA-256 of the bytes
 * @param size size in bytes
 * @param kind {@code command} (exports {@code _start}), {@code reactor} (exports {@code
 *     _initialize}) or {@code library} (neither)
 * @param exports every export
 * @param memories memory limits (defined or imported)
 * @param tables table limits (defined or imported)
 * @param imports every import with its capability and the verdict under the given policy
 * @param functions number of functions defined by the module
 * @param compiled whether the module runs as JVM bytecode
 * @param interpretedFunctions functions the compiler left to the interpreter
 * @param compileNote why the module is not compiled, or {@code null}
 * @param runnable whether {@code airlock run} would accept it under the policy
 * @param problems why it would be rejected, if it would
 */
public record ModuleInfo(
        String sha256,
        long size,
        String kind,
        List<Export> exports,
        List<Limit> memories,
        List<Limit> tables,
        List<Import> imports,
        int functions,
        boolean compiled,
        List<Integer> interpretedFunctions,
        String compileNote,
        boolean runnable,
        List<String> problems) {

    /**
     * Why a run of this module under the inspected policy is refused, as the refused run's {@link
     * Outcome#kind()} ({@code unknown-import}, {@code no-entry-point}, {@code memory}, {@code
     * table} or {@code unmeterable}) for its first problem; {@code null} when it is runnable.
     */
    public String refusalReason() {
        return problems.isEmpty() ? null : reasonOf(problems.get(0));
    }

    /**
     * The refused run's {@link Outcome#kind()} for {@code problem}, one of {@link #problems()} or
     * of {@link Airlock#problems}: {@code unknown-import}, {@code no-entry-point}, {@code memory},
     * {@code table} or {@code unmeterable}.
     */
    public static String reasonOf(String problem) {
        return problem.startsWith("cannot meter fuel")
                ? "unmeterable"
                : dev.airlock.core.engine.module.Inspector.reason(problem);
    }

    /**
     * An export.
     *
     * @param name its name
     * @param type {@code function}, {@code memory}, {@code table}, {@code global} or {@code tag}
     */
    public record Export(String name, String type) {}

    /**
     * Limits of a memory (in 64 KiB pages) or table (in elements).
     *
     * @param imported whether it is imported
     * @param initial initial size
     * @param maximum maximum size, or {@code null} if unbounded
     */
    public record Limit(boolean imported, long initial, Long maximum) {}

    /**
     * An import.
     *
     * @param module import module
     * @param name import name
     * @param type {@code function}, {@code memory}, {@code table}, {@code global} or {@code tag}
     * @param capability {@code files}, {@code environment}, {@code clock}, {@code random}, {@code
     *     process}, {@code sockets} or {@code unknown}
     * @param verdict what the policy does with it, such as {@code allowed}, {@code denied (...)} or
     *     {@code rejected: ...}
     */
    public record Import(
            String module, String name, String type, String capability, String verdict) {}
}
