package dev.airlock.cli.skill;

import dev.airlock.skills.Manifest;
import dev.airlock.skills.SkillFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock skill pack DIR}. */
@Command(
        name = "pack",
        mixinStandardHelpOptions = true,
        description = {
            "Packs a skill folder into one NAME-VERSION.skill archive.",
            "The archive is a zip with sorted entries and fixed timestamps: the same files",
            "always pack to the same bytes."
        })
final class SkillPackCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The skill folder.")
    Path dir;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "The archive (default: NAME-VERSION.skill here).")
    Path output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return SkillCommand.guarded(
                spec,
                () -> {
                    SkillFiles files = SkillFiles.readFolder(dir);
                    Manifest m = files.manifest();
                    Path out =
                            output != null
                                    ? output
                                    : Path.of(m.name() + "-" + m.version() + SkillFiles.EXTENSION);
                    SkillCommand.writeArchive(files, out);
                    spec.commandLine()
                            .getOut()
                            .println(
                                    out
                                            + (files.get(SkillFiles.SIGNATURE) == null
                                                    ? " (unsigned)"
                                                    : ""));
                    spec.commandLine().getOut().flush();
                    return 0;
                });
    }
}
