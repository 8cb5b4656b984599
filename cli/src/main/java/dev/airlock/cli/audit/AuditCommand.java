package dev.airlock.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditVerifier;
import dev.airlock.audit.store.PruneResult;
import dev.airlock.audit.store.Store;
import dev.airlock.cli.Main;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.cli.serve.StoreLocation;
import dev.airlock.core.Durations;
import dev.airlock.core.Size;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock audit}: verify and read audit trails. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Verifies, shows and prunes audit trails (files or the data folder's store).",
        subcommands = {AuditCommand.Verify.class, AuditShowCommand.class, AuditCommand.Prune.class},
        footer = {
            "",
            "Examples:",
            "  airlock run --audit trail.jsonl app.wasm && airlock audit verify trail.jsonl",
            "  airlock audit show --denied",
            "  airlock audit show --run RUN_ID",
            "  airlock audit prune --older-than 30d"
        })
public final class AuditCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (verify, show or prune)");
    }

    /**
     * Reports a trail file that cannot be read (a usage error) in one line; false for {@code null}
     * (the store) and readable files.
     */
    static boolean unreadable(Path file, PrintWriter err) {
        if (file == null || (Files.isRegularFile(file) && Files.isReadable(file))) {
            return false;
        }
        String why =
                !Files.exists(file)
                        ? "no such file"
                        : Files.isDirectory(file) ? "it is a folder" : "permission denied";
        err.println("airlock: cannot read " + file + ": " + why);
        err.flush();
        return true;
    }

    /** {@code airlock audit verify FILE}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Checks the hash chain and the Ed25519 checkpoint signatures of a trail, using the",
                "public key in the data folder; for the store, every writer's chain and every run's",
                "stored outcome against the one sealed in its chain. Exit status: 0 when everything",
                "holds and ends sealed (or is being written by a live writer); 1 naming the first",
                "broken record or edited run; 2 for usage errors; 3 when everything holds but a",
                "writer stopped uncleanly (a crash: the events it still held are missing).",
                "A FILE that is missing or unreadable is a usage error (2)."
            })
    static final class Verify implements Callable<Integer> {
        @Option(
                names = "--data",
                paramLabel = "DIR|URL",
                description =
                        "Data folder (default: $AIRLOCK_DATA, else ~/.airlock), or the PostgreSQL"
                                + " database of several server nodes (postgresql://USER@HOST/DB;"
                                + " password from $AIRLOCK_DB_PASSWORD or --data-password-file):"
                                + " every node's chain is checked with the key it registered there.")
        String dataSpec;

        @Option(
                names = "--data-password-file",
                paramLabel = "FILE",
                description = "File whose first line is the database password.")
        Path dataPasswordFile;

        final DataOptions data = new DataOptions();

        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "FILE",
                description = "A JSON Lines trail; without it, the store in the data folder.")
        Path file;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (unreadable(file, err)) {
                return Main.USAGE;
            }
            StoreLocation loc;
            try {
                loc =
                        StoreLocation.parse(
                                dataSpec != null ? dataSpec : data.dir().toString(),
                                dataPasswordFile,
                                System::getenv);
            } catch (IllegalArgumentException e) {
                err.println("airlock: " + e.getMessage());
                err.flush();
                return Main.USAGE;
            }
            if (loc.isDatabase()) {
                if (file != null) {
                    err.println("airlock: give a trail FILE or a database --data, not both");
                    err.flush();
                    return Main.USAGE;
                }
                try (Store db = Store.open(loc.jdbcUrl(), loc.properties())) {
                    return StoreReport.print(db.verifyAll(), out, err);
                } catch (IOException | java.io.UncheckedIOException e) {
                    err.println("airlock: cannot read " + loc.shown() + ": " + e.getMessage());
                    err.flush();
                    return 1;
                }
            }
            data.data = loc.folder();
            PublicKey key;
            try {
                key = AuditKeys.loadPublic(data.dir());
            } catch (IOException e) {
                err.println(
                        "airlock: no audit key in "
                                + data.dir()
                                + ": "
                                + e.getMessage()
                                + signerOf(file));
                err.flush();
                return 1;
            }
            AuditVerifier.Result r;
            try {
                if (file != null) {
                    r = AuditVerifier.verify(file, key);
                } else {
                    try (Store store = Store.open(data.dir())) {
                        return StoreReport.print(store.verifyAll(key), out, err);
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                err.println(
                        "airlock: cannot read "
                                + (file != null ? file : data.dir())
                                + ": "
                                + e.getMessage());
                err.flush();
                return 1;
            }
            if (r.ok()) {
                out.printf(
                        "ok: %d records, chain intact, sealed up to seq %d%n",
                        r.records(), r.sealedUpTo());
                out.flush();
                return 0;
            }
            String where = r.brokenLine() > 0 ? " (line " + r.brokenLine() + ")" : "";
            err.printf(
                    "airlock: audit trail broken at seq %d%s: %s; verified up to seq %d%n",
                    r.brokenSeq(), where, r.reason(), Math.max(0, r.sealedUpTo()));
            err.flush();
            return 1;
        }
    }

    /**
     * {@code " (the trail is signed by key ID)"} for a trail file whose first checkpoint names its
     * key; empty when there is no file or it names none.
     */
    static String signerOf(Path file) {
        if (file == null) {
            return "";
        }
        ObjectMapper json = new ObjectMapper();
        try (java.util.stream.Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("\"keyId\""))
                    .findFirst()
                    .map(
                            l -> {
                                try {
                                    return json.readTree(l).path("keyId").asText("");
                                } catch (IOException e) {
                                    return "";
                                }
                            })
                    .filter(id -> id.matches("[0-9a-f]{1,64}"))
                    .map(id -> " (the trail is signed by key " + id + ")")
                    .orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** {@code airlock audit prune}. */
    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = {
                "Deletes runs and audit records older than the given age from the store, by whole",
                "checkpoint spans, so that what remains still verifies."
            })
    static final class Prune implements Callable<Integer> {
        @Mixin DataOptions data = new DataOptions();

        @Option(
                names = "--older-than",
                paramLabel = "AGE",
                description = "Delete what is older than this age, such as 30d, 12h or 90m.")
        String olderThan;

        @Option(
                names = "--max-size",
                paramLabel = "SIZE",
                description = "Then delete the oldest spans until the trail takes at most SIZE.")
        String maxSize;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            java.time.Duration age = null;
            long size = -1;
            try {
                if (olderThan == null && maxSize == null) {
                    throw new IllegalArgumentException("give --older-than, --max-size or both");
                }
                if (olderThan != null) {
                    age = Durations.parse(olderThan);
                }
                if (maxSize != null) {
                    size = Size.parse(maxSize);
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try (Store store = Store.open(data.dir())) {
                long records = 0;
                long runs = 0;
                long anchor = 0;
                for (int step = 0; step < 2; step++) {
                    PruneResult r = null;
                    if (step == 0 && age != null) {
                        r = store.prune(Instant.now().minus(age));
                    } else if (step == 1 && size >= 0) {
                        r = store.pruneToSize(size);
                    }
                    if (r != null) {
                        records += r.auditRecords();
                        runs += r.runs();
                        anchor = r.anchorSeq();
                    }
                }
                spec.commandLine()
                        .getOut()
                        .printf(
                                "pruned %d audit records and %d runs; the trail now starts after"
                                        + " seq %d%n",
                                records, runs, anchor);
                spec.commandLine().getOut().flush();
                return 0;
            } catch (IOException e) {
                spec.commandLine().getErr().println("airlock: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
    }

    /** Human-readable rendering of trail records. */
    static final class AuditFormat {
        private AuditFormat() {}

        static String line(JsonNode n) {
            String time = Instant.ofEpochMilli(n.path("time").asLong()).toString();
            String type = n.path("type").asText();
            String head = String.format("%6d %s ", n.path("seq").asLong(), time);
            switch (type) {
                case "call":
                    String rule =
                            n.path("rule").isTextual() ? " [" + n.path("rule").asText() + "]" : "";
                    return head
                            + String.format(
                                    "%-5s %s %s -> %s%s (%d us) run=%s",
                                    n.path("decision").asText().toUpperCase(java.util.Locale.ROOT),
                                    n.path("call").asText(),
                                    n.path("args"),
                                    n.path("result").isNull()
                                            ? "(ended run)"
                                            : n.path("result").asText(),
                                    rule,
                                    n.path("nanos").asLong() / 1000,
                                    shortRun(n));
                case "lifecycle":
                    return head
                            + String.format(
                                    "%-5s %s %s run=%s",
                                    "STEP",
                                    n.path("step").asText(),
                                    n.path("details"),
                                    shortRun(n));
                case "run":
                    return head
                            + String.format(
                                    "%-5s %s%s%s \"%s\" run=%s",
                                    "RUN",
                                    n.path("status").asText(),
                                    n.path("kind").isTextual() ? " " + n.path("kind").asText() : "",
                                    n.path("exitCode").isNumber()
                                            ? " exit=" + n.path("exitCode").asInt()
                                            : "",
                                    n.path("message").asText(),
                                    shortRun(n));
                default:
                    return head
                            + String.format(
                                    "%-5s signed up to seq %d by key %s%s%s",
                                    "SEAL",
                                    n.path("signed").asLong(),
                                    n.path("keyId").asText(),
                                    n.path("writer").isTextual()
                                            ? " writer=" + n.path("writer").asText()
                                            : "",
                                    n.has("stop")
                                            ? " (sealed after the writer stopped uncleanly)"
                                            : "");
            }
        }

        private static String shortRun(JsonNode n) {
            String r = n.path("run").asText();
            return r.length() > 8 ? r.substring(0, 8) : r;
        }
    }
}
