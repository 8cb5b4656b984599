package dev.airlock.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.airlock.core.Policy;
import dev.airlock.core.PortableModule;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code POST /v1/executions/portable}: a wasm execution request as a browser runs it under the
 * same policy (the console's "run in this browser", {@code airlock-web.js}). Either {@code refused}
 * is set (the server would refuse the run before it starts: same kind and message as its outcome)
 * or {@code module} is.
 *
 * @param sha256 the SHA-256 of the module as sent, null if it could not be read
 * @param module the module to instantiate, base64: with a fuel budget the metered module the server
 *     runs, its fuel global starting at the budget and exported as {@code fuel.export}
 * @param argv the guest's arguments, program name first
 * @param env the environment variables it sees
 * @param stdin its standard input, as text
 * @param files files seeded under {@code /workspace}, in one preopened directory {@code /} (absent:
 *     no preopened directory at all)
 * @param clock {@code real} (milliseconds), {@code frozen} (wall clock 2000-01-01T00:00:00Z,
 *     monotonic clock 0) or {@code deny}
 * @param random {@code real}, {@code seeded} or {@code deny}
 * @param limits the limits that apply (timeoutMs, memoryBytes, maxOutputBytes, fuel)
 * @param fuel how to count fuel, null without a budget
 * @param program for a JavaScript snippet, what to evaluate with QuickJS's reactor ({@code
 *     module}); null for a WASI command, whose {@code _start} runs
 * @param refused the server's refusal, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortableRun(
        String sha256,
        String module,
        List<String> argv,
        Map<String, String> env,
        String stdin,
        Map<String, FileContent> files,
        String clock,
        String random,
        RequestLimits limits,
        Fuel fuel,
        Program program,
        Refusal refused) {

    /**
     * How the browser counts fuel.
     *
     * @param export the fuel global's export name (a mutable i64: the fuel left)
     * @param budget the budget
     * @param hostCall fuel charged before every host call, allowed or denied
     * @param hostPerKiB fuel per KiB a host call copied, charged after it, rounded down
     */
    public record Fuel(String export, long budget, long hostCall, long hostPerKiB) {}

    /**
     * A snippet for an interpreter module.
     *
     * @param language {@code javascript}
     * @param code the program
     * @param setup evaluated first, its output discarded (the granted {@code process.env}), or null
     */
    public record Program(String language, String code, String setup) {}

    /** A refusal before the run: its kind and message, as the server's outcome gives them. */
    public record Refusal(String kind, String message) {}

    /** The plan for a module and policy; {@code portable} is null when {@code refused} is set. */
    public static PortableRun of(
            String sha256,
            PortableModule portable,
            Policy policy,
            Map<String, byte[]> files,
            Program program,
            Refusal refused) {
        List<String> argv = new java.util.ArrayList<>();
        argv.add(policy.programName());
        argv.addAll(policy.args());
        Map<String, FileContent> seeded = null;
        if (!files.isEmpty()) {
            seeded = new TreeMap<>();
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                seeded.put(f.getKey(), FileContent.of(f.getValue()));
            }
        }
        var l = policy.limits();
        return new PortableRun(
                sha256,
                portable == null ? null : Base64.getEncoder().encodeToString(portable.bytes()),
                argv,
                new TreeMap<>(policy.env()),
                policy.stdin().length == 0
                        ? null
                        : new String(policy.stdin(), java.nio.charset.StandardCharsets.UTF_8),
                seeded,
                policy.clock().name().toLowerCase(java.util.Locale.ROOT),
                policy.random().kind().name().toLowerCase(java.util.Locale.ROOT),
                new RequestLimits(
                        l.timeout().toMillis(),
                        l.memoryBytes(),
                        l.maxOutputBytes(),
                        l.fuel().isPresent() ? l.fuel().getAsLong() : null),
                portable == null || !portable.metered()
                        ? null
                        : new Fuel(
                                portable.fuelExport(),
                                portable.fuelBudget(),
                                portable.hostCallFuel(),
                                portable.hostFuelPerKiB()),
                program,
                refused);
    }
}
