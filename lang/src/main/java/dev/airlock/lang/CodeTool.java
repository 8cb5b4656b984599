package dev.airlock.lang;

import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Airlock as a code-running tool for a language model: runs Python or JavaScript under a safe
 * policy and answers a short text that a model reads well (what happened, the program's stdout and
 * stderr, what the sandbox denied), never a Java class name or a stack trace. The agent framework
 * adapters ({@code airlock-langchain4j}, {@code airlock-spring-ai}) are built on it. Immutable and
 * thread-safe once built.
 *
 * <p>The default policy grants nothing: no files but the in-memory {@code /workspace}, no
 * environment, no network, and limits of {@value #DEFAULT_TIMEOUT_SECONDS} s of wall time, {@value
 * #DEFAULT_MEMORY_MIB} MiB of memory and {@value #DEFAULT_MAX_OUTPUT_KIB} KiB of output. Fuel
 * budgets do not apply to the interpreters (their start-up images are taken unmetered), so a policy
 * with one is refused: bound the work with the time limit.
 *
 * <pre>{@code
 * CodeTool tool = CodeTool.builder().timeout(Duration.ofSeconds(5)).build();
 * String text = tool.run(Language.PYTHON, "print(6 * 7)").text();
 * }</pre>
 */
public final class CodeTool {
    /** Default wall-time limit of a run, in seconds: 10. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    /** Default memory limit of a run, in MiB: 256. */
    public static final int DEFAULT_MEMORY_MIB = 256;

    /** Default limit on stdout and stderr together, in KiB: 1024. */
    public static final int DEFAULT_MAX_OUTPUT_KIB = 1024;

    /**
     * Default longest stdout or stderr put in a result's text, in characters: 8000. Longer output
     * keeps its beginning and its end, with a note of how much was left out between them.
     */
    public static final int DEFAULT_MAX_RESULT_CHARS = 8000;

    /** A description of a Python tool for a model, each call in a fresh interpreter. */
    public static final String PYTHON_DESCRIPTION =
            "Runs Python 3.13 code in a sandbox and returns what it printed. Use print() to show"
                    + " results: the value of the last expression is not shown. The standard"
                    + " library is available; there is no network, no pip and no file but those"
                    + " the code writes in its empty working folder. Every call starts afresh, and"
                    + " time and memory are limited.";

    /** A description of a JavaScript tool for a model, each call in a fresh interpreter. */
    public static final String JAVASCRIPT_DESCRIPTION =
            "Runs JavaScript (QuickJS, ES2023) code in a sandbox and returns what it printed. Use"
                    + " console.log() to show results. There is no network, no file system and no"
                    + " package (no require or import). Every call starts afresh, and time and"
                    + " memory are limited.";

    /** A description of a Python tool for a model, in a session ({@link CodeSessions}). */
    public static final String PYTHON_SESSION_DESCRIPTION =
            "Runs Python 3.13 code in a sandboxed session and returns what it printed. Variables,"
                    + " functions, imports and files persist between calls in this conversation,"
                    + " like notebook cells. Use print() to show results. The standard library is"
                    + " available; there is no network and no pip. Time and memory are limited.";

    /** A description of a JavaScript tool for a model, in a session ({@link CodeSessions}). */
    public static final String JAVASCRIPT_SESSION_DESCRIPTION =
            "Runs JavaScript (QuickJS, ES2023) code in a sandboxed session and returns what it"
                    + " printed. Top-level declarations persist between calls in this"
                    + " conversation, like notebook cells. Use console.log() to show results."
                    + " There is no network, no file system and no package. Time and memory are"
                    + " limited.";

    /** A description of the {@code code} argument of a Python tool, for a model. */
    public static final String PYTHON_CODE_DESCRIPTION =
            "The Python code to run, for example: print(sum(range(10)))";

    /** A description of the {@code code} argument of a JavaScript tool, for a model. */
    public static final String JAVASCRIPT_CODE_DESCRIPTION =
            "The JavaScript code to run, for example: console.log([3, 1, 2].sort())";

    /** What a tool answers a model that sent no code. */
    public static final String NO_CODE =
            "No code was given: send the program to run in the code argument.";

    /** The system property naming the shared interpreter's cache folder: {@value}. */
    public static final String CACHE_DIR_PROPERTY = "airlock.cacheDir";

    private final CodeInterpreter interpreter;
    private final Policy policy;
    private final int maxResultChars;

    private CodeTool(Builder b, Policy policy) {
        this.interpreter = b.interpreter == null ? SharedInterpreter.INTERPRETER : b.interpreter;
        this.policy = policy;
        this.maxResultChars = b.maxResultChars;
    }

    /**
     * The interpreter of the tools built without one: made on first use, one per process, never
     * closed, so that each language's interpreter is compiled and started once however many tools
     * there are. Its compiled code and started interpreters' images are kept between processes in
     * the folder named by the system property {@value #CACHE_DIR_PROPERTY}, else by the environment
     * variable {@code AIRLOCK_CACHE_DIR} (the CLI's cache folder layout: {@code modules/}, {@code
     * images/}); with neither, only in memory.
     */
    public static CodeInterpreter sharedInterpreter() {
        return SharedInterpreter.INTERPRETER;
    }

    /**
     * A tool with the defaults: the {@linkplain #sharedInterpreter() shared interpreter} and {@link
     * #defaultPolicy()}.
     */
    public static CodeTool create() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults: the shared interpreter and {@link #defaultPolicy()}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The policy a tool runs under unless told otherwise: {@link Policy#defaults()} (nothing
     * granted) with a {@value #DEFAULT_TIMEOUT_SECONDS} s time limit, {@value #DEFAULT_MEMORY_MIB}
     * MiB of memory and {@value #DEFAULT_MAX_OUTPUT_KIB} KiB of output.
     */
    public static Policy defaultPolicy() {
        return Policy.builder()
                .limits(
                        Limits.builder()
                                .timeout(Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS))
                                .memoryBytes((long) DEFAULT_MEMORY_MIB << 20)
                                .maxOutputBytes((long) DEFAULT_MAX_OUTPUT_KIB << 10)
                                .build())
                .build();
    }

    /** The policy every run and session of this tool gets. */
    public Policy policy() {
        return policy;
    }

    /** The longest stdout or stderr a result's text holds, in characters. */
    public int maxResultChars() {
        return maxResultChars;
    }

    /**
     * Runs code in a fresh interpreter. Never throws for anything the code does: an exception in
     * it, a limit, a denial or an interpreter that cannot start are all described by the result.
     *
     * @throws NullPointerException if an argument is null
     */
    public Result run(Language language, String code) {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
        Capture c = new Capture();
        Execution e;
        try {
            e = interpreter.run(language, code, policy, c.stdio());
        } catch (RuntimeException ex) {
            e = failed(ex);
        }
        return result(e, c);
    }

    /**
     * Opens a session under this tool's policy: globals, imports and {@code /workspace} persist
     * from one {@link #run(Session, String)} to the next. The caller closes it.
     *
     * @throws ModuleRejectedException if the interpreter cannot start
     */
    public Session openSession(Language language) throws ModuleRejectedException {
        return interpreter.openSession(Objects.requireNonNull(language, "language"), policy);
    }

    /**
     * Runs code in a session (one of this tool's or any other). Never throws for anything the code
     * does; a limit or trap resets the session, which the result's text says.
     *
     * @throws IllegalStateException if the session is closed
     */
    public Result run(Session session, String code) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(code, "code");
        Capture c = new Capture();
        Execution e;
        try {
            e = session.run(code, c.stdio());
        } catch (IllegalStateException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            e = failed(ex);
        }
        return result(e, c);
    }

    /** The result of a session that could not be opened, for a caller that answers a model. */
    public Result sessionFailed(ModuleRejectedException e) {
        return result(new Execution(e.toOutcome(), false), new Capture());
    }

    /** An unexpected failure of the host, described by its message only. */
    private static Execution failed(RuntimeException ex) {
        String m = ex.getMessage() == null ? "unexpected failure" : ex.getMessage();
        return new Execution(
                new Outcome(
                        Status.ERROR,
                        null,
                        null,
                        "internal error: " + m,
                        dev.airlock.core.Usage.NONE,
                        List.of(),
                        null),
                false);
    }

    private Result result(Execution e, Capture c) {
        String out = c.out.toString(StandardCharsets.UTF_8);
        String err = c.err.toString(StandardCharsets.UTF_8);
        return new Result(e, out, err, ResultText.describe(e, out, err, maxResultChars));
    }

    /**
     * What a run did.
     *
     * @param execution the outcome as the sandbox saw it, and whether a session was reset
     * @param stdout everything the program wrote to stdout (within the policy's output limit)
     * @param stderr everything the program wrote to stderr
     * @param text the description for a model: see {@link CodeTool}
     */
    public record Result(Execution execution, String stdout, String stderr, String text) {
        public Result {
            Objects.requireNonNull(execution, "execution");
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
            Objects.requireNonNull(text, "text");
        }

        /** True when the program finished normally (exit code 0). */
        public boolean isOk() {
            return execution.exitCode() == 0;
        }
    }

    private static final class Capture {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        Stdio stdio() {
            return Stdio.of(out, err);
        }
    }

    /**
     * Configures a {@link CodeTool}. Setters reject bad values at once with an {@link
     * IllegalArgumentException}; a limit setter changes only that limit of the policy.
     */
    public static final class Builder {
        private CodeInterpreter interpreter;
        private Policy policy = defaultPolicy();
        private Limits.Builder limits = policy.limits().toBuilder();
        private int maxResultChars = DEFAULT_MAX_RESULT_CHARS;

        private Builder() {}

        /**
         * The interpreter to run on (default: the {@linkplain CodeTool#sharedInterpreter() shared
         * one}). The tool never closes it.
         */
        public Builder interpreter(CodeInterpreter interpreter) {
            this.interpreter = Objects.requireNonNull(interpreter, "interpreter");
            return this;
        }

        /**
         * The whole policy: grants (mounts, environment, network rules, tools) and limits (default
         * {@link #defaultPolicy()}). Later limit setters change its limits.
         *
         * @throws IllegalArgumentException if the policy has a fuel budget (it does not apply to
         *     the interpreters)
         */
        public Builder policy(Policy policy) {
            Objects.requireNonNull(policy, "policy");
            if (policy.limits().fuel().isPresent()) {
                throw new IllegalArgumentException(
                        "a fuel budget does not apply to the Python and JavaScript interpreters;"
                                + " limit their time instead");
            }
            this.policy = policy;
            this.limits = policy.limits().toBuilder();
            return this;
        }

        /**
         * Wall-time limit of each run or session call (default {@value #DEFAULT_TIMEOUT_SECONDS}
         * s). The interpreter's own start is not counted.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            limits.timeout(Objects.requireNonNull(timeout, "timeout"));
            return this;
        }

        /**
         * Memory limit (default {@value #DEFAULT_MEMORY_MIB} MiB).
         *
         * @throws IllegalArgumentException unless a positive multiple of 64 KiB, at most 4 GiB
         */
        public Builder memoryBytes(long bytes) {
            limits.memoryBytes(bytes);
            return this;
        }

        /**
         * Limit on stdout and stderr together (default {@value #DEFAULT_MAX_OUTPUT_KIB} KiB); past
         * it the run stops as an {@code output} limit.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxOutputBytes(long bytes) {
            limits.maxOutputBytes(bytes);
            return this;
        }

        /**
         * The longest stdout or stderr a result's text holds (default {@value
         * #DEFAULT_MAX_RESULT_CHARS}); {@link Result#stdout()} and {@link Result#stderr()} stay
         * whole.
         *
         * @throws IllegalArgumentException if below 100
         */
        public Builder maxResultChars(int chars) {
            if (chars < 100) {
                throw new IllegalArgumentException("maxResultChars must be at least 100: " + chars);
            }
            this.maxResultChars = chars;
            return this;
        }

        /** The configured tool; each setter has already checked its value. */
        public CodeTool build() {
            return new CodeTool(this, policy.toBuilder().limits(limits.build()).build());
        }
    }
}
