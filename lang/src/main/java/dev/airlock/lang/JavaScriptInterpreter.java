package dev.airlock.lang;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.CallResult;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.HostImport.ValueType;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.LinkedImport;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.Tool;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * QuickJS through the Javy plugin module shipped with {@code io.roastedroot:quickjs4j}: a reactor
 * exporting {@code compileSrc} (source to QuickJS bytecode) and {@code invoke} (evaluate bytecode
 * as a module), with host calls through one import, {@code chicory.invoke(module, function,
 * argsJson)} returning JSON. Airlock links that import to its tool bridge and evaluates each
 * snippet with a direct {@code eval} inside a function made by the previous snippet (see the
 * prelude), so every top-level declaration, {@code let}, {@code const} and {@code class} included,
 * persists in a session, and an uncaught exception is printed and reported instead of trapping.
 *
 * <p>QuickJS under Javy has no file or network API; files in the session's filesystem are for the
 * host side (upload, download) and for tools.
 */
final class JavaScriptInterpreter extends Interpreter {
    private static final String META = "/io/roastedroot/quickjs4j/core/JavyPluginModule.meta";
    private static final String MACHINE = "io.roastedroot.quickjs4j.core.JavyPluginModuleMachine";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The status the running snippet reported, set on the guest's thread. */
    private static final ThreadLocal<int[]> STATUS = new ThreadLocal<>();

    JavaScriptInterpreter() {
        super(META, MACHINE);
    }

    @Override
    Language language() {
        return Language.JAVASCRIPT;
    }

    @Override
    InstanceSetup.Builder setup() {
        List<ValueType> six =
                List.of(
                        ValueType.I32,
                        ValueType.I32,
                        ValueType.I32,
                        ValueType.I32,
                        ValueType.I32,
                        ValueType.I32);
        return InstanceSetup.builder()
                .singleRoot(true)
                .directory(WORKSPACE)
                .memoryUpToLimit(true)
                .link(
                        new LinkedImport(
                                "chicory",
                                "invoke",
                                six,
                                List.of(ValueType.I32),
                                JavaScriptInterpreter::bridge));
    }

    /** {@code chicory.invoke}: the prelude's calls to the host. */
    private static long[] bridge(GuestAccess guest, long[] a) {
        String module = string(guest, a[0], a[1], 256);
        String function = string(guest, a[2], a[3], 256);
        String answer;
        if ((int) a[5] < 0 || (int) a[5] > Tool.MAX_REQUEST_BYTES) {
            answer = "{\"ok\":false,\"error\":\"tool request too large (at most 1MiB)\"}";
        } else if ("airlock".equals(module) && "status".equals(function)) {
            int[] holder = STATUS.get();
            if (holder != null) {
                holder[0] = statusOf(string(guest, a[4], a[5], 64));
            }
            answer = "null";
        } else if ("airlock".equals(module) && "call".equals(function)) {
            answer = call(guest, string(guest, a[4], a[5], Tool.MAX_REQUEST_BYTES));
        } else {
            answer = "{\"ok\":false,\"error\":\"no such host function\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        int p = (int) guest.callExport("canonical_abi_realloc", 0, 0, 1, bytes.length)[0];
        guest.writeBytes(p, bytes);
        int wide = (int) guest.callExport("canonical_abi_realloc", 0, 0, 4, 8)[0];
        guest.writeInt(wide, p);
        guest.writeInt(wide + 4, bytes.length);
        return new long[] {wide};
    }

    private static String call(GuestAccess guest, String argsJson) {
        try {
            JsonNode args = JSON.readTree(argsJson);
            if (args == null || !args.isArray() || args.size() != 2 || !args.get(0).isTextual()) {
                return "{\"ok\":false,\"error\":\"malformed tool request\"}";
            }
            return guest.callTool(args.get(0).asText(), JSON.writeValueAsString(args.get(1)));
        } catch (java.io.IOException e) {
            return "{\"ok\":false,\"error\":\"malformed tool request\"}";
        }
    }

    private static int statusOf(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return n != null && n.isArray() && n.size() == 1 ? n.get(0).asInt(1) : 1;
        } catch (java.io.IOException e) {
            return 1;
        }
    }

    private static String string(GuestAccess guest, long ptr, long len, int max) {
        int n = (int) Math.min(Math.max(len, 0), max);
        return new String(guest.readBytes(ptr, n), StandardCharsets.UTF_8);
    }

    @Override
    void prepare(GuestInstance instance, Policy policy) throws ModuleRejectedException {
        CallResult init = instance.call("initialize_runtime", Stdio.discard());
        if (init.outcome().status() != Status.OK) {
            throw new ModuleRejectedException(
                    "instantiation",
                    "QuickJS failed to start: " + init.outcome().message(),
                    instance.moduleSha256());
        }
        String prelude =
                new String(
                        resource(JavaScriptInterpreter.class, "prelude.js"),
                        StandardCharsets.UTF_8);
        Outcome o = evaluate(instance, prelude, Stdio.discard(), new int[] {0});
        if (o.status() != Status.OK) {
            throw new ModuleRejectedException(
                    "instantiation",
                    "the JavaScript prelude failed: " + o.message(),
                    instance.moduleSha256());
        }
    }

    @Override
    void configure(GuestInstance instance, Policy policy) {
        // QuickJS under Javy has no process.env: nothing to apply
    }

    @Override
    Outcome exec(GuestInstance instance, String code, Stdio stdio) {
        String wrapped;
        try {
            wrapped = "__airlock_run(" + JSON.writeValueAsString(code) + ");\n";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        int[] status = {1};
        Outcome o = evaluate(instance, wrapped, stdio, status);
        return withStatus(o, status[0]);
    }

    /** Compiles and evaluates source as a module; {@code status} gets what it reports. */
    private static Outcome evaluate(
            GuestInstance instance, String source, Stdio stdio, int[] status) {
        byte[] src = source.getBytes(StandardCharsets.UTF_8);
        CallResult r =
                instance.call(
                        stdio,
                        guest -> {
                            STATUS.set(status);
                            try {
                                int p =
                                        (int)
                                                guest.callExport(
                                                                "canonical_abi_realloc",
                                                                0,
                                                                0,
                                                                1,
                                                                src.length)[0];
                                guest.writeBytes(p, src);
                                int compiled =
                                        (int) guest.callExport("compileSrc", p, src.length)[0];
                                guest.callExport("canonical_abi_free", p, src.length, 1);
                                int code = guest.readInt(compiled);
                                int length = guest.readInt(compiled + 4);
                                guest.callExport("invoke", code, length, 0, 0);
                                guest.callExport("canonical_abi_free", code, length, 1);
                                return new long[0];
                            } finally {
                                STATUS.remove();
                            }
                        });
        return r.outcome();
    }
}
