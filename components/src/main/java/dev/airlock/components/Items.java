package dev.airlock.components;

import dev.airlock.components.binary.Ast;
import dev.airlock.components.binary.CoreTypes;
import dev.airlock.components.types.WitType;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the definitions of a component resolve to when it is linked. */
final class Items {
    private Items() {}

    /** An embedded core module. */
    record CoreModule(int id, byte[] bytes, CoreTypes.ModuleShape shape) {}

    /** A core instance. */
    sealed interface CoreInstance permits Instantiated, InlineCore {}

    /** A core module instantiated: one guest instance at run time. */
    static final class Instantiated implements CoreInstance {
        final int id;
        final CoreModule module;
        final Map<String, CoreInstance> args;

        Instantiated(int id, CoreModule module, Map<String, CoreInstance> args) {
            this.id = id;
            this.module = module;
            this.args = args;
        }
    }

    /** A core instance made of other core items. */
    record InlineCore(Map<String, Object> exports) implements CoreInstance {}

    /** A core function, memory, table or global exported by an instantiated module. */
    record CoreExport(Instantiated instance, String name, String kind) {}

    /** A canonical resource built-in (a core function). */
    record Builtin(Ast.CanonKind kind, WitType.Resource resource) {}

    /** A core function lowered from a component function, with its canonical options. */
    record Lowered(Object func, Opts opts) {}

    /** How strings are encoded in a lifted function's memory. */
    enum Encoding {
        UTF8,
        UTF16,
        LATIN1_UTF16
    }

    /** Canonical options of a lifted function; memory, realloc and postReturn may be null. */
    record Opts(Encoding encoding, CoreExport memory, CoreExport realloc, CoreExport postReturn) {}

    /** A component function lifted from a core function. */
    record Lifted(
            CoreExport core, Opts opts, WitType.Func type, WitType.Tuple params, boolean spill) {}

    /** A function the component imports. */
    record ImportedFunc(String path, WitType.Func type) {}

    /** Something else the component imports (a component or core module). */
    record ImportedOther(String path, String what) {}

    /** A component instance: its exports, in order. */
    record Instance(Map<String, Object> exports) {
        Instance {
            exports = new LinkedHashMap<>(exports);
        }
    }

    /** A nested component and the scope it was defined in. */
    record ComponentDef(Ast.Component ast, Linker.Env parent) {}

    /** A function declared in an instance or component type. */
    record FuncDecl(WitType.Func type) {}

    /** An instance type: its declared exports. */
    record InstanceType(Map<String, Object> exports) {}

    /** A component type: its declared imports and exports. */
    record ComponentType(Map<String, Object> imports, Map<String, Object> exports) {}

    /** A core type (only its slot matters). */
    enum CoreType {
        INSTANCE
    }
}
