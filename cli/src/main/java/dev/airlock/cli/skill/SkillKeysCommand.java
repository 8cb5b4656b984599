package dev.airlock.cli.skill;

import dev.airlock.audit.AuditKeys;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.TrustStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock skill keys}: publisher key pairs, kept in the data folder's skills/keys. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Makes and lists Ed25519 publisher keys for signing skills.",
        subcommands = {SkillKeysCommand.Create.class, SkillKeysCommand.List.class})
public final class SkillKeysCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand (create or list)");
    }

    /** Loads {@code key}: a name in the keys folder, or a {@code .pk8} file beside its .pub. */
    /** The name of a {@code --key} value: NAME itself, or FILE.pk8's file name without it. */
    static String keyName(String key) {
        return key.endsWith(".pk8")
                ? Path.of(key).getFileName().toString().replaceAll("\\.pk8$", "")
                : key;
    }

    /** The publisher a manifest names: {@code publisher}, else the key's name, else "local". */
    public static String publisher(String publisher, String key) {
        return publisher != null ? publisher : key == null ? "local" : keyName(key);
    }

    /** The key pair {@code key} names: a {@code .pk8} file, else a key in the data folder. */
    public static AuditKeys load(Registry r, String key) throws SkillException {
        Path dir;
        String name;
        if (key.endsWith(".pk8")) {
            Path p = Path.of(key).toAbsolutePath();
            dir = p.getParent();
            name = keyName(key);
        } else {
            if (!Manifest.isName(key)) {
                throw new SkillException(SkillException.Kind.NOT_FOUND, "no key named " + key);
            }
            dir = r.keysDir();
            name = key;
        }
        try {
            return AuditKeys.load(dir, name);
        } catch (NoSuchFileException e) {
            throw new SkillException(
                    SkillException.Kind.NOT_FOUND,
                    "no key " + key + " (make one with 'airlock skill keys create')");
        } catch (IOException e) {
            throw new SkillException(SkillException.Kind.IO, e.getMessage());
        }
    }

    /** {@code airlock skill keys create NAME}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Makes an Ed25519 publisher key pair NAME.",
                "Writes NAME.pk8 (owner-only) and NAME.pub (for those who install your skills) in",
                "the data folder's skills/keys, and prints the key id and fingerprint. With",
                "--trust, also trusts it here as publisher NAME."
            })
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "Key and publisher name.")
        String name;

        @Option(names = "--trust", description = "Trust the new key here as publisher NAME.")
        boolean trust;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!Manifest.isName(name)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "NAME: lower-case letters, digits and dashes");
            }
            return SkillCommand.guarded(
                    spec,
                    () -> {
                        Registry r = Registry.open(data.dir());
                        AuditKeys k;
                        try {
                            k = AuditKeys.create(r.keysDir(), name);
                        } catch (FileAlreadyExistsException e) {
                            throw new SkillException(
                                    SkillException.Kind.EXISTS, "key " + name + " exists");
                        }
                        PrintWriter out = spec.commandLine().getOut();
                        out.println("key id       " + k.keyId());
                        out.println("fingerprint  " + AuditKeys.fingerprint(k.publicKey()));
                        out.println("public key   " + r.keysDir().resolve(name + ".pub"));
                        if (trust) {
                            r.trust().add(name, AuditKeys.encodePublic(k.publicKey()));
                            out.println("trusted as   " + name);
                        }
                        out.flush();
                        return 0;
                    });
        }
    }

    /** {@code airlock skill keys list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the publisher keys in the data folder's skills/keys.")
    static final class List implements Callable<Integer> {
        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return SkillCommand.guarded(
                    spec,
                    () -> {
                        Path dir = Registry.open(data.dir()).keysDir();
                        if (!Files.isDirectory(dir)) {
                            return 0;
                        }
                        try (Stream<Path> s = Files.list(dir)) {
                            for (Path p : s.sorted().toList()) {
                                String f = p.getFileName().toString();
                                if (f.endsWith(".pub")) {
                                    var key = AuditKeys.readPublicKey(p);
                                    spec.commandLine()
                                            .getOut()
                                            .printf(
                                                    "%-20s %s%n",
                                                    f.substring(0, f.length() - 4),
                                                    AuditKeys.fingerprint(key));
                                }
                            }
                        }
                        spec.commandLine().getOut().flush();
                        return 0;
                    });
        }
    }

    /** {@code airlock skill trust}: the publisher keys skills must be signed with. */
    @Command(
            name = "trust",
            mixinStandardHelpOptions = true,
            description = {
                "Manages the trust store of publisher keys.",
                "Only skills signed by a trusted key may be installed and run, and each key is",
                "trusted under the publisher name its skills must give in skill.json."
            },
            subcommands = {Trust.Add.class, Trust.Show.class, Trust.Remove.class})
    static final class Trust implements Runnable {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "missing subcommand (add, list or remove)");
        }

        /** {@code airlock skill trust add KEY.pub --publisher NAME}. */
        @Command(
                name = "add",
                mixinStandardHelpOptions = true,
                description = "Trusts a publisher's public key (a .pub file) as publisher NAME.")
        static final class Add implements Callable<Integer> {
            @Parameters(index = "0", paramLabel = "KEY.pub", description = "The public key file.")
            Path key;

            @Option(
                    names = "--publisher",
                    required = true,
                    paramLabel = "NAME",
                    description = "The publisher name its skills give in skill.json.")
            String publisher;

            @Mixin DataOptions data = new DataOptions();

            @CommandLine.Spec CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                return SkillCommand.guarded(
                        spec,
                        () -> {
                            String text;
                            try {
                                text = Files.readString(key);
                            } catch (IOException e) {
                                throw new SkillException(
                                        SkillException.Kind.NOT_FOUND, "cannot read " + key);
                            }
                            TrustStore.Publisher p =
                                    Registry.open(data.dir()).trust().add(publisher, text);
                            spec.commandLine()
                                    .getOut()
                                    .println(
                                            "trusted key "
                                                    + p.keyId()
                                                    + " as publisher "
                                                    + p.name());
                            spec.commandLine().getOut().flush();
                            return 0;
                        });
            }
        }

        /** {@code airlock skill trust list}. */
        @Command(
                name = "list",
                mixinStandardHelpOptions = true,
                description = "Lists the trusted publisher keys.")
        static final class Show implements Callable<Integer> {
            @Mixin DataOptions data = new DataOptions();

            @CommandLine.Spec CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                return SkillCommand.guarded(
                        spec,
                        () -> {
                            for (TrustStore.Publisher p :
                                    Registry.open(data.dir()).trust().publishers()) {
                                spec.commandLine()
                                        .getOut()
                                        .printf("%-20s %s%n", p.name(), p.fingerprint());
                            }
                            spec.commandLine().getOut().flush();
                            return 0;
                        });
            }
        }

        /** {@code airlock skill trust remove KEYID|NAME}. */
        @Command(
                name = "remove",
                mixinStandardHelpOptions = true,
                description = {
                    "Stops trusting a key (by id or fingerprint) or every key of a publisher.",
                    "Their installed skills no longer run."
                })
        static final class Remove implements Callable<Integer> {
            @Parameters(index = "0", paramLabel = "KEYID|NAME", description = "Key or publisher.")
            String which;

            @Mixin DataOptions data = new DataOptions();

            @CommandLine.Spec CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                return SkillCommand.guarded(
                        spec,
                        () -> {
                            int n = Registry.open(data.dir()).trust().remove(which);
                            if (n == 0) {
                                throw new SkillException(
                                        SkillException.Kind.NOT_FOUND,
                                        "no trusted key or publisher " + which);
                            }
                            spec.commandLine().getOut().println("removed " + n + " key(s)");
                            spec.commandLine().getOut().flush();
                            return 0;
                        });
            }
        }
    }
}
