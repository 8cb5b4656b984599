package dev.airlock.cli.skill;

import dev.airlock.cli.Recording;
import dev.airlock.cli.RunCommand;
import dev.airlock.core.Airlock;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code airlock skill}: signed, capability-declared tools. */
@Command(
        name = "skill",
        mixinStandardHelpOptions = true,
        description = {
            "Makes, signs, verifies, installs and runs skills.",
            "A skill is a sandboxed tool that declares what it needs (skill.json) and is signed",
            "by its publisher. Installed skills live in the data folder's store (airlock.db); the",
            "trust store of publisher keys and the skills' verified file cache in its skills/.",
            "Exit status: 0 on success; 126 when a skill is refused (invalid, unsigned, tampered,",
            "untrusted, a downgrade, or a module importing an undeclared capability, here or on",
            "the server published to or installed from); 1 when a skill or key is not found or",
            "already there, or a server refuses the API key; 2 for usage errors; 70 internal",
            "error."
        },
        subcommands = {
            SkillNewCommand.class,
            SkillPackCommand.class,
            SkillKeysCommand.class,
            SkillKeysCommand.Trust.class,
            SkillSignCommand.class,
            SkillVerifyCommand.class,
            SkillRegistryCommands.Install.class,
            SkillPublishCommand.class,
            SkillRegistryCommands.List.class,
            SkillRegistryCommands.Show.class,
            SkillRunCommand.class,
            SkillRegistryCommands.Remove.class
        })
public final class SkillCommand implements Runnable {
    /** Exit status when a skill, version, tool or key is not found, or already there. */
    static final int NOT_FOUND = 1;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "missing subcommand (new, pack, keys, trust, sign, verify, install, publish, list,"
                        + " show, run or remove)");
    }

    /** Prints {@code airlock: LABEL: MESSAGE} and returns the exit status for {@code e}. */
    static int fail(CommandLine.Model.CommandSpec spec, SkillException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("airlock: " + e.line());
        err.flush();
        if (e.refusal()) {
            return RunCommand.REJECTED;
        }
        switch (e.kind()) {
            case NOT_FOUND:
            case EXISTS:
            case DENIED:
                return NOT_FOUND;
            case INPUT:
                return RunCommand.USAGE_ERROR;
            default:
                return RunCommand.INTERNAL;
        }
    }

    /** Runs {@code body}, turning skill errors and unexpected failures into one line. */
    public static int guarded(CommandLine.Model.CommandSpec spec, Body body) {
        try {
            return body.run();
        } catch (SkillException e) {
            return fail(spec, e);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            spec.commandLine().getErr().println("airlock: i/o error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return RunCommand.INTERNAL;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println(RunCommand.internalError(e));
            spec.commandLine().getErr().flush();
            return RunCommand.INTERNAL;
        }
    }

    /**
     * The data folder's registry, telling the user on stderr what it has to say (earlier installs
     * imported into the store).
     */
    static Registry registry(CommandLine.Model.CommandSpec spec, Path dataDir) {
        return Registry.open(dataDir)
                .onNotice(
                        n -> {
                            spec.commandLine().getErr().println("airlock: " + n);
                            spec.commandLine().getErr().flush();
                        });
    }

    /** A command body. */
    public interface Body {
        int run() throws SkillException, IOException;
    }

    /**
     * Records a refused skill as a run refused before it started, as {@code run} does for a
     * rejected module, so the trail shows every refusal: reason {@code PREFIX-KIND}, such as {@code
     * skill-tampered} (at run time) or {@code install-untrusted} (at install). A failure to record
     * is reported on stderr and does not change the exit status.
     */
    static void recordRefusal(
            CommandLine.Model.CommandSpec spec,
            Path dataDir,
            boolean useStore,
            Path audit,
            String prefix,
            Airlock airlock,
            SkillException e) {
        try (Recording recording = Recording.open(dataDir, useStore, audit)) {
            String reason = prefix + "-" + e.kind().name().toLowerCase(java.util.Locale.ROOT);
            recording.finish(
                    airlock.rejected(
                            new dev.airlock.core.ModuleRejectedException(
                                    reason, e.getMessage(), null),
                            recording.sink()));
        } catch (IOException | RuntimeException x) {
            spec.commandLine()
                    .getErr()
                    .println("airlock: cannot record the refusal: " + x.getMessage());
        }
    }

    /** An engine for checking and running skills (compiled modules cached as for run). */
    static Airlock engine() {
        return Airlock.builder().memoryCacheEntries(4).build();
    }

    /** Writes an archive atomically. */
    public static void writeArchive(SkillFiles files, Path out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        files.pack(bytes);
        Path abs = out.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), ".skill-", ".part");
        try {
            Files.write(tmp, bytes.toByteArray());
            Files.move(
                    tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
