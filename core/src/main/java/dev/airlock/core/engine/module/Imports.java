package dev.airlock.core.engine.module;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import dev.airlock.core.ClockMode;
import dev.airlock.core.HostImport;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.engine.host.HostImports;
import dev.airlock.core.engine.wasi.SilentLogger;
import dev.airlock.core.engine.wasi.WasiBinding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What Airlock provides to guests, and how each import maps to a capability. */
final class Imports {
    private static final Map<String, FunctionType> WASI = new HashMap<>();

    static {
        try (WasiPreview1 w =
                WasiPreview1.builder()
                        .withLogger(SilentLogger.INSTANCE)
                        .withOptions(WasiOptions.builder().build())
                        .build()) {
            for (HostFunction h : w.toHostFunctions()) {
                WASI.put(h.name(), h.functionType());
            }
        }
    }

    private Imports() {}

    /** Problems that make the module unrunnable: imports that nothing provides. */
    static List<String> unresolved(WasmModule m, Policy p) {
        List<String> problems = new ArrayList<>();
        var section = m.importSection();
        for (int i = 0; i < section.importCount(); i++) {
            Import imp = section.getImport(i);
            String why = unresolvedReason(m, imp, p);
            if (why != null) {
                problems.add(
                        "import "
                                + imp.module()
                                + "."
                                + imp.name()
                                + " ("
                                + type(imp.importType())
                                + "): "
                                + why);
            }
        }
        return problems;
    }

    static String unresolvedReason(WasmModule m, Import imp, Policy p) {
        for (HostImport h : p.hostImports()) {
            if (h.module().equals(imp.module()) && h.name().equals(imp.name())) {
                if (imp.importType() != ExternalType.FUNCTION) {
                    return "granted as a function, imported as " + type(imp.importType());
                }
                FunctionType have = m.typeSection().getType(((FunctionImport) imp).typeIndex());
                FunctionType want = HostImports.type(h);
                return want.equals(have)
                        ? null
                        : "signature " + have + " does not match the granted " + want;
            }
        }
        if (!imp.module().equals(WasiBinding.MODULE)) {
            return "no such host module '"
                    + imp.module()
                    + "' (Airlock provides "
                    + WasiBinding.MODULE
                    + ")";
        }
        if (imp.importType() != ExternalType.FUNCTION) {
            return "only functions are provided";
        }
        FunctionType want = WASI.get(imp.name());
        if (want == null) {
            return "not a WASI preview 1 function";
        }
        FunctionType have = m.typeSection().getType(((FunctionImport) imp).typeIndex());
        if (!want.equals(have)) {
            return "signature " + have + " does not match WASI's " + want;
        }
        return null;
    }

    static String type(ExternalType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    static String capability(Import imp, Policy p) {
        if (!imp.module().equals(WasiBinding.MODULE)) {
            for (HostImport h : p.hostImports()) {
                if (h.module().equals(imp.module()) && h.name().equals(imp.name())) {
                    return "host";
                }
            }
            return "unknown";
        }
        String n = imp.name();
        if (n.startsWith("fd_") || n.startsWith("path_")) {
            return "files";
        }
        if (n.startsWith("environ_") || n.startsWith("args_")) {
            return "environment";
        }
        if (n.startsWith("clock_") || n.equals("poll_oneoff")) {
            return "clock";
        }
        if (n.equals("random_get")) {
            return "random";
        }
        if (n.startsWith("proc_") || n.equals("sched_yield")) {
            return "process";
        }
        if (n.startsWith("sock_")) {
            return "sockets";
        }
        return "unknown";
    }

    static String verdict(WasmModule m, Import imp, Policy p) {
        String why = unresolvedReason(m, imp, p);
        if (why != null) {
            return "rejected: " + why;
        }
        String n = imp.name();
        switch (capability(imp, p)) {
            case "files":
                if (p.mounts().isEmpty()) {
                    return "allowed (stdio only; no mounts)";
                }
                return "allowed (" + p.mounts().size() + " mount(s))";
            case "environment":
                if (n.startsWith("environ_") && p.env().isEmpty()) {
                    return "denied (env.none: empty environment)";
                }
                return n.startsWith("environ_")
                        ? "allowed (" + p.env().size() + " variable(s))"
                        : "allowed";
            case "clock":
                if (n.equals("poll_oneoff")) {
                    return "allowed (waits only; counts against the timeout)";
                }
                return p.clock() == ClockMode.DENY
                        ? "denied (clock.deny)"
                        : "allowed (" + p.clock().name().toLowerCase(Locale.ROOT) + ")";
            case "random":
                return p.random().kind() == RandomMode.Kind.DENY
                        ? "denied (random.deny)"
                        : "allowed (" + p.random().kind().name().toLowerCase(Locale.ROOT) + ")";
            case "process":
                return n.equals("proc_raise") ? "denied (process.signal)" : "allowed";
            case "sockets":
                return "denied (net.sockets)";
            case "host":
                for (HostImport h : p.hostImports()) {
                    if (h.module().equals(imp.module()) && h.name().equals(imp.name())) {
                        String v = h.handler().verdict();
                        return v == null ? "allowed" : v;
                    }
                }
                return "allowed";
            default:
                return "allowed";
        }
    }
}
