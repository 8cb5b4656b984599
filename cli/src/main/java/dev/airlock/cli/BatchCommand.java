package dev.airlock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.cli.options.CacheOptions;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.server.ServerConfig;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.ExecutionRequest;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.server.http.Json;
import dev.airlock.server.service.AirlockService;
import dev.airlock.server.service.OutputListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock batch}: every line of a JSON Lines file is an execution, run in parallel. */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        description =
                "Runs each line of INPUT (JSON Lines: the HTTP API's execution fields, and an id"
                        + " that comes back unchanged) in its own sandbox, several at once, and"
                        + " writes one result line per input line, in input order.",
        footer = {
            "",
            "Examples:",
            "  airlock batch programs.jsonl -o results.jsonl",
            "  airlock batch --workers 8 programs.jsonl > results.jsonl",
            "  airlock batch --spark 'local[4]' programs.jsonl -o results.jsonl",
            "",
            "An input line: {\"id\": 7, \"language\": \"python\", \"code\": \"print(input())\",",
            "\"stdin\": \"hi\", \"limits\": {\"timeoutMs\": 2000}} (also files, args, env, packages",
            "and module for wasm, as POST /v1/executions takes them), and \"tests\": code run after",
            "the program in the same interpreter. A result line: the id, the line number, the",
            "execution's result (status, exitCode, stdout, stderr, usage, ...) and, with tests,",
            "passed (whether program and tests ended ok).",
            "A line that is not a valid request gets status 'rejected', kind 'input'; one bad line",
            "never stops the batch. Runs are recorded in the data folder's store as tenant 'batch'",
            "(made on first use with room for any number of runs per minute; change its ceilings",
            "with 'airlock tenants set batch ...'). With --spark the lines run as rows of the spark",
            "module (README) on the executors, results in the same order but not recorded."
        })
final class BatchCommand implements Callable<Integer> {
    /** The tenant that batch runs belong to. */
    static final String TENANT = "batch";

