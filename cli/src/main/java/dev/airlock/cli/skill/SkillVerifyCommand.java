package dev.airlock.cli.skill;

import dev.airlock.cli.options.DataOptions;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillCheck;
import dev.airlock.skills.SkillFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code airlock skill verify SKILL}. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a skill folder or archive as install would, installing nothing.",
            "Checks the manifest, the signature against the trust store, and the module's",
            "imports against the declared capabilities."
        })
final class SkillVerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SKILL", description = "Folder or .skill archive.")
    Path skill;

    @Mixin DataOptions data = new DataOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return SkillCommand.guarded(
                spec,
                () -> {
                    Registry r = Registry.open(data.dir());
                    SkillCheck.Checked c =
                            SkillCheck.check(
                                    SkillFiles.read(skill), r.trust(), SkillCommand.engine());
                    spec.commandLine()
                            .getOut()
                            .println(
                                    "ok: "
                                            + c.manifest().name()
                                            + "@"
                                            + c.manifest().version()
                                            + " signed by "
                                            + c.signature().publisher()
                                            + " (key "
                                            + c.signature().keyId()
                                            + "), digest "
                                            + c.signature().digest());
                    SkillRegistryCommands.printImports(spec.commandLine().getOut(), c);
                    spec.commandLine().getOut().flush();
                    return 0;
                });
    }
}
