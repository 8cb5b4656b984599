package dev.airlock.core.engine.module;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryImport;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.TableImport;
import com.dylibso.chicory.wasm.types.TableLimits;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleInfo;
import dev.airlock.core.Policy;
import dev.airlock.core.Size;
import dev.airlock.core.split.Splitter;
import java.util.ArrayList;
import java.util.List;

/** Reads a module's shape and checks it against a policy before it may run. */
public final class Inspector {
    private Inspector() {}

    /** Describes a compiled module under a policy. */
    public static ModuleInfo inspect(CompiledModule cm, Policy policy) {
        WasmModule m = cm.module();
        List<ModuleInfo.Export> exports = new ArrayList<>();
        boolean start = false;
        boolean init = false;
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            Export e = m.exportSection().getExport(i);
            exports.add(new ModuleInfo.Export(e.name(), Imports.type(e.exportType())));
            if (e.exportType() == ExternalType.FUNCTION) {
                start |= e.name().equals("_start");
                init |= e.name().equals("_initialize");
            }
        }
        List<ModuleInfo.Limit> memories = new ArrayList<>();
        List<ModuleInfo.Limit> tables = new ArrayList<>();
        for (int i = 0; i < m.importSection().importCount(); i++) {
            Import imp = m.importSection().getImport(i);
            if (imp instanceof MemoryImport) {
                memories.add(limit(true, ((MemoryImport) imp).limits()));
            } else if (imp instanceof TableImport) {
                tables.add(limit(true, ((TableImport) imp).limits()));
            }
        }
        List<ModuleInfo.Import> imports = imports(m, policy);
        m.memorySection()
                .ifPresent(
                        s -> {
                            for (int i = 0; i < s.memoryCount(); i++) {
                                memories.add(limit(false, s.getMemory(i).limits()));
                            }
                        });
        for (int i = 0; i < m.tableSection().tableCount(); i++) {
            tables.add(limit(false, m.tableSection().getTable(i).limits()));
        }
        List<Integer> interpreted = new ArrayList<>(cm.interpretedFunctions());
        interpreted.sort(null);
        List<String> problems = problems(m, policy);
        return new ModuleInfo(
                cm.sha256(),
                cm.size(),
                start ? "command" : init ? "reactor" : "library",
                exports,
                memories,
                tables,
                imports,
                functions(cm),
                cm.compiled(),
                interpreted,
                cm.compileNote(),
                problems.isEmpty(),
                problems);
    }

    /** Every import of {@code m}, with its capability and what {@code policy} does with it. */
    public static List<ModuleInfo.Import> imports(WasmModule m, Policy policy) {
        List<ModuleInfo.Import> imports = new ArrayList<>();
        for (int i = 0; i < m.importSection().importCount(); i++) {
            Import imp = m.importSection().getImport(i);
            imports.add(
                    new ModuleInfo.Import(
                            imp.module(),
                            imp.name(),
                            Imports.type(imp.importType()),
                            Imports.capability(imp, policy),
                            Imports.verdict(m, imp, policy)));
        }
        return imports;
    }

    /** Functions the module defines as loaded, not counting those the splitter added. */
    private static int functions(CompiledModule cm) {
        int n = Splitter.definedFunctions(cm.bytes());
        return n >= 0 ? n : cm.module().functionSection().functionCount();
    }

    /**
     * Why the module cannot run under these limits: unresolved imports, no {@code _start}, initial
     * memory or table above the caps. Empty when it can run.
     */
    public static List<String> problems(WasmModule m, Policy policy) {
        Limits limits = policy.limits();
        List<String> problems = new ArrayList<>(Imports.unresolved(m, policy));
        FunctionType start = null;
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            Export e = m.exportSection().getExport(i);
            if (e.exportType() == ExternalType.FUNCTION && e.name().equals("_start")) {
                start = functionType(m, e.index());
            }
        }
        if (start == null) {
            problems.add("no entry point: the module does not export a _start function");
        } else if (!start.params().isEmpty() || !start.returns().isEmpty()) {
            // called with no arguments, a _start with parameters would fail inside the engine
            problems.add("no entry point: _start must take no parameters and return nothing");
        }
        if (m.memorySection().isPresent()) {
            var s = m.memorySection().get();
            for (int i = 0; i < s.memoryCount(); i++) {
                long initial = (long) s.getMemory(i).limits().initialPages() * Limits.PAGE;
                if (initial > limits.memoryBytes()) {
                    problems.add(
                            "memory "
                                    + i
                                    + ": initial size "
                                    + Size.format(initial)
                                    + " is above the memory limit of "
                                    + Size.format(limits.memoryBytes()));
                }
            }
        }
        for (int i = 0; i < m.tableSection().tableCount(); i++) {
            long initial = m.tableSection().getTable(i).limits().min();
            if (initial > limits.tableElements()) {
                problems.add(
                        "table "
                                + i
                                + ": initial size "
                                + initial
                                + " is above the table limit of "
                                + limits.tableElements());
            }
        }
        return problems;
    }

    private static FunctionType functionType(WasmModule m, int index) {
        int imported = 0;
        for (int i = 0; i < m.importSection().importCount(); i++) {
            Import imp = m.importSection().getImport(i);
            if (imp instanceof FunctionImport) {
                if (imported == index) {
                    return m.typeSection().getType(((FunctionImport) imp).typeIndex());
                }
                imported++;
            }
        }
        return m.functionSection().getFunctionType(index - imported, m.typeSection());
    }

    /** The rejection reason for the first problem, for outcomes. */
    public static String reason(String problem) {
        if (problem.startsWith("import ")) {
            return "unknown-import";
        }
        if (problem.startsWith("no entry point")) {
            return "no-entry-point";
        }
        if (problem.startsWith("memory ")) {
            return "memory";
        }
        return "table";
    }

    private static ModuleInfo.Limit limit(boolean imported, MemoryLimits l) {
        Long max = l.maximumPages() >= MemoryLimits.MAX_PAGES ? null : (long) l.maximumPages();
        return new ModuleInfo.Limit(imported, l.initialPages(), max);
    }

    private static ModuleInfo.Limit limit(boolean imported, TableLimits l) {
        Long max = l.max() >= TableLimits.LIMIT_MAX ? null : l.max();
        return new ModuleInfo.Limit(imported, l.min(), max);
    }
}
