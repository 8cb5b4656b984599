package dev.airlock.core.engine.memory;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.ActiveElement;
import com.dylibso.chicory.wasm.types.CustomSection;
import com.dylibso.chicory.wasm.types.DataSection;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.Element;
import com.dylibso.chicory.wasm.types.ElementSection;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import com.dylibso.chicory.wasm.types.PassiveElement;
import dev.airlock.core.engine.module.CompiledModule;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The form of a module that a restore instantiates: the same module without its start function, and
 * with its active data segments replaced by empty passive ones (the index of every segment kept).
 * Instantiating it runs no guest code and copies no data; the snapshot then supplies memory,
 * globals and tables. An active segment is dropped once a module is instantiated, so an empty
 * segment in its place behaves the same for {@code memory.init} and {@code data.drop}.
 */
final class RestoreModules {
    private static final int MAX = 64;

    private record Entry(WeakReference<WasmModule> original, WasmModule variant) {}

    private static final Map<String, Entry> CACHE =
            new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                    return size() > MAX;
                }
            };

    private RestoreModules() {}

    /** The restore form of a compiled module's module, made once per module. */
    static WasmModule of(CompiledModule cm) {
        WasmModule m = cm.module();
        String key = cm.sha256() + (cm.fuel() == null ? "" : "/metered");
        synchronized (CACHE) {
            Entry e = CACHE.get(key);
            if (e != null && e.original().get() == m) {
                return e.variant();
            }
        }
        WasmModule variant = variant(m);
        synchronized (CACHE) {
            CACHE.put(key, new Entry(new WeakReference<>(m), variant));
        }
        return variant;
    }

    private static WasmModule variant(WasmModule m) {
        WasmModule.Builder b =
                WasmModule.builder()
                        .withValidation(false)
                        .setTypeSection(m.typeSection())
                        .setImportSection(m.importSection())
                        .setFunctionSection(m.functionSection())
                        .setTableSection(m.tableSection())
                        .setGlobalSection(m.globalSection())
                        .setExportSection(m.exportSection())
                        .setCodeSection(m.codeSection());
        if (m.digest() != null) {
            b.withDigest(m.digest());
        }
        m.memorySection().ifPresent(b::setMemorySection);
        m.dataCountSection().ifPresent(b::setDataCountSection);
        m.tagSection().ifPresent(b::setTagSection);
        for (CustomSection c : m.customSections()) {
            b.addCustomSection(c.name(), c);
        }
        DataSection.Builder data = DataSection.builder();
        for (DataSegment s : m.dataSection().dataSegments()) {
            data.addDataSegment(s instanceof ActiveDataSegment ? PassiveDataSegment.EMPTY : s);
        }
        b.setDataSection(data.build());
        ElementSection.Builder elements = ElementSection.builder();
        for (Element e : m.elementSection().elements()) {
            elements.addElement(
                    e instanceof ActiveElement ? new PassiveElement(e.type(), List.of()) : e);
        }
        b.setElementSection(elements.build());
        return b.build();
    }
}
