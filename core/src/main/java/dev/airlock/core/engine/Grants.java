package dev.airlock.core.engine;

import dev.airlock.core.HostImport;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a policy grants, for the audit trail: environment variable names (never their values, which
 * may be secrets), mounts with their modes, the clock and randomness modes, host tools and host
 * functions (leaving out those whose {@linkplain HostImport.Handler#verdict() verdict} is a denial:
 * they are provided only so that modules importing them link, and refuse every call), the number of
 * arguments. Recorded when a run's module is accepted and when an instance starts or is restored,
 * so a trail shows what the guest could reach even where the guest never asked (an interpreter
 * image applies its environment without a WASI call).
 */
final class Grants {
    private Grants() {}

    static Map<String, Object> of(Policy policy) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("args", policy.args().size());
        g.put("env", List.copyOf(new TreeSet<>(policy.env().keySet())));
        List<String> mounts = new ArrayList<>();
        for (Mount m : policy.mounts()) {
            mounts.add(m.guestPath() + (m.mode() == Mount.Mode.READ_ONLY ? ":ro" : ":rw"));
        }
        g.put("mounts", mounts);
        g.put("clock", policy.clock().name().toLowerCase(java.util.Locale.ROOT));
        g.put("random", policy.random().kind().name().toLowerCase(java.util.Locale.ROOT));
        g.put("tools", List.copyOf(new TreeSet<>(policy.tools().keySet())));
        List<String> functions = new ArrayList<>();
        for (HostImport h : policy.hostImports()) {
            String verdict = h.handler().verdict();
            if (verdict != null && verdict.startsWith("denied")) {
                continue;
            }
            functions.add(h.module() + "." + h.name());
        }
        g.put("hostFunctions", functions);
        return g;
    }
}
