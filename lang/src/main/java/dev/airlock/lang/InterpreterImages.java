package dev.airlock.lang;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.GuestModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.event.EventSink;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Each language's interpreter behind a {@link CodeInterpreter}: its driver, its module loaded once,
 * its start image made once (or read from the image cache), and the instances restored from them.
 * Thread-safe.
 */
final class InterpreterImages {
    /**
     * What an interpreter starts under: default grants and limits but a time allowance of its own
     * (a cold start on a busy machine can take seconds), so that the caller's time limit applies to
     * its snippet only.
     */
    static final Policy START =
            Policy.builder()
                    .limits(
                            dev.airlock.core.Limits.builder()
                                    .timeout(java.time.Duration.ofMinutes(5))
                                    .build())
                    .build();

    private final Airlock airlock;
    private final boolean warmStart;
    private final ImageCache imageCache;
    private final Map<Language, Interpreter> interpreters = new EnumMap<>(Language.class);
    private final Map<Language, Snapshot> warm = new EnumMap<>(Language.class);
    private final Map<Language, GuestModule> modules = new EnumMap<>(Language.class);

    InterpreterImages(Airlock airlock, boolean warmStart, ImageCache imageCache) {
        this.airlock = airlock;
        this.warmStart = warmStart;
        this.imageCache = imageCache;
        interpreters.put(Language.PYTHON, new PythonInterpreter());
        interpreters.put(Language.JAVASCRIPT, new JavaScriptInterpreter());
    }

    /** The driver of a language's interpreter. */
    Interpreter interpreter(Language language) {
        return interpreters.get(Objects.requireNonNull(language, "language"));
    }

    /** A ready instance: restored from the warm image, or from a start image made for it. */
    GuestInstance restoreWarm(Language language, Policy policy, EventSink events)
            throws ModuleRejectedException {
        return restoreWarm(language, policy, events, null, Map.of());
    }

    /**
     * As {@link #restoreWarm(Language, Policy, EventSink)}, holding {@code files} (by guest path)
     * as well, written as it is restored: also into the interpreter's read-only shared folders,
     * which the files then join for this instance (see {@link InstanceSetup.Builder#sharedFolder});
     * {@code session} (or {@code null}) is the session id its events carry.
     */
    GuestInstance restoreWarm(
            Language language,
            Policy policy,
            EventSink events,
            String session,
            Map<String, byte[]> files)
            throws ModuleRejectedException {
        InstanceSetup.Builder setup = interpreter(language).setup().sessionId(session);
        files.forEach(setup::file);
        return configured(
                language,
                warmStart ? warmImage(language) : startImage(language),
                policy,
                events,
                setup);
    }

    /** Restores a session's snapshot under its policy. */
    GuestInstance restore(
            Language language, Snapshot snapshot, Policy policy, EventSink events, String session)
            throws ModuleRejectedException {
        return airlock.restore(
                snapshot,
                module(language),
                policy,
                interpreter(language).setup().events(events).sessionId(session).build());
    }

    /** Restores a prepared image under {@code policy}, applying its settings. */
    GuestInstance restoreImage(Language language, Snapshot image, Policy policy, EventSink events)
            throws ModuleRejectedException {
        return configured(language, image, policy, events, interpreter(language).setup());
    }

    /**
     * Restores {@code image} with {@code setup} and its events, then applies the policy's settings.
     */
    private GuestInstance configured(
            Language language,
            Snapshot image,
            Policy policy,
            EventSink events,
            InstanceSetup.Builder setup)
            throws ModuleRejectedException {
        Interpreter it = interpreter(language);
        GuestInstance g =
                airlock.restore(image, module(language), policy, setup.events(events).build());
        if (it.needsConfigure(policy)) {
            it.configure(g, policy);
        }
        return g;
    }

    /** The SHA-256 of a language's interpreter module. */
    String moduleSha256(Language language) throws ModuleRejectedException {
        return module(language).sha256();
    }

    /**
     * What an image of {@code language}'s interpreter is bound to: its module's hash and layout as
     * compiled (an engine that splits differently cannot restore another's image), for cache keys.
     */
    String imageBinding(Language language) throws ModuleRejectedException {
        GuestModule m = module(language);
        return m.sha256() + " " + m.layout();
    }

    /**
     * A started interpreter's image, made under {@link #START} (a start-up allowance of its own, so
     * that a short time limit applies to the guest's run and never to the interpreter's start),
     * without the caller's grants: those apply when the image is restored.
     */
    private Snapshot startImage(Language language) throws ModuleRejectedException {
        GuestModule m = module(language);
        String key =
                imageCache == null
                        ? null
                        : ImageCache.keyOf(
                                imageBinding(language),
                                interpreter(language).startFilesKey(),
                                CodeInterpreter.class,
                                Airlock.class,
                                interpreter(language).getClass());
        if (key != null) {
            Snapshot cached = imageCache.get(key, m.sha256());
            if (cached != null) {
                return cached;
            }
        }
        Snapshot s;
        try (GuestInstance g = freshInstance(language, START)) {
            s = g.snapshot();
        }
        if (key != null) {
            imageCache.put(key, s);
        }
        return s;
    }

    private GuestInstance freshInstance(Language language, Policy policy)
            throws ModuleRejectedException {
        Interpreter it = interpreter(language);
        GuestInstance g = airlock.instantiate(module(language), policy, it.startSetup().build());
        try {
            it.prepare(g, policy);
        } catch (ModuleRejectedException | RuntimeException e) {
            g.close();
            throw e;
        }
        return g;
    }

    /**
     * The interpreter's module, loaded once: loading hashes and parses the whole module
     * (megabytes), which would otherwise dominate every restore.
     */
    private GuestModule module(Language language) throws ModuleRejectedException {
        synchronized (modules) {
            GuestModule m = modules.get(language);
            if (m == null) {
                m = interpreter(language).load(airlock);
                modules.put(language, m);
            }
            return m;
        }
    }

    /** Loads the interpreter and, with warm start on, makes or reads its start image. */
    void prepare(Language language) throws ModuleRejectedException {
        if (warmStart) {
            warmImage(language);
        } else {
            module(language);
        }
    }

    /** The post-initialisation image of a language's interpreter, made on first use. */
    Snapshot warmImage(Language language) throws ModuleRejectedException {
        synchronized (warm) {
            Snapshot s = warm.get(language);
            if (s == null) {
                s = startImage(language);
                warm.put(language, s);
            }
            return s;
        }
    }
}
