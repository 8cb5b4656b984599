package dev.airlock.core.engine.module;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.CodeSection;
import com.dylibso.chicory.wasm.types.CustomSection;
import com.dylibso.chicory.wasm.types.DataCountSection;
import com.dylibso.chicory.wasm.types.DataSection;
import com.dylibso.chicory.wasm.types.ElementSection;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.FunctionSection;
import com.dylibso.chicory.wasm.types.GlobalSection;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.MemorySection;
import com.dylibso.chicory.wasm.types.Section;
import com.dylibso.chicory.wasm.types.StartSection;
import com.dylibso.chicory.wasm.types.TableSection;
import com.dylibso.chicory.wasm.types.TagSection;
import com.dylibso.chicory.wasm.types.TypeSection;
import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * Parses a module taken from the disk cache, which was validated before it was compiled and is read
 * only from the user's private folder: without validating it again, and, when every function is
 * compiled (none runs in the interpreter), without decoding its code section, which is most of the
 * work and which compiled code never reads. Each function then has an empty body in the parsed
 * module.
 */
final class CachedModules {
    private static final int CODE = 10;
    private static final int LAST_SECTION = 13;
    private static final FunctionBody NO_BODY = new FunctionBody(List.of(), List.of());

    private CachedModules() {}

    static WasmModule parse(byte[] bytes, boolean allCompiled) {
        Parser.Builder p = Parser.builder().withValidation(false);
        if (!allCompiled) {
            return p.build().parse(() -> new ByteArrayInputStream(bytes));
        }
        for (int id = 0; id <= LAST_SECTION; id++) {
            if (id != CODE) {
                p.includeSectionId(id);
            }
        }
        WasmModule.Builder b = WasmModule.builder().withValidation(false);
        int[] functions = {0};
        boolean[] dataCount = {false};
        p.build()
                .parse(
                        new ByteArrayInputStream(bytes),
                        section -> {
                            if (section instanceof FunctionSection) {
                                functions[0] = ((FunctionSection) section).functionCount();
                            } else if (section instanceof DataCountSection) {
                                dataCount[0] = true;
                            }
                            add(b, section);
                        });
        CodeSection.Builder code = CodeSection.builder().setRequiresDataCount(dataCount[0]);
        for (int i = 0; i < functions[0]; i++) {
            code.addFunctionBody(NO_BODY);
        }
        b.setCodeSection(code.build());
        return b.build();
    }

    private static void add(WasmModule.Builder b, Section s) {
        if (s instanceof TypeSection) {
            b.setTypeSection((TypeSection) s);
        } else if (s instanceof ImportSection) {
            b.setImportSection((ImportSection) s);
        } else if (s instanceof FunctionSection) {
            b.setFunctionSection((FunctionSection) s);
        } else if (s instanceof TableSection) {
            b.setTableSection((TableSection) s);
        } else if (s instanceof MemorySection) {
            b.setMemorySection((MemorySection) s);
        } else if (s instanceof GlobalSection) {
            b.setGlobalSection((GlobalSection) s);
        } else if (s instanceof ExportSection) {
            b.setExportSection((ExportSection) s);
        } else if (s instanceof StartSection) {
            b.setStartSection((StartSection) s);
        } else if (s instanceof ElementSection) {
            b.setElementSection((ElementSection) s);
        } else if (s instanceof DataSection) {
            b.setDataSection((DataSection) s);
        } else if (s instanceof DataCountSection) {
            b.setDataCountSection((DataCountSection) s);
        } else if (s instanceof TagSection) {
            b.setTagSection((TagSection) s);
        } else if (s instanceof CustomSection) {
            b.addCustomSection(((CustomSection) s).name(), (CustomSection) s);
        }
    }
}
