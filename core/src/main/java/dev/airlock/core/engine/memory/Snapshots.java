package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.GlobalFactory;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;
import dev.airlock.core.Limits;
import dev.airlock.core.Snapshot;
import dev.airlock.core.engine.module.CompiledModule;
import java.util.List;

/** Builds instances, fresh or from a snapshot, and captures them. */
public final class Snapshots {
    private static final int PAGE = (int) Limits.PAGE;
    private static final int CHUNK = Snapshot.CHUNK_BYTES;

    private Snapshots() {}

    /**
     * A new instance of the module (with {@code globals} making its own globals, if given) with the
     * policy's memory and table caps and {@code _start} not called; from a snapshot, memory,
     * globals and tables are then overwritten with the captured ones. A restore instantiates the
     * module's {@linkplain RestoreModules restore form} (no start function, no data to copy) with
     * an empty memory that then adopts the snapshot's chunks copy-on-write: nothing is copied and
     * no guest code runs. With {@code upToLimit} the memory may grow to the policy's limit even
     * where the module declares a smaller maximum.
     */
    public static Instance build(
            CompiledModule cm,
            Limits limits,
            HostFunction[] functions,
            Snapshot from,
            GlobalFactory globals,
            boolean upToLimit) {
        int capPages = limits.memoryPages();
        int capTable = limits.tableElements();
        int snapPages = from == null ? 0 : (int) (from.memoryBytes() / Limits.PAGE);
        if (from != null && snapPages > capPages) {
            throw new IllegalArgumentException(
                    "the snapshot's memory is above the memory limit ("
                            + from.memoryBytes()
                            + " bytes)");
        }
        boolean lean = from != null && cm.module().memorySection().isPresent();
        Instance.Builder builder = Instance.builder(lean ? RestoreModules.of(cm) : cm.module());
        if (globals != null) {
            builder.withGlobalFactory(globals);
        }
        Instance inst =
                builder.withImportValues(ImportValues.builder().addFunction(functions).build())
                        .withMachineFactory(cm.machineFactory())
                        .withMemoryFactory(
                                l ->
                                        memory(
                                                new MemoryLimits(
                                                        lean
                                                                ? 0
                                                                : Math.max(
                                                                        l.initialPages(),
                                                                        snapPages),
                                                        upToLimit
                                                                ? capPages
                                                                : Math.min(
                                                                        l.maximumPages(), capPages),
                                                        l.shared())))
                        .withTableFactory(
                                (t, init) ->
                                        new CappedTable(
                                                new Table(
                                                        t.elementType(),
                                                        new TableLimits(
                                                                t.limits().min(),
                                                                Math.min(
                                                                        t.limits().max(),
                                                                        capTable))),
                                                init))
                        .withStart(false) // _start is the caller's to call
                        .build();
        if (from != null) {
            if (lean && snapPages > inst.memory().maximumPages()) {
                throw new IllegalArgumentException(
                        "the snapshot's memory is above the module's maximum");
            }
            restore(inst, from);
        } else if (inst.memory() instanceof CowMemory) {
            // nothing to share: flat from the guest's first load or store (whose code then never
            // meets a memory changing mode under it, as short runs did, 1.3-1.8x slower)
            ((CowMemory) inst.memory()).flatSoon();
        }
        return inst;
    }

    /** Copy-on-write memory, except for a shared memory (threads), which gets Chicory's own. */
    private static Memory memory(MemoryLimits limits) {
        return limits.shared() ? new ByteArrayMemory(limits) : new CowMemory(limits);
    }

    private static void restore(Instance inst, Snapshot from) {
        Memory m = inst.memory();
        byte[][] pages = from.chunksShared();
        if (m == null) {
            if (pages.length != 0) {
                throw new IllegalArgumentException("snapshot memory does not fit the module");
            }
        } else if (m instanceof CowMemory && m.pages() == 0) {
            ((CowMemory) m).adopt(pages); // shared until the guest writes a page
        } else if ((long) m.pages() * PAGE == from.memoryBytes()) {
            for (int i = 0; i < pages.length; i++) {
                m.write(i * CHUNK, pages[i], 0, CHUNK);
            }
        } else {
            throw new IllegalArgumentException("snapshot memory does not fit the module");
        }
        long[] g = from.globals();
        if (g.length != 2 * inst.globalCount()) {
            throw new IllegalArgumentException("snapshot globals do not fit the module");
        }
        for (int i = 0; i < inst.globalCount(); i++) {
            GlobalInstance gi = inst.global(i);
            gi.setValueLow(g[2 * i]);
            gi.setValueHigh(g[2 * i + 1]);
        }
        int[][] tables = from.tables();
        if (tables.length != inst.tableCount()) {
            throw new IllegalArgumentException("snapshot tables do not fit the module");
        }
        for (int i = 0; i < tables.length; i++) {
            TableInstance t = inst.table(i);
            if (tables[i].length > t.size() && t.grow(tables[i].length - t.size(), -1, inst) < 0) {
                throw new IllegalArgumentException("snapshot table does not fit the module");
            }
            for (int j = 0; j < tables[i].length; j++) {
                t.setRef(j, tables[i][j], inst);
            }
        }
    }

    /**
     * Empties the instance's memory for good, its flat array kept for another memory (see {@link
     * CowMemory#release()}): only once no thread will run the instance's code or read its memory
     * again.
     */
    public static void release(Instance inst) {
        Memory m = inst == null ? null : inst.memory();
        if (m instanceof CowMemory) {
            ((CowMemory) m).release();
        }
    }

    public static Snapshot capture(String sha, Instance inst, List<Snapshot.Entry> files) {
        Memory m = inst.memory();
        byte[][] mem;
        if (m == null) {
            mem = new byte[0][];
        } else if (m instanceof CowMemory) {
            mem = ((CowMemory) m).share(); // the instance copies a page on its next write
        } else {
            mem = new byte[m.pages() * (PAGE / CHUNK)][];
            for (int i = 0; i < mem.length; i++) {
                mem[i] = m.readBytes(i * CHUNK, CHUNK);
            }
        }
        long[] g = new long[2 * inst.globalCount()];
        for (int i = 0; i < inst.globalCount(); i++) {
            GlobalInstance gi = inst.global(i);
            g[2 * i] = gi.getValueLow();
            g[2 * i + 1] = gi.getValueHigh();
        }
        int[][] tables = new int[inst.tableCount()][];
        for (int i = 0; i < tables.length; i++) {
            TableInstance t = inst.table(i);
            int[] refs = new int[t.size()];
            for (int j = 0; j < refs.length; j++) {
                refs[j] = t.ref(j);
            }
            tables[i] = refs;
        }
        return new Snapshot(sha, mem, g, tables, files);
    }

    /**
     * A table whose {@code table.grow} fails with -1 for any growth past its maximum. Chicory's own
     * check adds the delta to the size in {@code int} arithmetic, so a delta near 2^31 overflowed
     * and ended the run as an internal trap instead of failing as WebAssembly specifies.
     */
    private static final class CappedTable extends TableInstance {
        CappedTable(Table table, int initialValue) {
            super(table, initialValue);
        }

        @Override
        public int grow(int size, int value, Instance instance) {
            if (size < 0 || (long) size() + size > limits().max()) {
                return -1;
            }
            return super.grow(size, value, instance);
        }
    }
}
