package dev.airlock.cli.serve;

import dev.airlock.cli.RunCommand;
import dev.airlock.cli.options.CacheOptions;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.cli.options.LogOptions;
import dev.airlock.cli.options.SecretOptions;
import dev.airlock.cli.options.TraceOptions;
import dev.airlock.core.Size;
import dev.airlock.core.net.Egress;
import dev.airlock.egress.ApacheTransport;
import dev.airlock.server.AirlockServer;
import dev.airlock.server.ServerConfig;
import dev.airlock.server.observe.ServerLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code airlock serve}: the HTTP API (and MCP at /mcp) until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serves the HTTP API (and MCP at /mcp) on the embedded store until stopped.",
        footer = {
            "",
            "Examples:",
            "  airlock serve --port 8080",
            "  AIRLOCK_BOOTSTRAP_KEY=$(openssl rand -hex 16) airlock serve --host 0.0.0.0",
            "  airlock serve --api-allow-net https://api.example.com/ --secret API=API_TOKEN \\",
            "      --inject 'API header Authorization \"Bearer {}\" for https://api.example.com/'",
            "",
            "Every /v1 request needs 'Authorization: Bearer KEY'. Create keys with",
            "'airlock keys create --tenant NAME', or set AIRLOCK_BOOTSTRAP_KEY (16+ characters) to",
            "store an admin key at start. The API is described at /openapi.json. A web console",
            "is served at / (it asks for a key and calls the same API). SIGINT or SIGTERM stops",
            "the server gracefully: running executions finish and are recorded."
        })
