package dev.airlock.cli.skill;

import dev.airlock.skills.Manifest;
import dev.airlock.skills.Scaffold;
import dev.airlock.skills.SkillException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock skill new NAME}. */
@Command(
        name = "new",
        mixinStandardHelpOptions = true,
        description = "Makes a folder NAME with a skill.json and an entry that echoes its input.")
final class SkillNewCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Skill name (a-z, 0-9, -).")
    String name;

    @Option(
            names = "--kind",
            paramLabel = "KIND",
            description =
                    "wasm, python, javascript or component (default: python; component needs"
                            + " --from).")
    String kind = "python";

    @Option(
            names = "--from",
            paramLabel = "COMPONENT",
            description =
                    "With --kind component: the component whose exported functions become the"
                            + " tools, with JSON Schemas derived from their WIT types.")
    Path from;

    @Option(
            names = "--publisher",
            paramLabel = "NAME",
            description = "The publisher named in skill.json (default: $USER).")
    String publisher;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where (default: ./NAME).")
    Path dir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Manifest.Entry.Kind k;
        switch (kind) {
            case "wasm":
                k = Manifest.Entry.Kind.WASM;
                break;
            case "python":
                k = Manifest.Entry.Kind.PYTHON;
                break;
            case "javascript":
            case "js":
                k = Manifest.Entry.Kind.JAVASCRIPT;
                break;
            case "component":
                k = Manifest.Entry.Kind.COMPONENT;
                break;
            default:
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--kind: expected wasm, python, javascript or component");
        }
        if ((k == Manifest.Entry.Kind.COMPONENT) != (from != null)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--from goes with --kind component, and it with it");
        }
        if (!Manifest.isName(name)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "NAME: lower-case letters, digits and dashes");
        }
        String who = publisher != null ? publisher : System.getProperty("user.name", "me");
        Path target = dir != null ? dir : Path.of(name);
        return SkillCommand.guarded(
                spec,
                () -> {
                    var files =
                            from != null
                                    ? Scaffold.fromComponent(target, name, readComponent(from), who)
                                    : Scaffold.create(target, name, k, who);
                    spec.commandLine()
                            .getOut()
                            .println(
                                    "created " + target + ": " + String.join(", ", files.keySet()));
                    spec.commandLine().getOut().flush();
                    return 0;
                });
    }

    private static byte[] readComponent(Path file) throws SkillException {
        try {
            if (java.nio.file.Files.size(file) > dev.airlock.components.Component.MAX_BYTES) {
                throw new SkillException(SkillException.Kind.INVALID, file + ": too large");
            }
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new SkillException(
                    SkillException.Kind.IO, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
