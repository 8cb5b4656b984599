package dev.airlock.langchain4j;

import dev.airlock.lang.CodeSessions;
import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.util.Objects;

/**
 * LangChain4j tools that run code in Airlock sessions, like notebook cells: {@code runPython} and
 * {@code runJavaScript}, whose variables, functions, imports and working-folder files persist from
 * one call to the next. Each chat memory (by its {@link ToolMemoryId}; {@code "default"} without
 * one) has its own Python and its own JavaScript session, opened at its first call (see {@link
 * CodeSessions}). Thread-safe; close it to close every session.
 *
 * <p>At most {@link Builder#maxSessions} sessions are kept (default {@value
 * CodeSessions#DEFAULT_MAX_SESSIONS}); opening one more closes the one used longest ago, whose
 * conversation then starts afresh. A limit or crash resets a session (its answer says so), keeping
 * its files.
 */
public class AirlockSessionTools implements AutoCloseable {
    private final CodeSessions sessions;

    private AirlockSessionTools(Builder b) {
        this.sessions =
                new CodeSessions(b.tool == null ? CodeTool.create() : b.tool, b.maxSessions);
    }

    /** Session tools with the defaults. */
    public static AirlockSessionTools create() {
        return builder().build();
    }

    /** A builder starting from the defaults: {@link CodeTool#create()}, 16 sessions at most. */
    public static Builder builder() {
        return new Builder();
    }

    /** The sessions, by conversation. */
    public CodeSessions sessions() {
        return sessions;
    }

    /** Runs Python code in this conversation's Python session; see {@link AirlockSessionTools}. */
    @Tool(CodeTool.PYTHON_SESSION_DESCRIPTION)
    public String runPython(
            @ToolMemoryId Object memoryId,
            @P(name = "code", value = CodeTool.PYTHON_CODE_DESCRIPTION) String code) {
        return code == null
                ? CodeTool.NO_CODE
                : sessions.run(memoryId, Language.PYTHON, code).text();
    }

    /**
     * Runs JavaScript code in this conversation's JavaScript session; see {@link
     * AirlockSessionTools}.
     */
    @Tool(CodeTool.JAVASCRIPT_SESSION_DESCRIPTION)
    public String runJavaScript(
            @ToolMemoryId Object memoryId,
            @P(name = "code", value = CodeTool.JAVASCRIPT_CODE_DESCRIPTION) String code) {
        return code == null
                ? CodeTool.NO_CODE
                : sessions.run(memoryId, Language.JAVASCRIPT, code).text();
    }

    /**
     * Closes a conversation's sessions, for example when its chat memory is cleared; its next call
     * starts afresh.
     */
    public void endSessions(Object memoryId) {
        sessions.end(memoryId);
    }

    /** Closes every session; a later call fails with an {@link IllegalStateException}. */
    @Override
    public void close() {
        sessions.close();
    }

    /** Configures {@link AirlockSessionTools}; setters reject bad values at once. */
    public static final class Builder {
        private CodeTool tool;
        private int maxSessions = CodeSessions.DEFAULT_MAX_SESSIONS;

        private Builder() {}

        /**
         * The tool whose policy and interpreter the sessions use (default {@link
         * CodeTool#create()}).
         */
        public Builder tool(CodeTool tool) {
            this.tool = Objects.requireNonNull(tool, "tool");
            return this;
        }

        /**
         * The most sessions kept open (default {@value CodeSessions#DEFAULT_MAX_SESSIONS}); each
         * holds an interpreter's memory.
         *
         * @throws IllegalArgumentException unless 1 to 1024
         */
        public Builder maxSessions(int maxSessions) {
            if (maxSessions < 1 || maxSessions > 1024) {
                throw new IllegalArgumentException("maxSessions must be 1..1024: " + maxSessions);
            }
            this.maxSessions = maxSessions;
            return this;
        }

        /** The configured tools; each setter has already checked its value. */
        public AirlockSessionTools build() {
            return new AirlockSessionTools(this);
        }
    }
}