public final class ServeCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Port (default 8787; 0: any free).")
    int port = 8787;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            description = "Interface to listen on (default 127.0.0.1).")
    String host = "127.0.0.1";

    @Option(
            names = "--data",
            paramLabel = "DIR|URL",
            description =
                    "Data folder (keys, store; default: $AIRLOCK_DATA, else ~/.airlock), or a"
                            + " PostgreSQL database shared by several nodes:"
                            + " postgresql://USER@HOST[:PORT]/DB (also jdbc:postgresql://...)."
                            + " The password may come from the URL, --data-password-file or"
                            + " $AIRLOCK_DB_PASSWORD.")
    String dataSpec;

    @Option(
            names = "--data-password-file",
            paramLabel = "FILE",
            description = "File whose first line is the database password.")
    Path dataPasswordFile;

    @Option(
            names = "--node-dir",
            paramLabel = "DIR",
            description =
                    "With a database: this node's own folder (its audit key, node id, skills'"
                            + " trust store and cache). Default: ~/.cache/airlock/node.")
    Path nodeDir;

    @Option(
            names = "--node-id",
            paramLabel = "ID",
            description =
                    "This node's id in runs, audit chains and /healthz. Default with a database:"
                            + " the host name and a random suffix, kept in the node folder.")
    String nodeId;

    @Mixin LogOptions logging = new LogOptions();

    @Mixin TraceOptions tracing = new TraceOptions();

    @Mixin CacheOptions cache = new CacheOptions();

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "PEM certificate chain (HTTPS).")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description = "PEM PKCS#8 private key (HTTPS).")
    Path tlsKey;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "Threads running guests (default: the number of cores).")
    Integer workers;

    @Option(
            names = "--max-body",
            paramLabel = "SIZE",
            description = "Largest request body, e.g. 16MiB (default).")
    String maxBody;

    @Option(
            names = "--memory-budget",
            paramLabel = "SIZE",
            description =
                    "Memory guests may hold at once, all tenants together, e.g. 4GiB (default: the"
                            + " JVM's maximum heap less a quarter, at least 256MiB, for the server)."
                            + " Runs and sessions reserve their memory limit; beyond the budget"
                            + " requests get 503.")
    String memoryBudget;

    @Option(
            names = "--tenant-memory",
            paramLabel = "SIZE",
            description =
                    "Memory one tenant may hold at once (default: half the budget); beyond it"
                            + " its requests get 429.")
    String tenantMemory;

    @Option(
            names = "--api-allow-net",
            paramLabel = "RULE",
            description =
                    "Network rules API requests may ask for in their allowNet (repeatable; each"
                            + " requested rule must lie within one of these). Default: none.")
    List<String> apiAllowNet = new ArrayList<>();

    /** Secrets requests may name, where they go, and the limits of every request's network. */
    @Mixin SecretOptions net = new SecretOptions();

    @Option(
            names = "--secret-tenants",
            paramLabel = "NAME=TENANT[,TENANT...]",
            description =
                    "Only these tenants may name secret NAME in a request's \"secrets\""
                            + " (repeatable). Default: every tenant may name every secret.")
    List<String> secretTenants = new ArrayList<>();

    @Option(
            names = "--packages",
            paramLabel = "NAME=DIR",
            description =
                    "Offer the pure-Python packages in DIR under NAME (repeatable): a Python"
                            + " request with \"packages\": [\"NAME\"] gets DIR mounted read-only"
                            + " at /packages/NAME, on sys.path.")
    java.util.List<String> packages = new java.util.ArrayList<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** The node id kept in the node folder (made there on first start). */
    private static String nodeIdOf(Path home) {
        try {
            return NodeDir.id(home);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot keep the node id in " + home + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        StoreLocation where;
        try {
            where =
                    StoreLocation.parse(
                            dataSpec != null ? dataSpec : new DataOptions().dir().toString(),
                            dataPasswordFile,
                            System::getenv);
            if (!where.isDatabase() && nodeDir != null) {
                throw new IllegalArgumentException(
                        "--node-dir goes with a PostgreSQL --data URL (a data folder holds the"
                                + " node's keys itself)");
            }
        } catch (IllegalArgumentException e) {
            err.println("airlock: " + e.getMessage());
            err.flush();
            return RunCommand.USAGE_ERROR;
        }
        Path home = where.isDatabase() ? NodeDir.resolve(nodeDir, System::getenv) : where.folder();
        ServerConfig config;
        try {
            ServerConfig.Builder b =
                    ServerConfig.builder().host(host).port(port).cacheDir(cache.dir(""));
            if (nodeId != null) {
                b.nodeId(nodeId);
            } else if (where.isDatabase()) {
                b.nodeId(nodeIdOf(home));
            }
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
            if (tlsCert != null) {
                b.tls(tlsCert, tlsKey);
            }
            if (workers != null) {
                b.workers(workers);
            }
            if (maxBody != null) {
                b.maxBodyBytes(Size.parse(maxBody));
            }
            if (memoryBudget != null) {
                b.memoryBudgetBytes(Size.parse(memoryBudget));
            }
            if (tenantMemory != null) {
                b.tenantMemoryBytes(Size.parse(tenantMemory));
            }
            if (!apiAllowNet.isEmpty()) {
                Egress.Builder e = Egress.builder().transport(new ApacheTransport());
                apiAllowNet.forEach(e::allow);
                net.addTo(e);
                b.network(e.build());
            } else if (net.any() || !secretTenants.isEmpty()) {
                throw new IllegalArgumentException(
                        "--secret, --inject, --secret-tenants and --net-* options need at least"
                                + " one --api-allow-net rule");
            }
            for (String t : secretTenants) {
                String[] kv = SecretOptions.split(t, "--secret-tenants", "NAME=TENANT[,TENANT...]");
                b.secretTenants(kv[0], List.of(kv[1].split(",", -1)));
            }
            for (String p : packages) {
                int eq = p.indexOf('=');
                if (eq <= 0 || eq == p.length() - 1) {
                    throw new IllegalArgumentException("--packages expects NAME=DIR: " + p);
                }
                b.packages(p.substring(0, eq), Path.of(p.substring(eq + 1)));
            }
            tracing.addTo(b);
            String bootstrap = System.getenv("AIRLOCK_BOOTSTRAP_KEY");
            if (bootstrap != null && !bootstrap.isEmpty()) {
                b.bootstrapKey(bootstrap);
            }
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ServerLog log;
        try {
            log = logging.open();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--log: cannot append to " + logging.file);
        }
        AirlockServer server;
        try {
            server = NodeStart.start(config, where, home, log);
        } catch (IOException | RuntimeException e) {
            err.println("airlock: cannot start the server: " + NodeStart.oneLine(e));
            err.flush();
            return RunCommand.INTERNAL;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        server.close();
                                    } catch (IOException | RuntimeException e) {
                                        System.err.println(
                                                "airlock: unclean stop: " + NodeStart.oneLine(e));
                                    }
                                    stopped.countDown();
                                },
                                "airlock-stop"));
        err.println(
                "airlock: serving on "
                        + server.uri()
                        + (where.isDatabase()
                                ? " as node " + config.nodeId() + " (store " + where.shown()
                                : " (data in " + where.folder())
                        + "; memory budget "
                        + Size.format(config.memoryBudgetBytes())
                        + ", "
                        + Size.format(config.tenantMemoryBytes())
                        + " per tenant"
                        + (config.traceTarget() == null
                                ? ""
                                : "; traces to " + config.traceTarget())
                        + ")");
        err.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
