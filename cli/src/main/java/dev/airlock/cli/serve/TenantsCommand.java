package dev.airlock.cli.serve;

import dev.airlock.audit.store.Tenant;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.core.Durations;
import dev.airlock.core.Size;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock tenants}: tenants' ceilings and quotas. */
@Command(
        name = "tenants",
        mixinStandardHelpOptions = true,
        description = "Sets and lists tenants' ceilings and quotas (in the data folder's store).",
        subcommands = {TenantsCommand.Set.class, TenantsCommand.List.class},
        footer = {
            "",
            "Examples:",
            "  airlock tenants set acme --max-timeout 30s --max-memory 512MiB --max-concurrent 4",
            "  airlock tenants list"
        })
public final class TenantsCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (set or list)");
    }

    /** {@code airlock tenants set NAME [limits]}. */
    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description =
                    "Creates or updates a tenant; limits not given keep their value (or the"
                            + " default: 60s, 1GiB, 16MiB, 10^10 fuel, 4 at once, 600 a minute).")
    static final class Set implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "Tenant name.")
        String name;

        @Option(names = "--max-timeout", paramLabel = "DURATION", description = "e.g. 30s")
        String maxTimeout;

        @Option(names = "--max-memory", paramLabel = "SIZE", description = "e.g. 512MiB")
        String maxMemory;

        @Option(names = "--max-output", paramLabel = "SIZE", description = "e.g. 1MiB")
        String maxOutput;

        @Option(names = "--max-fuel", paramLabel = "N", description = "Largest fuel budget.")
        Long maxFuel;

        @Option(names = "--max-concurrent", paramLabel = "N", description = "Runs at once.")
        Integer maxConcurrent;

        @Option(names = "--runs-per-minute", paramLabel = "N", description = "Runs per minute.")
        Integer runsPerMinute;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return KeysCommand.Stores.with(
                    spec,
                    data,
                    store -> {
                        TenantLimits l;
                        boolean exists;
                        try {
                            Tenant.checkName(name);
                            exists = store.tenants().get(name).isPresent();
                            l =
                                    exists
                                            ? store.tenants().get(name).get().limits()
                                            : TenantLimits.defaults();
                            if (maxTimeout != null) {
                                l = l.withMaxTimeout(Durations.parse(maxTimeout));
                            }
                            if (maxMemory != null) {
                                l = l.withMaxMemoryBytes(Size.parse(maxMemory));
                            }
                            if (maxOutput != null) {
                                l = l.withMaxOutputBytes(Size.parse(maxOutput));
                            }
                            if (maxFuel != null) {
                                l = l.withMaxFuel(maxFuel);
                            }
                            if (maxConcurrent != null) {
                                l = l.withMaxConcurrentRuns(maxConcurrent);
                            }
                            if (runsPerMinute != null) {
                                l = l.withMaxRunsPerMinute(runsPerMinute);
                            }
                        } catch (IllegalArgumentException e) {
                            throw new CommandLine.ParameterException(
                                    spec.commandLine(), e.getMessage());
                        }
                        Tenant t =
                                exists
                                        ? store.tenants().update(name, l)
                                        : store.tenants().create(name, l);
                        print(spec.commandLine().getOut(), t);
                        return 0;
                    });
        }
    }

    /** {@code airlock tenants list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists tenants.")
    static final class List implements Callable<Integer> {
        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return KeysCommand.Stores.with(
                    spec,
                    data,
                    store -> {
                        for (Tenant t : store.tenants().list()) {
                            print(spec.commandLine().getOut(), t);
                        }
                        return 0;
                    });
        }
    }

    static void print(PrintWriter out, Tenant t) {
        TenantLimits l = t.limits();
        out.printf(
                "%s  max-timeout %s  max-memory %s  max-output %s  max-fuel %d  max-concurrent %d"
                        + "  runs-per-minute %d%n",
                t.name(),
                Durations.format(l.maxTimeout()),
                Size.format(l.maxMemoryBytes()),
                Size.format(l.maxOutputBytes()),
                l.maxFuel(),
                l.maxConcurrentRuns(),
                l.maxRunsPerMinute());
    }
}
