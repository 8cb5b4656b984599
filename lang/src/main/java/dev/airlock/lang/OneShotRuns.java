package dev.airlock.lang;

import dev.airlock.core.GuestInstance;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one-shot runs of a {@link CodeInterpreter}: an instance taken from the warm pool or restored
 * afresh, the caller's files written into it, the program run, and the files it changed under
 * {@code /workspace} collected and copied back.
 */
final class OneShotRuns implements AutoCloseable {
    private final InterpreterImages images;
    private final Policy poolPolicy;
    private final int poolSize;
    private final Map<Language, WarmPool> pools = new EnumMap<>(Language.class);

    OneShotRuns(InterpreterImages images, Policy poolPolicy, int poolSize) {
        this.images = images;
        this.poolPolicy = poolPolicy;
        this.poolSize = poolSize;
    }

    /** See {@link CodeInterpreter#run(Language, Program, Policy, Stdio, EventSink, Map)}. */
    Execution run(
            Language language,
            Program program,
            Policy policy,
            Stdio stdio,
            EventSink events,
            Map<String, byte[]> files) {
        GuestInstance instance;
        long begin = System.nanoTime();
        try {
            instance =
                    events == EventSink.none() && files.isEmpty()
                            ? takeInstance(language, policy)
                            : images.restoreWarm(language, policy, events);
        } catch (ModuleRejectedException e) {
            return new Execution(e.toOutcome(), false);
        }
        long startMillis = (System.nanoTime() - begin) / 1_000_000;
        try (instance) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                try {
                    instance.writeFile(f.getKey(), f.getValue());
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException(
                            "cannot write " + f.getKey() + ": " + e.getMessage(), e);
                }
            }
            Outcome o = images.interpreter(language).exec(instance, program, stdio);
            o = o.withUsage(o.usage().withStartMillis(startMillis));
            Map<String, byte[]> changed = files.isEmpty() ? Map.of() : changed(instance, files);
            if (o.status() == dev.airlock.core.Status.OK
                    || o.status() == dev.airlock.core.Status.EXIT) {
                try {
                    instance.copyBack();
                } catch (java.io.IOException e) {
                    return new Execution(
                            new Outcome(
                                    dev.airlock.core.Status.ERROR,
                                    o.exitCode(),
                                    null,
                                    "could not copy files back: " + e.getMessage(),
                                    o.usage(),
                                    o.denials(),
                                    o.moduleSha256()),
                            false);
                }
            }
            return new Execution(o, false, changed);
        }
    }

    /** The files under /workspace that differ from what was seeded. */
    private static Map<String, byte[]> changed(GuestInstance instance, Map<String, byte[]> seeded) {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try {
            for (String f : instance.listFiles(Interpreter.WORKSPACE)) {
                byte[] now = instance.readFile(f);
                byte[] before = seeded.get(f);
                if (before == null || !java.util.Arrays.equals(before, now)) {
                    out.put(f, now);
                }
            }
        } catch (java.io.IOException e) {
            // the guest removed /workspace itself: nothing to report
        }
        return out;
    }

    private GuestInstance takeInstance(Language language, Policy policy)
            throws ModuleRejectedException {
        if (policy == poolPolicy && poolSize > 0) {
            WarmPool pool;
            synchronized (pools) {
                pool =
                        pools.computeIfAbsent(
                                language,
                                l ->
                                        new WarmPool(
                                                poolSize,
                                                () ->
                                                        images.restoreWarm(
                                                                l, policy, EventSink.none())));
            }
            return pool.take();
        }
        return images.restoreWarm(language, policy, EventSink.none());
    }

    @Override
    public void close() {
        synchronized (pools) {
            pools.values().forEach(WarmPool::close);
            pools.clear();
        }
    }
}
