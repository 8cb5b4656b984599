package dev.airlock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.components.Component;
import dev.airlock.components.ComponentInstance;
import dev.airlock.components.binary.Ast;
import dev.airlock.components.binary.ComponentParser;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.HostImport.ValueType;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.LinkedImport;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One call of a component's export (JSON arguments lowered through the canonical ABI, the result
 * lifted back to JSON) against the same core function called on its core module directly ({@code
 * GuestInstance.call} with raw numbers), alternately in one process. Function: {@code add(u32, u32)
 * -> u32} of the test component; also {@code echo-string} of 1 KiB (component only, its time per
 * call against {@code add}'s). Prints medians of per-call times over the rounds and the median of
 * the rounds' ratios.
 *
 * <p>Run: {@code java -cp ... dev.airlock.bench.ComponentCallOverhead [rounds] [callsPerRound]
 * [component.wasm]} (defaults 15, 2000 and the test component under components/).
 */
public final class ComponentCallOverhead {
    private ComponentCallOverhead() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path file =
                Path.of(
                        args.length > 2
                                ? args[2]
                                : "components/src/test/resources/dev/airlock/components/types.wasm");
        byte[] bytes = Files.readAllBytes(file);
        Airlock airlock = Airlock.builder().inlineExecution(true).build();
        Component component = Component.load(bytes);
        byte[] core = null;
        for (Ast.Def d : ComponentParser.parse(bytes).defs()) {
            if (d instanceof Ast.CoreModule m && core == null) {
                // the first one, which exports add (a later one is the bad-realloc helper)
                core = m.bytes();
            }
        }
        InstanceSetup.Builder setup = InstanceSetup.builder();
        for (String name : List.of("new", "rep", "drop")) {
            setup.link(
                    new LinkedImport(
                            "[export]test:types/echo",
                            "[resource-" + name + "]counter",
                            List.of(ValueType.I32),
                            name.equals("drop") ? List.of() : List.of(ValueType.I32),
                            (g, a) -> name.equals("drop") ? null : new long[] {a[0]}));
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode addArgs = json.readTree("[40, 2]");
        JsonNode strArgs = json.createArrayNode().add("x".repeat(1024));
        try (GuestInstance direct =
                        airlock.instantiate(airlock.load(core), Policy.defaults(), setup.build());
                ComponentInstance ci =
                        ComponentInstance.create(airlock, component, Policy.defaults())) {
            double[] coreUs = new double[rounds];
            double[] compUs = new double[rounds];
            double[] strUs = new double[rounds];
            double[] ratio = new double[rounds];
            for (int r = -3; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    if (direct.call("add", Stdio.discard(), 40, 2).intResult() != 42) {
                        throw new IllegalStateException("core add");
                    }
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    if (ci.call("add", addArgs, Stdio.discard()).value().asInt() != 42) {
                        throw new IllegalStateException("component add");
                    }
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    ci.call("test:types/echo#echo-string", strArgs, Stdio.discard());
                }
                long t3 = System.nanoTime();
                if (r >= 0) {
                    coreUs[r] = (t1 - t0) / 1e3 / calls;
                    compUs[r] = (t2 - t1) / 1e3 / calls;
                    strUs[r] = (t3 - t2) / 1e3 / calls;
                    ratio[r] = compUs[r] / coreUs[r];
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d rounds of %d calls; %d CPUs, load average %.1f%n"
                            + "core add %.2f us, component add %.2f us (ratio %.2f),"
                            + " component echo-string 1 KiB %.2f us (%.2f x component add)%n",
                    rounds,
                    calls,
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    median(coreUs),
                    median(compUs),
                    median(ratio),
                    median(strUs),
                    median(strUs) / median(compUs));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
