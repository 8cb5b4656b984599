package dev.airlock.springai;

import dev.airlock.lang.CodeSessions;
import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * Spring AI tools that run code in Airlock: a {@link ToolCallbackProvider} of one {@link
 * AirlockToolCallback} per language ({@code runPython}, {@code runJavaScript}), plain objects that
 * need no Spring Boot. Give them to a chat client ({@code
 * ChatClient.builder(model).defaultToolCallbacks(callbacks)}) or call them directly. Thread-safe;
 * close it to close the sessions of session callbacks.
 *
 * <p>Safe by default: the tool's {@link CodeTool#defaultPolicy()} grants no files but an empty
 * in-memory working folder, no environment and no network, and limits each run to 10 s, 256 MiB and
 * 1 MiB of output.
 *
 * <pre>{@code
 * AirlockToolCallbacks callbacks =
 *         AirlockToolCallbacks.builder()
 *                 .tool(CodeTool.builder().timeout(Duration.ofSeconds(5)).build())
 *                 .build();
 * String answer = callbacks.callback(Language.PYTHON).call("{\"code\": \"print(6 * 7)\"}");
 * }</pre>
 */
public final class AirlockToolCallbacks implements ToolCallbackProvider, AutoCloseable {
    private final List<AirlockToolCallback> callbacks;
    private final CodeSessions sessions;

    private AirlockToolCallbacks(Builder b) {
        CodeTool tool = b.tool == null ? CodeTool.create() : b.tool;
        this.sessions = b.sessions ? new CodeSessions(tool, b.maxSessions) : null;
        List<AirlockToolCallback> list = new ArrayList<>();
        for (Language l : b.languages) {
            list.add(new AirlockToolCallback(l, tool, sessions));
        }
        this.callbacks = List.copyOf(list);
    }

    /** Callbacks for Python and JavaScript with the defaults, each call in a fresh interpreter. */
    public static AirlockToolCallbacks create() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults: both languages, {@link CodeTool#create()}, each call in
     * a fresh interpreter.
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ToolCallback[] getToolCallbacks() {
        return callbacks.toArray(new ToolCallback[0]);
    }

    /**
     * The callback of a language.
     *
     * @throws IllegalArgumentException if the language was left out
     */
    public AirlockToolCallback callback(Language language) {
        for (AirlockToolCallback c : callbacks) {
            if (c.language() == language) {
                return c;
            }
        }
        throw new IllegalArgumentException("no tool for " + language + " was configured");
    }

    /** The sessions of session callbacks, or null when each call runs in a fresh interpreter. */
    public CodeSessions sessions() {
        return sessions;
    }

    /** Closes the sessions, if any; session callbacks then fail with IllegalStateException. */
    @Override
    public void close() {
        if (sessions != null) {
            sessions.close();
        }
    }

    /** Configures {@link AirlockToolCallbacks}; setters reject bad values at once. */
    public static final class Builder {
        private CodeTool tool;
        private boolean sessions;
        private int maxSessions = CodeSessions.DEFAULT_MAX_SESSIONS;
        private Set<Language> languages = EnumSet.allOf(Language.class);

        private Builder() {}

        /**
         * The policy, limits and interpreter the tools run with (default {@link
         * CodeTool#create()}).
         */
        public Builder tool(CodeTool tool) {
            this.tool = Objects.requireNonNull(tool, "tool");
            return this;
        }

        /**
         * Run each conversation's calls in its own session of each language, so that variables,
         * imports and files persist (default false: each call in a fresh interpreter).
         */
        public Builder sessions(boolean sessions) {
            this.sessions = sessions;
            return this;
        }

        /**
         * The most sessions kept open (default {@value CodeSessions#DEFAULT_MAX_SESSIONS}); opening
         * one more closes the one used longest ago.
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

        /**
         * The languages to offer a tool for (default both), in the order of {@link Language}.
         *
         * @throws IllegalArgumentException if none is given
         */
        public Builder languages(Language... languages) {
            if (languages.length == 0) {
                throw new IllegalArgumentException("at least one language is needed");
            }
            Set<Language> set = EnumSet.noneOf(Language.class);
            for (Language l : languages) {
                set.add(Objects.requireNonNull(l, "language"));
            }
            this.languages = set;
            return this;
        }

        /** The configured tools; each setter has already checked its value. */
        public AirlockToolCallbacks build() {
            return new AirlockToolCallbacks(this);
        }
    }
}
