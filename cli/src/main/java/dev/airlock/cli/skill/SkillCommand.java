package dev.airlock.cli.skill;

import dev.airlock.audit.AuditKeys;
import dev.airlock.cli.Recording;
import dev.airlock.cli.RunCommand;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.core.Airlock;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Scaffold;
import dev.airlock.skills.Signatures;
import dev.airlock.skills.SkillCheck;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
            SkillCommand.New.class,
            SkillCommand.Pack.class,
            SkillKeysCommand.class,
            SkillKeysCommand.Trust.class,
            SkillCommand.Sign.class,
            SkillCommand.Verify.class,
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

    /** {@code airlock skill new NAME}. */
    @Command(
            name = "new",
            mixinStandardHelpOptions = true,
            description =
                    "Makes a folder NAME with a skill.json and an entry that echoes its input.")
    static final class New implements Callable<Integer> {
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
            return guarded(
                    spec,
                    () -> {
                        var files =
                                from != null
                                        ? Scaffold.fromComponent(
                                                target, name, readComponent(from), who)
                                        : Scaffold.create(target, name, k, who);
                        spec.commandLine()
                                .getOut()
                                .println(
                                        "created "
                                                + target
                                                + ": "
                                                + String.join(", ", files.keySet()));
                        spec.commandLine().getOut().flush();
                        return 0;
                    });
        }
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

    /** {@code airlock skill pack DIR}. */
    @Command(
            name = "pack",
            mixinStandardHelpOptions = true,
            description = {
                "Packs a skill folder into one NAME-VERSION.skill archive.",
                "The archive is a zip with sorted entries and fixed timestamps: the same files",
                "always pack to the same bytes."
            })
    static final class Pack implements Callable<Integer> {
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
            return guarded(
                    spec,
                    () -> {
                        SkillFiles files = SkillFiles.readFolder(dir);
                        Manifest m = files.manifest();
                        Path out =
                                output != null
                                        ? output
                                        : Path.of(
                                                m.name()
                                                        + "-"
                                                        + m.version()
                                                        + SkillFiles.EXTENSION);
                        writeArchive(files, out);
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

    /** {@code airlock skill sign SKILL --key NAME}. */
    @Command(
            name = "sign",
            mixinStandardHelpOptions = true,
            description = {
                "Signs a skill folder or archive with a publisher key.",
                "A folder gets a signature.json; an archive is rewritten with one. The key is one",
                "made by 'airlock skill keys create'."
            })
    static final class Sign implements Callable<Integer> {
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
            return guarded(
                    spec,
                    () -> {
                        AuditKeys k = SkillKeysCommand.load(Registry.open(data.dir()), key);
                        SkillFiles signed = Signatures.sign(SkillFiles.read(skill), k);
                        if (Files.isDirectory(skill)) {
                            Files.write(
                                    skill.resolve(SkillFiles.SIGNATURE),
                                    signed.get(SkillFiles.SIGNATURE));
                        } else {
                            writeArchive(signed, skill);
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

    /** {@code airlock skill verify SKILL}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Checks a skill folder or archive as install would, installing nothing.",
                "Checks the manifest, the signature against the trust store, and the module's",
                "imports against the declared capabilities."
            })
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SKILL", description = "Folder or .skill archive.")
        Path skill;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return guarded(
                    spec,
                    () -> {
                        Registry r = Registry.open(data.dir());
                        SkillCheck.Checked c =
                                SkillCheck.check(SkillFiles.read(skill), r.trust(), engine());
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
}
