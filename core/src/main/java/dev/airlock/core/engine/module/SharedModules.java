package dev.airlock.core.engine.module;

import dev.airlock.core.ModuleRejectedException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Large compiled modules shared by every {@link ModuleLoader} of the JVM: compiling an interpreter
 * (megabytes of WebAssembly) takes seconds, and a server or a test run creates several Airlocks
 * that load the same one. Keys carry the loader settings that change the result (compile or
 * interpret, split threshold, fuel prices). At most {@value #ENTRIES} entries, least recently used
 * dropped; concurrent loads of one key compile it once.
 */
final class SharedModules {
    /** Modules at least this large are shared. */
    static final int MIN_BYTES = 1 << 20;

    static final int ENTRIES = 8;

    private static final Map<String, CompiledModule> MODULES =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(16, 0.75f, true) {
                        private static final long serialVersionUID = 1L;

                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, CompiledModule> e) {
                            return size() > ENTRIES;
                        }
                    });

    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

    /** Makes a compiled module. */
    interface Maker {
        CompiledModule make() throws ModuleRejectedException;
    }

    private SharedModules() {}

    static CompiledModule get(String key, Maker maker) throws ModuleRejectedException {
        CompiledModule hit = MODULES.get(key);
        if (hit != null) {
            return hit;
        }
        Object lock = LOCKS.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                hit = MODULES.get(key);
                if (hit == null) {
                    hit = maker.make();
                    MODULES.put(key, hit);
                }
                return hit;
            }
        } finally {
            LOCKS.remove(key, lock);
        }
    }
}
