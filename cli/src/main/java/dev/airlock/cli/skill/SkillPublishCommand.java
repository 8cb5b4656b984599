package dev.airlock.cli.skill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillCheck;
import dev.airlock.skills.SkillFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock skill publish SKILL --to URL}: the upload side of the marketplace. */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Uploads a signed skill to a running airlock serve, which installs it.",
            "The skill is first checked here as verify does (signature against this data",
            "folder's trust store, capabilities against its imports): an unsigned, tampered or",
            "untrusted skill is not sent. The server checks it again against its own trust store",
            "and refuses what it does not trust (exit 126). Needs an admin key of that server,",
            "from --api-key-file or $AIRLOCK_API_KEY. POST /v1/skills on the server."
        })
final class SkillPublishCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SKILL", description = "Folder or .skill archive.")
    Path skill;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "URL",
            description = "The server, such as http://127.0.0.1:8787.")
    String to;

    @Option(
            names = "--api-key-file",
            paramLabel = "FILE",
            description = "File holding the server's admin API key. Default: $AIRLOCK_API_KEY.")
    Path keyFile;

    @Option(
            names = "--tenant",
            paramLabel = "NAME",
            description = "A tenant that sees the skill there (repeatable; default: every tenant).")
    List<String> tenants = new ArrayList<>();

    @Mixin DataOptions data = new DataOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SkillMarket market;
        try {
            market = SkillMarket.of(to, keyFile);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            Registry.tenants(tenants);
        } catch (dev.airlock.skills.SkillException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--tenant: " + e.getMessage());
        }
        return SkillCommand.guarded(
                spec,
                () -> {
                    SkillFiles files = SkillFiles.read(skill);
                    // verified here before it leaves, and again there
                    SkillCheck.check(
                            files, Registry.open(data.dir()).trust(), SkillCommand.engine());
                    JsonNode answer = market.upload(archive(files), tenants);
                    PrintWriter out = spec.commandLine().getOut();
                    List<String> seenBy = new ArrayList<>();
                    answer.path("tenants").forEach(t -> seenBy.add(t.asText()));
                    out.println(
                            "published "
                                    + answer.path("name").asText()
                                    + "@"
                                    + answer.path("version").asText()
                                    + " to "
                                    + market.where()
                                    + " (sha256 "
                                    + answer.path("sha256").asText()
                                    + ", tenants "
                                    + String.join(", ", seenBy)
                                    + ")");
                    out.flush();
                    return 0;
                });
    }

    private static byte[] archive(SkillFiles files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.pack(out);
        return out.toByteArray();
    }
}
