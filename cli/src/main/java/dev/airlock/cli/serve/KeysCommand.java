package dev.airlock.cli.serve;

import dev.airlock.audit.store.KeyInfo;
import dev.airlock.audit.store.NewKey;
import dev.airlock.audit.store.Store;
import dev.airlock.cli.RunCommand;
import dev.airlock.cli.options.DataOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock keys}: the API keys of the HTTP and MCP server. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description =
                "Creates, lists and revokes the server's API keys (in the data folder's store).",
        subcommands = {KeysCommand.Create.class, KeysCommand.List.class, KeysCommand.Revoke.class},
        footer = {
            "",
            "Examples:",
            "  airlock keys create --tenant acme --label ci",
            "  airlock keys list --tenant acme",
            "  airlock keys revoke KEY_ID"
        })
public final class KeysCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (create, list or revoke)");
    }

    /** {@code airlock keys create --tenant NAME}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Makes an API key for a tenant (created with default limits if new) and prints its",
                "secret on stdout, once: it is stored only as a SHA-256 hash. The key's id (for",
                "lists and revoking) goes to stderr."
            })
    static final class Create implements Callable<Integer> {
        @Option(names = "--tenant", required = true, paramLabel = "NAME", description = "Tenant.")
        String tenant;

        @Option(names = "--admin", description = "The key may manage tenants and keys over HTTP.")
        boolean admin;

        @Option(names = "--label", paramLabel = "TEXT", description = "A note shown in lists.")
        String label;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return Stores.with(
                    spec,
                    data,
                    store -> {
                        NewKey k;
                        try {
                            k = store.apiKeys().create(tenant, admin, label);
                        } catch (IllegalArgumentException e) {
                            throw new CommandLine.ParameterException(
                                    spec.commandLine(), e.getMessage());
                        }
                        spec.commandLine().getOut().println(k.secret());
                        spec.commandLine()
                                .getErr()
                                .println(
                                        "airlock: key "
                                                + k.keyId()
                                                + " for tenant "
                                                + tenant
                                                + (admin ? " (admin)" : "")
                                                + "; the secret above is not shown again");
                        return 0;
                    });
        }
    }

    /** {@code airlock keys list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists keys (never their secrets): id, tenant, admin, created, revoked.")
    static final class List implements Callable<Integer> {
        @Option(names = "--tenant", paramLabel = "NAME", description = "Only this tenant's keys.")
        String tenant;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return Stores.with(
                    spec,
                    data,
                    store -> {
                        PrintWriter out = spec.commandLine().getOut();
                        for (KeyInfo k : store.apiKeys().list(tenant)) {
                            out.printf(
                                    "%s  %s%s  created %s%s%s%n",
                                    k.keyId(),
                                    k.tenant(),
                                    k.admin() ? " (admin)" : "",
                                    k.createdAt(),
                                    k.revokedAt() == null ? "" : "  revoked " + k.revokedAt(),
                                    k.label() == null ? "" : "  " + k.label());
                        }
                        return 0;
                    });
        }
    }

    /** {@code airlock keys revoke KEY_ID}. */
    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revokes a key at once. Exit 1 if there is no such live key.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key's id (key_...).")
        String keyId;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return Stores.with(
                    spec,
                    data,
                    store -> {
                        if (store.apiKeys().revoke(keyId)) {
                            spec.commandLine().getErr().println("airlock: revoked " + keyId);
                            return 0;
                        }
                        spec.commandLine().getErr().println("airlock: no live key " + keyId);
                        return 1;
                    });
        }
    }

    /** Opens the store for one command and reports its failures in one line. */
    static final class Stores {
        private Stores() {}

        interface Work {
            int run(Store store) throws IOException;
        }

        static int with(CommandLine.Model.CommandSpec spec, DataOptions data, Work work) {
            PrintWriter err = spec.commandLine().getErr();
            try (Store store = Store.open(data.dir())) {
                return work.run(store);
            } catch (IOException e) {
                err.println("airlock: " + e.getMessage());
                return RunCommand.INTERNAL;
            } finally {
                spec.commandLine().getOut().flush();
                err.flush();
            }
        }
    }
}
