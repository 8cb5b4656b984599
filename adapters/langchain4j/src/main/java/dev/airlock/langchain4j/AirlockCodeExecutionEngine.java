package dev.airlock.langchain4j;

import dev.airlock.core.Policy;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import dev.langchain4j.code.CodeExecutionEngine;
import java.time.Duration;
import java.util.Objects;

/**
 * A LangChain4j {@link CodeExecutionEngine} that runs Python or JavaScript in an Airlock sandbox.
 * Each {@link #execute} starts from a fresh interpreter (restored from a started image in about a
 * millisecond, once the language's interpreter has been compiled and started in the process).
 *
 * <p>Safe by default: no files but an empty in-memory {@code /workspace}, no environment, no
 * network, and limits of 10 s, 256 MiB and 1 MiB of output ({@link CodeTool#defaultPolicy()}). The
 * answer is a short text for a model: how the run ended (a limit is named, with a hint), what the
 * sandbox denied, the program's stdout and its stderr; never a Java exception. The output is what
 * the code printed ({@code print()}, {@code console.log()}): unlike an engine that evaluates an
 * expression, the value of the last expression is not shown. Immutable and thread-safe.
 *
 * <pre>{@code
 * CodeExecutionEngine engine =
 *         AirlockCodeExecutionEngine.builder()
 *                 .language(Language.PYTHON)
 *                 .timeout(Duration.ofSeconds(5))
 *                 .build();
 * String answer = engine.execute("print(6 * 7)");
 * }</pre>
 */
public final class AirlockCodeExecutionEngine implements CodeExecutionEngine {
    private final Language language;
    private final CodeTool tool;

    private AirlockCodeExecutionEngine(Language language, CodeTool tool) {
        this.language = language;
        this.tool = tool;
    }

    /** A Python engine with the defaults. */
    public static AirlockCodeExecutionEngine python() {
        return builder().build();
    }

    /** A JavaScript (QuickJS) engine with the defaults. */
    public static AirlockCodeExecutionEngine javaScript() {
        return builder().language(Language.JAVASCRIPT).build();
    }

    /** A builder starting from the defaults: Python, {@link CodeTool#defaultPolicy()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The language this engine runs. */
    public Language language() {
        return language;
    }

    /** The tool it runs on: its policy and interpreter. */
    public CodeTool tool() {
        return tool;
    }

    /**
     * Runs {@code code} and describes the result for a model: a first line saying how it ended
     * ({@code Finished normally (exit code 0).}, {@code Failed with exit code 1 ...}, {@code
     * Stopped by the sandbox: limit exceeded: time (5s). ...}), the sandbox's denials if any, then
     * {@code stdout:} and {@code stderr:} sections. Never throws for anything the code does.
     *
     * @throws NullPointerException if code is null
     */
    @Override
    public String execute(String code) {
        return run(code).text();
    }

    /**
     * Runs {@code code} and returns the whole result (outcome, full stdout and stderr, and the text
     * {@link #execute} answers).
     *
     * @throws NullPointerException if code is null
     */
    public CodeTool.Result run(String code) {
        return tool.run(language, Objects.requireNonNull(code, "code"));
    }

    /**
     * Configures an engine. The limit setters and {@link #policy} configure a {@link CodeTool} of
     * the engine's own, and reject bad values at once ({@link IllegalArgumentException}), as {@link
     * CodeTool.Builder} does; {@link #tool} gives a whole {@link CodeTool} instead.
     */
    public static final class Builder {
        private Language language = Language.PYTHON;
        private final CodeTool.Builder settings = CodeTool.builder();
        private boolean settingsGiven;
        private CodeTool tool;

        private Builder() {}

        /** The language to run (default {@link Language#PYTHON}). */
        public Builder language(Language language) {
            this.language = Objects.requireNonNull(language, "language");
            return this;
        }

        /** Wall-time limit of each run (default 10 s); see {@link CodeTool.Builder#timeout}. */
        public Builder timeout(Duration timeout) {
            settings.timeout(timeout);
            settingsGiven = true;
            return this;
        }

        /** Memory limit (default 256 MiB); see {@link CodeTool.Builder#memoryBytes}. */
        public Builder memoryBytes(long bytes) {
            settings.memoryBytes(bytes);
            settingsGiven = true;
            return this;
        }

        /** Output limit (default 1 MiB); see {@link CodeTool.Builder#maxOutputBytes}. */
        public Builder maxOutputBytes(long bytes) {
            settings.maxOutputBytes(bytes);
            settingsGiven = true;
            return this;
        }

        /**
         * The longest stdout or stderr in an answer (default 8000 characters); see {@link
         * CodeTool.Builder#maxResultChars}.
         */
        public Builder maxResultChars(int chars) {
            settings.maxResultChars(chars);
            settingsGiven = true;
            return this;
        }

        /**
         * The whole policy, for grants such as mounts or network rules (default {@link
         * CodeTool#defaultPolicy()}); see {@link CodeTool.Builder#policy}.
         */
        public Builder policy(Policy policy) {
            settings.policy(policy);
            settingsGiven = true;
            return this;
        }

        /**
         * The interpreter to run on (default {@link CodeTool#sharedInterpreter()}); never closed by
         * the engine.
         */
        public Builder interpreter(CodeInterpreter interpreter) {
            settings.interpreter(interpreter);
            settingsGiven = true;
            return this;
        }

        /**
         * A whole tool (policy, interpreter, answer length), shared with other engines or tools.
         */
        public Builder tool(CodeTool tool) {
            this.tool = Objects.requireNonNull(tool, "tool");
            return this;
        }

        /**
         * @throws IllegalStateException if both a {@link #tool} and settings of its own were given
         */
        public AirlockCodeExecutionEngine build() {
            if (tool != null && settingsGiven) {
                throw new IllegalStateException(
                        "give either a tool or limits, policy and interpreter, not both");
            }
            return new AirlockCodeExecutionEngine(language, tool != null ? tool : settings.build());
        }
    }
}
