package dev.airlock.lang;

import dev.airlock.core.ModuleRejectedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sessions of a {@link CodeTool} by conversation: each conversation (any key: a chat memory id, a
 * conversation id) has its own Python and its own JavaScript {@link Session}, opened at its first
 * run, in which variables, functions, imports and the files of {@code /workspace} persist from one
 * run to the next. The agent framework adapters' session tools are built on it. Thread-safe; close
 * it to close every session.
 *
 * <p>At most {@code maxSessions} sessions are kept; opening one more closes the one used longest
 * ago, whose conversation then starts afresh. A limit or crash resets a session (its result says
 * so), keeping its files.
 */
public final class CodeSessions implements AutoCloseable {
    /** Sessions kept unless told otherwise: 16. */
    public static final int DEFAULT_MAX_SESSIONS = 16;

    /** The conversation of a run given none: {@value}. */
    public static final String DEFAULT_CONVERSATION = "default";

    private final CodeTool tool;
    private final int maxSessions;
    private final LinkedHashMap<Key, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    private record Key(Object conversation, Language language) {}

    /**
     * Sessions of {@code tool}, at most {@code maxSessions} open at once.
     *
     * @throws IllegalArgumentException unless maxSessions is 1 to 1024
     */
    public CodeSessions(CodeTool tool, int maxSessions) {
        this.tool = Objects.requireNonNull(tool, "tool");
        if (maxSessions < 1 || maxSessions > 1024) {
            throw new IllegalArgumentException("maxSessions must be 1..1024: " + maxSessions);
        }
        this.maxSessions = maxSessions;
    }

    /** The tool whose policy and interpreter the sessions use. */
    public CodeTool tool() {
        return tool;
    }

    /**
     * Runs code in a conversation's session of {@code language}, opening it if needed. Never throws
     * for anything the code does; an interpreter that cannot start is a {@code rejected} result.
     *
     * @param conversation the conversation's key, or null for {@value #DEFAULT_CONVERSATION}
     * @throws IllegalStateException if these sessions are closed, or if other runs made this
     *     conversation's session close three times while its code was starting
     */
    public CodeTool.Result run(Object conversation, Language language, String code) {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code");
        Key key = new Key(conversation == null ? DEFAULT_CONVERSATION : conversation, language);
        for (int attempt = 1; ; attempt++) {
            Session s;
            try {
                s = session(key);
            } catch (ModuleRejectedException e) {
                return tool.sessionFailed(e);
            }
            try {
                return tool.run(s, code);
            } catch (IllegalStateException closedMeanwhile) {
                // closed by eviction or end() between taking and running it: open another, unless
                // all of them were closed
                check();
                if (attempt == 3) {
                    throw closedMeanwhile;
                }
            }
        }
    }

    private Session session(Key key) throws ModuleRejectedException {
        List<Session> evicted = new ArrayList<>();
        Session s;
        synchronized (sessions) {
            check();
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

    private void check() {
        synchronized (sessions) {
            if (closed) {
                throw new IllegalStateException("the sessions are closed");
            }
        }
    }

    /** How many sessions are open now. */
    public int openSessions() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    /**
     * Closes a conversation's sessions (both languages), for example when its chat memory is
     * cleared; its next run starts afresh.
     *
     * @param conversation the conversation's key, or null for {@value #DEFAULT_CONVERSATION}
     */
    public void end(Object conversation) {
        Object id = conversation == null ? DEFAULT_CONVERSATION : conversation;
        List<Session> ended = new ArrayList<>();
        synchronized (sessions) {
            for (Iterator<Map.Entry<Key, Session>> it = sessions.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<Key, Session> e = it.next();
                if (e.getKey().conversation().equals(id)) {
                    ended.add(e.getValue());
                    it.remove();
                }
            }
        }
        ended.forEach(Session::close);
    }

    /** Closes every session; a later {@link #run} throws {@link IllegalStateException}. */
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
}
