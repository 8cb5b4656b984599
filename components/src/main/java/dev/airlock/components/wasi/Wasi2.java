package dev.airlock.components.wasi;

import dev.airlock.components.abi.AbiTrap;
import dev.airlock.components.types.WitType;
import dev.airlock.core.ClockMode;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.LinkedImport;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * WASI 0.2 (any {@code 0.2.x}) for components, over the instance's WASI preview 1: every call is
 * made as the preview 1 call it amounts to, through the mediation point, so a component gets the
 * same policy, limits, files and audit as a module (its own call is audited too, as a linked host
 * call). Interfaces: {@code wasi:cli} (environment, exit, stdin, stdout, stderr, terminal-*),
 * {@code wasi:io} (error, poll, streams), {@code wasi:clocks} (wall-clock, monotonic-clock), {@code
 * wasi:random} (random, insecure, insecure-seed) and {@code wasi:filesystem} (types, preopens);
 * {@code wasi:sockets} is never granted, and clocks and randomness not when the policy denies them.
 */
public final class Wasi2 {
    /** One function, called with its core arguments. */
    interface Impl {
        long[] call(Call c, long[] args) throws Sys.Errno;
    }

    private static final Map<String, Impl> FUNCTIONS = new HashMap<>();

    static {
        Io.register(FUNCTIONS);
        Fs.register(FUNCTIONS);
        Http.register(FUNCTIONS);
        FUNCTIONS.put("airlock:tools/call#call", Wasi2::callTool);
    }

    private static final Set<String> RESOURCE_ONLY =
            Set.of("wasi:cli/terminal-input", "wasi:cli/terminal-output");

    private Wasi2() {}

    /** The interface without its version, when the version is 0.2.x; else null. */
    static String unversioned(String iface) {
        int at = iface.indexOf('@');
        if (at < 0) {
            return null;
        }
        boolean wasi = iface.startsWith("wasi:") && iface.startsWith("0.2.", at + 1);
        boolean tools = iface.startsWith(TOOLS + "@") && iface.startsWith("0.1.", at + 1);
        return wasi || tools ? iface.substring(0, at) : null;
    }

    /**
     * Airlock's own interface for host tools: {@code call: func(name: string, arguments: string) ->
     * result<string, string>} calls a tool the policy grants with JSON arguments, through the
     * mediation point (rule {@code tool.not-granted} otherwise), and answers its JSON result or the
     * error's message.
     */
    public static final String TOOLS = "airlock:tools/call";

    /**
     * Why the policy does not grant an imported interface, or null when it does. Interfaces outside
     * WASI 0.2 are not supplied at all.
     */
    public static String refusal(String iface, Policy policy) {
        String name = unversioned(iface);
        if (name == null) {
            return "component import '" + iface + "' is not supplied";
        }
        if (name.equals(TOOLS)) {
            return null;
        }
        if (name.startsWith("wasi:sockets/")) {
            return "component import '" + iface + "' is not granted (no sockets)";
        }
        if (name.startsWith("wasi:clocks/") && policy.clock() == ClockMode.DENY) {
            return "component import '" + iface + "' is not granted (the policy denies the clock)";
        }
        if (name.startsWith("wasi:random/") && policy.random().kind() == RandomMode.Kind.DENY) {
            return "component import '" + iface + "' is not granted (the policy denies randomness)";
        }
        if (RESOURCE_ONLY.contains(name)) {
            return null;
        }
        String prefix = name + "#";
        for (String k : FUNCTIONS.keySet()) {
            if (k.startsWith(prefix)) {
                return null;
            }
        }
        return "component import '" + iface + "' is not supplied";
    }

    /** Whether a lowered function ({@code INTERFACE#NAME}) is implemented. */
    public static boolean supports(String path) {
        return impl(path) != null;
    }

    private static Impl impl(String path) {
        int hash = path.indexOf('#');
        String iface = hash < 0 ? null : unversioned(path.substring(0, hash));
        return iface == null ? null : FUNCTIONS.get(iface + path.substring(hash));
    }

    /**
     * The host side of a lowered function.
     *
     * @param realloc the guest export that allocates for returned lists and strings, or null
     * @throws IllegalArgumentException if the function is not {@linkplain #supports supported}
     */
    public static LinkedImport.Handler handler(
            String path, WitType.Func type, String realloc, Call.Handles handles, HostState state) {
        Impl impl = impl(path);
        if (impl == null) {
            throw new IllegalArgumentException("not supported: " + path);
        }
        return (GuestAccess guest, long[] args) -> {
            Call c = new Call(guest, realloc, handles, state, type);
            try {
                return impl.call(c, args);
            } catch (Sys.Errno e) {
                throw new AbiTrap(path + " failed with WASI errno " + e.errno);
            }
        };
    }

    private static long[] callTool(Call c, long[] a) {
        String name = c.string(a[0], a[1]);
        String args = c.string(a[2], a[3]);
        String envelope = c.tool(name, args);
        boolean ok;
        String text;
        try {
            com.fasterxml.jackson.databind.JsonNode n =
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(envelope);
            ok = n.path("ok").asBoolean();
            text = ok ? n.path("result").toString() : n.path("error").asText("tool failed");
        } catch (java.io.IOException e) {
            ok = false;
            text = "malformed tool answer";
        }
        c.u8(a[4], ok ? 0 : 1);
        c.string(a[4] + 4, text);
        return null;
    }

    /** Releases a dropped host resource (closes a descriptor it opened). */
    public static void drop(HostState state, int rep, GuestAccess guest) {
        Object o = state.drop(rep);
        if (o instanceof HostState.Descriptor d && !d.preopen()) {
            guest.preview1().call("fd_close", d.fd());
        }
    }
}