    @Parameters(index = "0", paramLabel = "INPUT", description = "The JSON Lines file to run.")
    Path input;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the results to FILE (default: standard output).")
    Path output;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "Runs at once (default: the number of processors).")
    Integer workers;

    @Option(names = "--no-progress", description = "Print no progress on standard error.")
    boolean noProgress;

    @Option(
            names = "--spark",
            paramLabel = "MASTER",
            description =
                    "Run on Apache Spark at MASTER (local[N], spark://host:port, ...) instead:"
                            + " the ./airlock launcher runs the spark module's runner for it.")
    String spark;

    @Mixin DataOptions data = new DataOptions();

    @Mixin CacheOptions cache = new CacheOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (spark != null) {
            // the launcher runs the Spark runner itself: this jar has no Spark in it
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--spark runs through the ./airlock launcher, which puts Spark on the"
                            + " classpath (or spark-submit --class dev.airlock.spark.BatchMain)");
        }
        int n = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (n < 1 || n > 256) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--workers must be between 1 and 256: " + n);
        }
        long total;
        try (java.util.stream.Stream<String> lines = Files.lines(input, StandardCharsets.UTF_8)) {
            total = lines.filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "cannot read " + input + ": " + Reports.reason(e));
        } catch (java.io.UncheckedIOException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "cannot read " + input + ": " + Reports.reason(e.getCause()));
        }
        if (output != null) {
            try {
                Reports.checkWritable(output, "--output");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig config = ServerConfig.builder().cacheDir(cache.dir("")).build();
        Path dir = data.dir();
        AuditKeys keys = AuditKeys.loadOrCreate(dir);
        try (Store store = Store.open(dir);
                Writer out =
                        output == null
                                ? new Unclosed(spec.commandLine().getOut())
                                : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
                AirlockService service =
                        new AirlockService(config, store, keys, new SimpleMeterRegistry(), dir)) {
            if (store.tenants().get(TENANT).isEmpty()) {
                TenantLimits d = TenantLimits.defaults();
                store.tenants()
                        .create(
                                TENANT,
                                new TenantLimits(
                                        d.maxTimeout(),
                                        d.maxMemoryBytes(),
                                        d.maxOutputBytes(),
                                        d.maxFuel(),
                                        Math.max(n, d.maxConcurrentRuns()),
                                        Integer.MAX_VALUE));
            }
            Principal who = new Principal("batch", TENANT, false);
            // the bar is redrawn in place: only on a terminal, never into a log
            BatchProgress progress =
                    new BatchProgress(err, total, !noProgress && System.console() != null);
            ExecutorService pool = Executors.newFixedThreadPool(n, BatchCommand::thread);
            try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                ArrayDeque<Future<ObjectNode>> window = new ArrayDeque<>();
                long lineNo = 0;
                for (String line; (line = in.readLine()) != null; ) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String text = line;
                    long at = lineNo;
                    window.add(pool.submit(() -> runLine(service, who, text, at)));
                    while (window.size() >= 2 * n) {
                        write(out, window.poll(), progress);
                    }
                }
                while (!window.isEmpty()) {
                    write(out, window.poll(), progress);
                }
            } finally {
                pool.shutdownNow();
            }
            out.flush();
            progress.done(output == null ? "standard output" : output.toString());
            return 0;
        }
    }

    private static Thread thread(Runnable r) {
        Thread t = new Thread(null, r, "airlock-batch", 64L << 20);
        t.setDaemon(true);
        return t;
    }

    private static void write(Writer out, Future<ObjectNode> f, BatchProgress progress)
            throws IOException, InterruptedException {
        ObjectNode result;
        try {
            result = f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a batch worker failed", e.getCause());
        }
        out.write(Json.MAPPER.writeValueAsString(result));
        out.write('\n');
        progress.row(result.path("status").asText());
    }

    /** One input line's result line; never throws for what the line holds. */
    static ObjectNode runLine(AirlockService service, Principal who, String line, long lineNo) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        JsonNode id = null;
        try {
            JsonNode tree;
            try {
                tree = Json.MAPPER.readTree(line);
            } catch (IOException e) {
                throw ApiException.badRequest("not JSON");
            }
            if (!(tree instanceof ObjectNode)) {
                throw ApiException.badRequest("a JSON object is expected");
            }
            ObjectNode fields = (ObjectNode) tree;
            id = fields.remove("id");
            JsonNode tests = fields.remove("tests");
            if (tests != null) {
                if (!tests.isTextual()) {
                    throw ApiException.badRequest("tests must be a string of code");
                }
                if (!fields.path("code").isTextual()) {
                    throw ApiException.badRequest("tests need code to test");
                }
                // run after the program, in the same interpreter: they pass when it ends ok
                fields.put("code", fields.get("code").asText() + "\n" + tests.asText());
            }
            ExecutionRequest r =
                    Json.read(Json.MAPPER.writeValueAsBytes(fields), ExecutionRequest.class);
            ExecutionResult result = execute(service, who, r);
            out.set("id", id);
            out.put("line", lineNo);
            out.setAll((ObjectNode) Json.MAPPER.valueToTree(result));
            if (tests != null) {
                out.put("passed", "ok".equals(result.status()));
            }
        } catch (ApiException e) {
            out.set("id", id);
            out.put("line", lineNo);
            out.put("status", "rejected");
            out.put("kind", "input");
            out.put("message", e.detail());
        } catch (IOException | RuntimeException e) {
            out.set("id", id);
            out.put("line", lineNo);
            out.put("status", "error");
            out.put("kind", "internal");
            out.put("message", "internal error: the line could not be run");
        }
        return out;
    }

    /** Runs {@code r}, waiting while the tenant's quota or the workers are full. */
    private static ExecutionResult execute(AirlockService s, Principal who, ExecutionRequest r) {
        long wait = 20;
        while (true) {
            try {
                return s.execute(who, r, OutputListener.NONE);
            } catch (ApiException e) {
                if (e.status() != 429 && e.status() != 503) {
                    throw e;
                }
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            wait = Math.min(wait * 2, Duration.ofSeconds(1).toMillis());
        }
    }

    /** The command line's output, left open when the results are written. */
    private static final class Unclosed extends java.io.FilterWriter {
        Unclosed(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
