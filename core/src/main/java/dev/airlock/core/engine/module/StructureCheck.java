package dev.airlock.core.engine.module;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.ActiveElement;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.Element;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.Global;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validation rules of WebAssembly 2.0 that Chicory's validator leaves out, checked after parsing:
 * unique export names, export and import type indices in range, a single memory, and constant
 * expressions that read only imported globals.
 */
final class StructureCheck {
    private StructureCheck() {}

    /**
     * @return the first violation, or {@code null} if there is none
     */
    static String violation(WasmModule m) {
        var imports = m.importSection();
        int types = m.typeSection().subTypeCount();
        int importedGlobals = imports.count(ExternalType.GLOBAL);
        for (int i = 0; i < imports.importCount(); i++) {
            Import imp = imports.getImport(i);
            if (imp instanceof FunctionImport && ((FunctionImport) imp).typeIndex() >= types) {
                return "import "
                        + imp.module()
                        + "."
                        + imp.name()
                        + " uses unknown type "
                        + ((FunctionImport) imp).typeIndex();
            }
        }
        int memories =
                imports.count(ExternalType.MEMORY)
                        + m.memorySection().map(s -> s.memoryCount()).orElse(0);
        if (memories > 1) {
            return "multiple memories (" + memories + ") are not supported";
        }
        int functions = imports.count(ExternalType.FUNCTION) + m.functionSection().functionCount();
        int tables = imports.count(ExternalType.TABLE) + m.tableSection().tableCount();
        int globals = importedGlobals + m.globalSection().globalCount();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < m.exportSection().exportCount(); i++) {
            Export e = m.exportSection().getExport(i);
            if (!names.add(e.name())) {
                return "duplicate export name \"" + e.name() + "\"";
            }
            int limit;
            switch (e.exportType()) {
                case FUNCTION:
                    limit = functions;
                    break;
                case TABLE:
                    limit = tables;
                    break;
                case MEMORY:
                    limit = memories;
                    break;
                case GLOBAL:
                    limit = globals;
                    break;
                default:
                    limit = Integer.MAX_VALUE;
                    break;
            }
            if (e.index() < 0 || e.index() >= limit) {
                return "export \""
                        + e.name()
                        + "\" refers to unknown "
                        + Imports.type(e.exportType())
                        + " "
                        + e.index();
            }
        }
        for (Global g : m.globalSection().globals()) {
            String v = constExpr(g.initInstructions(), importedGlobals, "global initializer");
            if (v != null) {
                return v;
            }
        }
        for (DataSegment d : m.dataSection().dataSegments()) {
            if (d instanceof ActiveDataSegment) {
                String v =
                        constExpr(
                                ((ActiveDataSegment) d).offsetInstructions(),
                                importedGlobals,
                                "data offset");
                if (v != null) {
                    return v;
                }
            }
        }
        for (Element el : m.elementSection().elements()) {
            if (el instanceof ActiveElement) {
                String v =
                        constExpr(((ActiveElement) el).offset(), importedGlobals, "element offset");
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    private static String constExpr(List<Instruction> expr, int importedGlobals, String where) {
        for (Instruction ins : expr) {
            if (ins.opcode() == OpCode.GLOBAL_GET
                    && ins.operands().length > 0
                    && ins.operands()[0] >= importedGlobals) {
                return where
                        + " reads global "
                        + ins.operands()[0]
                        + ", which is not imported (unknown global in a constant expression)";
            }
        }
        return null;
    }
}
