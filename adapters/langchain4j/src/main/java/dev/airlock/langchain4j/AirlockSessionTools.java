package dev.airlock.langchain4j;

import dev.airlock.core.ModuleRejectedException;
import dev.airlock.lang.CodeTool;
import dev.airlock.lang.Language;
import dev.airlock.lang.Session;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * LangChain4j tools that run code in Airlock sessions, like notebook cells: variables, functions,
 * imports and the files of the working folder persist from one call to the next. Each chat memory
 * (conversation, by its {@link ToolMemoryId}; {@code "default"} without one) has its own Python and
 * its own JavaScript session, opened at its first call. Thread-safe; close it to close every
 * session.
 *
 * <p>At most {@link Builder#maxSessions} sessions are kept (default {@value
 * #DEFAULT_MAX_SESSIONS}); opening one more closes the one used longest ago, whose conversation
 * then starts afresh. A limit or crash resets a session (its answer says so), keeping its files.
 */
public class AirlockSessionTools implements AutoCloseable {
    /** Sessions kept unless told otherwise: 16. */
    public static final int DEFAULT_MAX_SESSIONS = 16;

    private final CodeTool tool;
    private final int maxSessions;
    private final LinkedHashMap<Key, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    private record Key(Object memoryId, Language language) {}

    private AirlockSessionTools(Builder b) {
        this.tool = b.tool == null ? CodeTool.create() : b.tool;
        this.maxSessions = b.maxSessions;
    }

    /** Session tools with the defaults. */
    public static AirlockSessionTools create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs Python code in this conversation's Python session; see {@link AirlockSessionTools}. */
    @Tool(
            "Runs Python 3.13 code in a sandboxed session and returns what it printed. Variables,"
                    + " functions, imports and files persist between calls in this conversation,"
                    + " like notebook cells. Use print() to show results. The standard library is"
                    + " available; there is no network and no pip. Time and memory are limited.")
    public String runPython(
            @ToolMemoryId Object memoryId,
            @P(
                            name = "code",
                            value =
                                    "The Python code to run, for example: total = sum(range(10)); print(total)")
                    String code) {
        return run(memoryId, Language.PYTHON, code);
    }

    /**
     * Runs JavaScript code in this conversation's JavaScript session; see {@link
     * AirlockSessionTools}.
     */
    @Tool(
            "Runs JavaScript (QuickJS, ES2023) code in a sandboxed session and returns what it"
                    + " printed. Top-level declarations persist between calls in this"
                    + " conversation, like notebook cells. Use console.log() to show results."
                    + " There is no network, no file system and no package. Time and memory are"
                    + " limited.")
    public String runJavaScript(
            @ToolMemoryId Object memoryId,
            @P(
                            name = "code",
                            value =
                                    "The JavaScript code to run, for example: let xs = [3, 1, 2]; console.log(xs.sort())")
                    String code) {
        return run(memoryId, Language.JAVASCRIPT, code);
    }

    private String run(Object memoryId, Language language, String code) {
        if (code == null) {
            return AirlockTools.NO_CODE;
        }
        Key key = new Key(memoryId == null ? "default" : memoryId, language);
        for (int attempt = 0; ; attempt++) {
            Session s;
            try {
                s = session(key);
            } catch (ModuleRejectedException e) {
                return tool.sessionFailed(e).text();
            }
            try {
                return tool.run(s, code).text();
            } catch (IllegalStateException closedMeanwhile) {
                // closed by eviction (or close()) between taking and running it: open another once
                if (attempt == 1) {
                    return "The session was closed while the code was starting: call again.";
                }
            }
        }
    }

    private Session session(Key key) throws ModuleRejectedException {
        List<Session> evicted = new ArrayList<>();
        Session s;
        synchronized (sessions) {
            if (closed) {
                throw new IllegalStateException("session tools closed");
            }
            s = sessions.get(key);
            if (s == null || s.isClosed()) {
                s = tool.openSession(key.language());
                sessions.put(key, s);
                Iterator<Session> oldest = sessions.values().iterator();
                while (sessions.size() > maxSessions) {
                    evicted.add(oldest.next());
                    oldest.remove();
                }
            }
        }
        evicted.forEach(Session::close);
        return s;
    }

    /** How many sessions are open now. */
    public int openSessions() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    /**
     * Closes a conversation's sessions (both languages), for example when its chat memory is
     * cleared; its next call starts afresh.
     */
    public void endSessions(Object memoryId) {
        Object id = memoryId == null ? "default" : memoryId;
        List<Session> ended = new ArrayList<>();
        synchronized (sessions) {
            for (Iterator<Map.Entry<Key, Session>> it = sessions.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<Key, Session> e = it.next();
                if (e.getKey().memoryId().equals(id)) {
                    ended.add(e.getValue());
                    it.remove();
                }
            }
        }
        ended.forEach(Session::close);
    }

    /** Closes every session; later calls are answered with an {@link IllegalStateException}. */
    @Override
    public void close() {
        List<Session> all;
        synchronized (sessions) {
            closed = true;
            all = new ArrayList<>(sessions.values());
            sessions.clear();
        }
        all.forEach(Session::close);
    }

    /** Configures {@link AirlockSessionTools}; setters reject bad values at once. */
    public static final class Builder {
        private CodeTool tool;
        private int maxSessions = DEFAULT_MAX_SESSIONS;

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
         * The most sessions kept open (default {@value #DEFAULT_MAX_SESSIONS}); each holds an
         * interpreter's memory.
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

        public AirlockSessionTools build() {
            return new AirlockSessionTools(this);
        }
    }
}
