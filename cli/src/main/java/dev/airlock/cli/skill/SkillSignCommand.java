package dev.airlock.cli.skill;

import dev.airlock.audit.AuditKeys;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
import dev.airlock.skills.SkillFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock skill sign SKILL --key NAME}. */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        description = {
            "Signs a skill folder or archive with a publisher key.",
            "A folder gets a signature.json; an archive is rewritten with one. The key is one",
            "made by 'airlock skill keys create'."
        })
final class SkillSignCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SKILL", description = "Folder or .skill archive.")
    Path skill;

    @Option(
            names = "--key",
            required = true,
            paramLabel = "NAME|FILE.pk8",
            description = "A key in the data folder's skills/keys, or a .pk8 file.")
    String key;

    @Mixin DataOptions data = new DataOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return SkillCommand.guarded(
                spec,
                () -> {
                    AuditKeys k = SkillKeysCommand.load(Registry.open(data.dir()), key);
                    SkillFiles signed = Signatures.sign(SkillFiles.read(skill), k);
                    if (Files.isDirectory(skill)) {
                        Files.write(
                                skill.resolve(SkillFiles.SIGNATURE),
                                signed.get(SkillFiles.SIGNATURE));
                    } else {
                        SkillCommand.writeArchive(signed, skill);
                    }
                    spec.commandLine()
                            .getOut()
                            .println(
                                    "signed "
                                            + skill
                                            + " with key "
                                            + k.keyId()
                                            + " (digest "
                                            + Signatures.digest(signed)
                                            + ")");
                    spec.commandLine().getOut().flush();
                    return 0;
                });
    }
}
