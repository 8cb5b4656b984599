package dev.airlock.springai;

import dev.airlock.lang.CodeSessions;
import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code airlock.tools.*} properties of {@link AirlockToolsAutoConfiguration}. A value that the
 * sandbox rejects (a zero timeout, a memory size that is not a multiple of 64 KiB, ...) stops the
 * application context with the rejection's message.
 */
@ConfigurationProperties(prefix = "airlock.tools")
public class AirlockToolsProperties {
    /** Whether to make the tool callbacks bean (default true). */
    private boolean enabled = true;

    /** Wall-time limit of each call (default 10s). */
    private Duration timeout = Duration.ofSeconds(CodeTool.DEFAULT_TIMEOUT_SECONDS);

    /** Memory limit of each call (default 256MB, a multiple of 64KB). */
    private DataSize memory = DataSize.ofMegabytes(CodeTool.DEFAULT_MEMORY_MIB);

    /** Limit on a call's stdout and stderr together (default 1024KB). */
    private DataSize maxOutput = DataSize.ofKilobytes(CodeTool.DEFAULT_MAX_OUTPUT_KIB);

    /** The longest stdout or stderr in an answer, in characters (default 8000). */
    private int maxResultChars = CodeTool.DEFAULT_MAX_RESULT_CHARS;

    /** Whether each conversation's calls share a session (default false). */
    private boolean sessions;

    /** The most sessions kept open (default 16). */
    private int maxSessions = CodeSessions.DEFAULT_MAX_SESSIONS;

    /** The languages to offer a tool for (default python, javascript). */
    private List<Language> languages = List.of(Language.PYTHON, Language.JAVASCRIPT);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public DataSize getMemory() {
        return memory;
    }

    public void setMemory(DataSize memory) {
        this.memory = memory;
    }

    public DataSize getMaxOutput() {
        return maxOutput;
    }

    public void setMaxOutput(DataSize maxOutput) {
        this.maxOutput = maxOutput;
    }

    public int getMaxResultChars() {
        return maxResultChars;
    }

    public void setMaxResultChars(int maxResultChars) {
        this.maxResultChars = maxResultChars;
    }

    public boolean isSessions() {
        return sessions;
    }

    public void setSessions(boolean sessions) {
        this.sessions = sessions;
    }

    public int getMaxSessions() {
        return maxSessions;
    }

    public void setMaxSessions(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    public List<Language> getLanguages() {
        return languages;
    }

    public void setLanguages(List<Language> languages) {
        this.languages = languages;
    }
}
