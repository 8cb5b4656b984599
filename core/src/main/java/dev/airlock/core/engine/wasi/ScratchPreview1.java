package dev.airlock.core.engine.wasi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import dev.airlock.core.GuestMemory;
import dev.airlock.core.Preview1;
import dev.airlock.core.engine.memory.ChicoryGuestMemory;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Preview1} for one long-lived instance: the binding's mediated functions, called with a
 * small instance of their own (a module with one memory and nothing else) as the caller, so that
 * their pointers address its memory. Made on first use; not thread-safe (calls of one instance are
 * serial).
 */
public final class ScratchPreview1 implements Preview1 {
    /** A module with one memory of one page, at most 256 pages. */
    private static final byte[] MODULE = {
        0, 'a', 's', 'm', 1, 0, 0, 0, 5, 5, 1, 1, 1, (byte) 0x80, 2
    };

    private final HostFunction[] mediated;
    private Map<String, HostFunction> byName;
    private Instance instance;

    public ScratchPreview1(HostFunction[] mediated) {
        this.mediated = mediated.clone();
    }

    @Override
    public int call(String function, long... args) {
        init();
        HostFunction h = byName.get(function);
        if (h == null) {
            throw new IllegalArgumentException("no WASI preview 1 function " + function);
        }
        long[] r = h.handle().apply(instance, args);
        return r == null || r.length == 0 ? 0 : (int) r[0];
    }

    @Override
    public GuestMemory scratch(long bytes) {
        if (bytes < 0 || bytes > MAX_SCRATCH) {
            throw new IllegalArgumentException("scratch memory of " + bytes + " bytes");
        }
        init();
        Memory m = instance.memory();
        long have = (long) m.pages() * Memory.PAGE_SIZE;
        if (have < bytes) {
            int more = (int) ((bytes - have + Memory.PAGE_SIZE - 1) / Memory.PAGE_SIZE);
            if (m.grow(more) < 0) {
                throw new IllegalArgumentException("scratch memory cannot grow");
            }
        }
        return ChicoryGuestMemory.of(instance);
    }

    private void init() {
        if (instance == null) {
            byName = new HashMap<>();
            for (HostFunction h : mediated) {
                if (WasiBinding.MODULE.equals(h.module())) {
                    byName.put(h.name(), h);
                }
            }
            instance = Instance.builder(Parser.parse(MODULE)).build();
        }
    }
}
