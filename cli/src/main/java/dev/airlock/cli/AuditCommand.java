package dev.airlock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.AuditVerifier;
import java.io.BufferedReader;
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
        description = "Verifies and shows audit trails.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Show.class})
final class AuditCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (verify or show)");
    }

    /** {@code airlock audit verify FILE}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Checks the hash chain and the Ed25519 checkpoint signatures of a trail, using the",
                "public key in the data folder. Exit status: 0 when everything holds and the trail",
                "ends sealed; 1 naming the first broken record otherwise; 2 for usage errors."
            })
    static final class Verify implements Callable<Integer> {
        @Mixin DataOptions data = new DataOptions();

        @Parameters(index = "0", paramLabel = "FILE", description = "A JSON Lines trail.")
        Path file;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PublicKey key;
            try {
                key = AuditKeys.loadPublic(data.dir());
            } catch (IOException e) {
                err.println("airlock: no audit key in " + data.dir() + ": " + e.getMessage());
                err.flush();
                return 1;
            }
            AuditVerifier.Result r;
            try {
                r = AuditVerifier.verify(file, key);
            } catch (IOException | java.io.UncheckedIOException e) {
                err.println("airlock: cannot read " + file + ": " + e.getMessage());
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

    /** {@code airlock audit show FILE}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Prints a trail readably, one record per line.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "A JSON Lines trail.")
        Path file;

        @Option(names = "--run", paramLabel = "ID", description = "Only this run.")
        String run;

        @Option(names = "--denied", description = "Only denied calls.")
        boolean denied;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode n = json.readTree(line);
                    if (run != null && !run.equals(n.path("run").asText())) {
                        continue;
                    }
                    if (denied && !"deny".equals(n.path("decision").asText())) {
                        continue;
                    }
                    out.println(AuditFormat.line(n));
                }
            } catch (IOException e) {
                spec.commandLine()
                        .getErr()
                        .println("airlock: cannot read " + file + ": " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
            out.flush();
            return 0;
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
                            n.path("rule").isNull() ? "" : " [" + n.path("rule").asText() + "]";
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
                default:
                    return head
                            + String.format(
                                    "%-5s signed up to seq %d by key %s",
                                    "SEAL", n.path("signed").asLong(), n.path("keyId").asText());
            }
        }

        private static String shortRun(JsonNode n) {
            String r = n.path("run").asText();
            return r.length() > 8 ? r.substring(0, 8) : r;
        }
    }
}
