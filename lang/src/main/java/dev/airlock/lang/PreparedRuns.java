package dev.airlock.lang;

import dev.airlock.core.GuestInstance;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs of {@link Prepared} applications: the image after the warm-up is made on first use and kept
 * in memory and, with an image cache, on disk, keyed by the interpreter, the application's files,
 * snippets and key, and the policy's mounts and environment.
 */
final class PreparedRuns {
    private final CodeInterpreter ci;
    private final ImageCache cache;

    /** The images made or read in this process: the 8 used last (each holds megabytes). */
    private final Map<String, Snapshot> images =
            java.util.Collections.synchronizedMap(
                    new java.util.LinkedHashMap<>(16, 0.75f, true) {
                        private static final long serialVersionUID = 1L;

                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Snapshot> e) {
                            return size() > 8;
                        }
                    });

    /**
     * Seeds Python's {@code random} from the run's own random source, as the interpreter does in
     * the first snippet of a sandbox (a policy that denies randomness keeps the image's state).
     */
    static final String RESEED =
            "import sys as _s\n_r = _s.modules.get('random')\nif _r is not None:\n"
                    + "    try:\n        _r.seed()\n    except OSError:\n        pass\n"
                    + "del _s, _r\n";

    PreparedRuns(CodeInterpreter ci, ImageCache cache) {
        this.ci = ci;
        this.cache = cache;
    }

    Execution run(
            Language language,
            Prepared app,
            Program program,
            Policy policy,
            Stdio stdio,
            EventSink events) {
        long begin = System.nanoTime();
        GuestInstance instance;
        boolean warm;
        try {
            Snapshot image = image(language, app, policy);
            warm = image != null;
            instance =
                    warm
                            ? ci.images().restoreImage(language, image, policy, events)
                            : ci.images().restoreWarm(language, policy, events, null, app.files());
        } catch (ModuleRejectedException e) {
            return new Execution(e.toOutcome(), false);
        }
        try (instance) {
            Interpreter it = ci.images().interpreter(language);
            if (warm && language == Language.PYTHON) {
                // the warm-up's run seeded random inside the image: without this, every run
                // restored from it would draw the same numbers
                Outcome o = it.exec(instance, Program.of(RESEED), Stdio.discard());
                if (o.status() != Status.OK) {
                    return new Execution(o, false);
                }
            }
            if (!app.perRun().isEmpty()) {
                Outcome o = it.exec(instance, Program.of(app.perRun()), Stdio.discard());
                if (o.status() != Status.OK) {
                    return new Execution(o, false);
                }
            }
            long startMillis = (System.nanoTime() - begin) / 1_000_000;
            Outcome o = it.exec(instance, program, stdio);
            return new Execution(o.withUsage(o.usage().withStartMillis(startMillis)), false);
        }
    }

    /** The image after the warm-up, or null when the warm-up failed (then runs start cold). */
    private Snapshot image(Language language, Prepared app, Policy policy)
            throws ModuleRejectedException {
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(language.id().getBytes(StandardCharsets.UTF_8));
        inputs.add(app.key().getBytes(StandardCharsets.UTF_8));
        inputs.add(app.warmup().getBytes(StandardCharsets.UTF_8));
        app.files()
                .forEach(
                        (p, c) -> {
                            inputs.add(p.getBytes(StandardCharsets.UTF_8));
                            inputs.add(c);
                        });
        policy.mounts().forEach(m -> inputs.add(m.toString().getBytes(StandardCharsets.UTF_8)));
        policy.env().forEach((k, v) -> inputs.add((k + "=" + v).getBytes(StandardCharsets.UTF_8)));
        String sha = ci.images().moduleSha256(language);
        String key =
                ImageCache.key(ci.images().imageBinding(language), inputs.toArray(new byte[0][]));
        Snapshot s = images.get(key);
        if (s != null) {
            return s;
        }
        String diskKey =
                cache == null
                        ? null
                        : ImageCache.keyOf(
                                ci.images().imageBinding(language),
                                Map.of("prepared", key.getBytes(StandardCharsets.UTF_8)),
                                CodeInterpreter.class,
                                dev.airlock.core.Airlock.class);
        if (diskKey != null) {
            s = cache.get(diskKey, sha);
        }
        if (s == null) {
            try (GuestInstance g =
                    ci.images()
                            .restoreWarm(language, policy, EventSink.none(), null, app.files())) {
                Outcome o =
                        ci.images()
                                .interpreter(language)
                                .exec(g, Program.of(app.warmup()), Stdio.discard());
                if (o.status() != Status.OK) {
                    return null;
                }
                s = g.snapshot();
            }
            if (diskKey != null) {
                cache.put(diskKey, s);
            }
        }
        images.put(key, s);
        return s;
    }
}
