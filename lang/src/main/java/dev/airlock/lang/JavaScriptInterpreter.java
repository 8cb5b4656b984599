package dev.airlock.lang;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.airlock.core.net.EgressGate;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * QuickJS 2025-04-26 built by Airlock itself ({@code runtimes/quickjs}): a WASI reactor whose
 * driver evaluates each snippet as a global script, so that every top-level declaration, {@code
 * let}, {@code const} and {@code class} included, persists in a session, then runs promise jobs and
 * timers until none is left, and prints an uncaught exception like Node. Its prelude (compiled into
 * the module) adds Node's console formatting, timers, {@code URL}, {@code TextEncoder}, {@code
 * crypto}, {@code structuredClone} and the tool bridge, {@code airlock.call(tool, args)}, which
 * reaches the host through the module's one import, {@code airlock_js.call} (not in module {@code
 * airlock}, whose functions the engine mediates as tools).
 *
 * <p>The module is plain WebAssembly: the engine compiles it on first load (splitting its largest
 * functions) and caches the result like any module's. There is no file API, and the network only
 * through {@code fetch()} (tool request {@code net:request}); files in the session's filesystem are
 * for the host side (upload, download) and for tools.
 */
final class JavaScriptInterpreter extends Interpreter {
    static final String MODULE = "/dev/airlock/lang/js/airlock-js.wasm";

    JavaScriptInterpreter() {
        super(MODULE, null);
    }

    @Override
    Language language() {
        return Language.JAVASCRIPT;
    }

    @Override
    InstanceSetup.Builder setup() {
        return InstanceSetup.builder()
                .singleRoot(true)
                .directory(WORKSPACE)
                .memoryUpToLimit(true)
                .link(
                        new LinkedImport(
                                "airlock_js",
                                "call",
                                List.of(ValueType.I32, ValueType.I32),
                                List.of(ValueType.I32),
                                JavaScriptInterpreter::bridge));
    }

    /**
     * {@code airlock_js.call(ptr, len) -> answer}: a tool request, the JSON {@code [name, args]};
     * the answer is a block allocated in the guest, {@code [u32 length][JSON]}, that the guest
     * frees.
     */
    private static long[] bridge(GuestAccess guest, long[] a) {
        String answer;
        if ((int) a[1] < 0 || (int) a[1] > guest.maxToolRequestBytes() + 1024) {
            // a network request may be as long as its body limit allows, a tool's 1 MiB
            answer =
                    "{\"ok\":false,\"error\":\"request too large (more than "
                            + guest.maxToolRequestBytes()
                            + " bytes: a tool's request is at most 1MiB, a network request's body"
                            + " at most the run's request byte limit)\"}";
        } else {
            byte[] request = guest.readBytes(a[0], (int) a[1]);
            answer = call(guest, new String(request, StandardCharsets.UTF_8));
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        int p = (int) guest.callExport("alloc", 4 + bytes.length)[0];
        if (p == 0) {
            return new long[] {0};
        }
        guest.writeInt(p, bytes.length);
        guest.writeBytes(p + 4, bytes);
        return new long[] {p};
    }

    private static String call(GuestAccess guest, String argsJson) {
        try {
            JsonNode args = Json.MAPPER.readTree(argsJson);
            if (args == null || !args.isArray() || args.size() != 2 || !args.get(0).isTextual()) {
                return "{\"ok\":false,\"error\":\"malformed tool request\"}";
            }
            String name = args.get(0).asText();
            JsonNode rest = args.get(1);
            // a network request (fetch) is its wire text, passed as it is
            return guest.callTool(
                    name,
                    EgressGate.DEVICE_NAME.equals(name) && rest.isTextual()
                            ? rest.asText()
                            : Json.MAPPER.writeValueAsString(rest));
        } catch (java.io.IOException e) {
            return "{\"ok\":false,\"error\":\"malformed tool request\"}";
        }
    }

    @Override
    void prepare(GuestInstance instance, Policy policy) throws ModuleRejectedException {
        int[] status = {1};
        CallResult init =
                instance.call(
                        Stdio.discard(),
                        guest -> {
                            status[0] = (int) guest.callExport("init")[0];
                            return new long[0];
                        });
        if (init.outcome().status() != Status.OK || status[0] != 0) {
            throw new ModuleRejectedException(
                    "instantiation",
                    "QuickJS failed to start: "
                            + (status[0] != 0 ? "init failed" : init.outcome().message()),
                    instance.moduleSha256());
        }
    }

    /** Puts the policy's environment into {@code process.env}. */
    @Override
    void configure(GuestInstance instance, Policy policy) {
        exec(instance, Program.of(PortableScripts.environment(policy.env())), Stdio.discard());
    }

    @Override
    Outcome exec(GuestInstance instance, Program program, Stdio stdio) {
        byte[] src = program.code().getBytes(StandardCharsets.UTF_8);
        int[] status = {1};
        CallResult r =
                instance.call(
                        stdio,
                        guest -> {
                            int p = (int) guest.callExport("alloc", src.length + 1)[0];
                            if (p == 0) {
                                throw new IllegalStateException("the interpreter is out of memory");
                            }
                            guest.writeBytes(p, src);
                            guest.writeBytes(p + src.length, new byte[1]);
                            status[0] = (int) guest.callExport("eval", p, src.length)[0];
                            guest.callExport("free", p);
                            return new long[0];
                        });
        return withStatus(r.outcome(), status[0]);
    }
}
