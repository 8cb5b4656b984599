package dev.airlock.lang;

import dev.airlock.core.GuestInstance;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An interpreter that keeps its state from call to call, like a notebook kernel: globals, imported
 * modules and the files of its virtual filesystem ({@code /workspace} is the writable working
 * folder). Made by {@link CodeInterpreter#openSession}. One call at a time; {@link #interrupt()}
 * may come from any thread.
 *
 * <p>A snippet that raises or exits leaves the session as it is. A snippet stopped by the sandbox
 * (a limit or a trap) may have left the interpreter half-updated, so the session is reset: to its
 * last {@link #snapshot()} if any, otherwise to a fresh interpreter, keeping the files under {@code
 * /workspace}; the {@link Execution} says so.
 */
public final class Session implements AutoCloseable {
    private final String id;
    private final CodeInterpreter owner;
    private final Language language;
    private final Policy policy;
    private final EventSink events;
    private volatile GuestInstance instance;
    private Snapshot base;
    private boolean closed;

    /** Snippets run so far (each is named after its number). */
    private int runs;

    Session(
            CodeInterpreter owner,
            String id,
            Language language,
            Policy policy,
            EventSink events,
            GuestInstance instance) {
        this.id = id;
        this.events = events;
        this.owner = owner;
        this.language = language;
        this.policy = policy;
        this.instance = instance;
    }

    /** For {@link CodeInterpreter#resumeSession}. */
    synchronized void resumed(Snapshot base, int runs) {
        this.base = base;
        this.runs = runs;
    }

    public String id() {
        return id;
    }

    public Language language() {
        return language;
    }

    /**
     * Runs a snippet in the session. Never throws for anything the snippet does.
     *
     * @throws IllegalStateException if the session is closed
     */
    public synchronized Execution run(String code, Stdio stdio) {
        check();
        // each snippet keeps its own name, so that a traceback through a function an earlier
        // snippet defined shows that snippet's lines (as Python's own REPL names its inputs)
        Program program = new Program(code, "<python-input-" + runs++ + ">", List.of());
        Outcome o = owner.images().interpreter(language).exec(instance, program, stdio);
        if (o.status() == Status.OK || o.status() == Status.EXIT) {
            return new Execution(o, false);
        }
        try {
            reset();
        } catch (ModuleRejectedException | IOException | RuntimeException e) {
            closed = true;
            instance.close();
            return new Execution(
                    new Outcome(
                            o.status(),
                            o.exitCode(),
                            o.kind(),
                            o.message() + "; the session could not be reset: " + e.getMessage(),
                            o.usage(),
                            o.denials(),
                            o.moduleSha256()),
                    true);
        }
        return new Execution(o, true);
    }

    /** Replaces the interpreter, keeping the workspace's files. */
    private void reset() throws ModuleRejectedException, IOException {
        GuestInstance old = instance;
        GuestInstance fresh =
                base != null
                        ? owner.images().restore(language, base, policy, events, id)
                        : owner.images().restoreWarm(language, policy, events, id, Map.of());
        try {
            for (String f : old.listFiles(Interpreter.WORKSPACE)) {
                fresh.writeFile(f, old.readFile(f));
            }
        } catch (IOException e) {
            fresh.close();
            throw e;
        }
        instance = fresh;
        old.close();
    }

    /**
     * Writes a file into the session's filesystem (for example under {@code /workspace}).
     *
     * @throws IOException if the path is invalid or a quota would be exceeded
     */
    public synchronized void upload(String guestPath, byte[] content) throws IOException {
        check();
        instance.writeFile(guestPath, content);
    }

    /**
     * Reads a file of the session's filesystem.
     *
     * @throws IOException if there is no such file
     */
    public synchronized byte[] download(String guestPath) throws IOException {
        check();
        return instance.readFile(guestPath);
    }

    /** The files under a folder, recursively (default folder: {@code /workspace}). */
    public synchronized List<String> files(String guestFolder) throws IOException {
        check();
        return instance.listFiles(guestFolder == null ? Interpreter.WORKSPACE : guestFolder);
    }

    /**
     * Captures the session (interpreter memory and files). A later reset goes back to the latest
     * snapshot.
     */
    public synchronized Snapshot snapshot() {
        check();
        base = instance.snapshot();
        return base;
    }

    /**
     * Puts the session back in a captured state.
     *
     * @throws ModuleRejectedException if the snapshot is of another language or does not fit
     */
    public synchronized void restore(Snapshot snapshot) throws ModuleRejectedException {
        check();
        GuestInstance fresh = owner.images().restore(language, snapshot, policy, events, id);
        GuestInstance old = instance;
        instance = fresh;
        base = snapshot;
        old.close();
    }

    /**
     * A new, independent session starting from this one's current state.
     *
     * @throws ModuleRejectedException if the copy cannot start
     */
    public synchronized Session fork() throws ModuleRejectedException {
        check();
        Snapshot s = instance.snapshot();
        String copyId = UUID.randomUUID().toString();
        Session copy =
                new Session(
                        owner,
                        copyId,
                        language,
                        policy,
                        events,
                        owner.images().restore(language, s, policy, events, copyId));
        copy.base = s;
        copy.runs = runs;
        return copy;
    }

    /**
     * Captures the session's current state without making it the state a stopped snippet resets to
     * (as {@link #snapshot()} does): for keeping the session elsewhere, for example in a store that
     * other servers share. Cheap: memory is shared copy-on-write.
     */
    public synchronized Snapshot state() {
        check();
        return instance.snapshot();
    }

    /** The state a stopped snippet resets to (the latest snapshot or restore), or {@code null}. */
    public synchronized Snapshot base() {
        return base;
    }

    /** Snippets run so far. */
    public synchronized int runs() {
        return runs;
    }

    /** Stops the running snippet, if any; it ends as a limit of kind {@code interrupted}. */
    public void interrupt() {
        GuestInstance g = instance;
        if (g != null) {
            g.interrupt();
        }
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("session closed");
        }
    }

    @Override
    public void close() {
        interrupt();
        synchronized (this) {
            if (!closed) {
                closed = true;
                instance.close();
            }
        }
    }
}
