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
 * compiled (none runs in the interpreter), without its code section, which is most of the work and
 * which compiled code never reads, nor its custom sections (names and the like, which only the
 * interpreter's stack traces read). Each function then has an empty body in the parsed module.
 */
final class CachedModules {
    private static final int CUSTOM = 0;
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
            if (id != CODE && id != CUSTOM) {
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

    /**
     * What the cache keeps of a module whose functions are all compiled: the module without its
     * code and custom sections, which {@link #parse} then does not read (a third of CPython's
     * bytes, read and inflated at every start otherwise). Bytes whose sections cannot be walked are
     * kept whole.
     */
    static byte[] strip(byte[] module) {
        if (module.length < 8) {
            return module;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(module.length);
        out.write(module, 0, 8);
        int at = 8;
        while (at < module.length) {
            int id = module[at] & 0xFF;
            long size = 0;
            int shift = 0;
            int p = at + 1;
            while (true) {
                if (p >= module.length || shift > 28) {
                    return module;
                }
                int b = module[p++] & 0xFF;
                size |= (long) (b & 0x7F) << shift;
                shift += 7;
                if (b < 0x80) {
                    break;
                }
            }
            long end = p + size;
            if (end > module.length) {
                return module;
            }
            if (id != CODE && id != CUSTOM) {
                out.write(module, at, (int) (end - at));
            }
            at = (int) end;
        }
        return out.toByteArray();
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
