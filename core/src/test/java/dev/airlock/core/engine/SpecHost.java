package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportGlobal;
import com.dylibso.chicory.runtime.ImportMemory;
import com.dylibso.chicory.runtime.ImportTable;
import com.dylibso.chicory.runtime.Store;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;
import com.dylibso.chicory.wasm.types.ValType;
import com.dylibso.chicory.wasm.types.Value;
import dev.airlock.core.engine.memory.CowMemory;
import java.util.List;

/** The {@code spectest} host module of the WebAssembly spec tests. */
final class SpecHost {
    private SpecHost() {}

    /** A store holding a fresh {@code spectest} module. */
    static Store store() {
        Store s = new Store();
        print(s, "print");
        print(s, "print_i32", ValType.I32);
        print(s, "print_i64", ValType.I64);
        print(s, "print_f32", ValType.F32);
        print(s, "print_f64", ValType.F64);
        print(s, "print_i32_f32", ValType.I32, ValType.F32);
        print(s, "print_f64_f64", ValType.F64, ValType.F64);
        s.addGlobal(new ImportGlobal("spectest", "global_i32", new GlobalInstance(Value.i32(666))));
        s.addGlobal(new ImportGlobal("spectest", "global_i64", new GlobalInstance(Value.i64(666))));
        s.addGlobal(
                new ImportGlobal(
                        "spectest", "global_f32", new GlobalInstance(Value.fromFloat(666.6f))));
        s.addGlobal(
                new ImportGlobal(
                        "spectest", "global_f64", new GlobalInstance(Value.fromDouble(666.6))));
        s.addTable(
                new ImportTable(
                        "spectest",
                        "table",
                        new TableInstance(
                                new Table(ValType.FuncRef, new TableLimits(10, 20)),
                                Value.REF_NULL_VALUE)));
        s.addMemory(new ImportMemory("spectest", "memory", new CowMemory(new MemoryLimits(1, 2))));
        return s;
    }

    private static void print(Store s, String name, ValType... params) {
        s.addFunction(
                new HostFunction(
                        "spectest",
                        name,
                        FunctionType.of(List.of(params), List.of()),
                        (inst, args) -> null));
    }
}
