package dev.airlock.cli.skill;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.core.Durations;
import dev.airlock.core.Size;
import dev.airlock.skills.ImportCheck;
import dev.airlock.skills.Json;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillCheck;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock skill install|list|show|remove}: the data folder's registry. */
final class SkillRegistryCommands {
    private SkillRegistryCommands() {}

    /** {@code NAME[@VERSION]} split; the version is null when absent. */
    static String[] ref(String ref) {
        int at = ref.indexOf('@');
        return at < 0
                ? new String[] {ref, null}
                : new String[] {ref.substring(0, at), ref.substring(at + 1)};
    }

    /** {@code airlock skill install SKILL} or {@code airlock skill install --from URL NAME}. */
    @Command(
            name = "install",
            mixinStandardHelpOptions = true,
            description = {
                "Installs a skill folder or archive after checking it as verify does.",
                "With --from URL, SKILL is NAME[@VERSION] and its signed archive is downloaded",
                "from the airlock serve at URL (GET /v1/skills/NAME/archive), then checked against",
                "this data folder's trust store like any other: the server vouches for nothing.",
                "Refuses a version lower than one installed (unless --allow-downgrade) or one",
                "already installed. A refused skill is recorded in the store as a rejected run",
                "(reason install-KIND). --tenant limits which tenants of a server serving this",
                "data folder see the skill (default: every tenant)."
            })
    static final class Install implements Callable<Integer> {
        @Parameters(
                index = "0",
                paramLabel = "SKILL",
                description = "Folder or .skill archive; with --from, NAME[@VERSION].")
        String skill;

        @Option(names = "--allow-downgrade", description = "Install a lower version anyway.")
        boolean allowDowngrade;

        @Option(
                names = "--from",
                paramLabel = "URL",
                description = "Download NAME[@VERSION] from the airlock serve at URL.")
        String from;

        @Option(
                names = "--api-key-file",
                paramLabel = "FILE",
                description = "File holding the API key for --from. Default: $AIRLOCK_API_KEY.")
        Path keyFile;

        @Option(
                names = "--tenant",
                paramLabel = "NAME",
                description =
                        "A tenant that sees the skill when a server serves this data folder"
                                + " (repeatable; default: every tenant).")
        java.util.List<String> tenants = new ArrayList<>();

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SkillMarket market = null;
            String[] r = ref(skill);
            if (from != null) {
                try {
                    market = SkillMarket.of(from, keyFile);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
                if (!Manifest.isName(r[0])) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            "with --from, SKILL is NAME[@VERSION], not " + skill);
                }
            }
            try {
                Registry.tenants(tenants);
            } catch (SkillException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--tenant: " + e.getMessage());
            }
            SkillMarket source = market;
            dev.airlock.core.Airlock airlock = SkillCommand.engine();
            return SkillCommand.guarded(
                    spec,
                    () -> {
                        Registry registry = SkillCommand.registry(spec, data.dir());
                        Registry.Entry e;
                        java.util.List<String> seenBy =
                                tenants.isEmpty() ? null : Registry.tenants(tenants);
                        try {
                            SkillFiles files =
                                    source == null
                                            ? SkillFiles.read(Path.of(skill))
                                            : fetch(source, r[0], r[1]);
                            e = registry.install(files, allowDowngrade, airlock, seenBy);
                        } catch (SkillException x) {
                            if (x.refusal()) {
                                SkillCommand.recordRefusal(
                                        spec, data.dir(), true, null, "install", airlock, x);
                            }
                            throw x;
                        }
                        PrintWriter out = spec.commandLine().getOut();
                        out.println(
                                "installed "
                                        + e.name()
                                        + "@"
                                        + e.version()
                                        + " by "
                                        + e.publisher()
                                        + " (key "
                                        + e.keyId()
                                        + ")"
                                        + (source == null ? "" : " from " + source.where())
                                        + (seenBy == null
                                                ? ""
                                                : " for tenants " + String.join(", ", seenBy)));
                        out.flush();
                        return 0;
                    });
        }

        /**
         * Downloads {@code name} and checks that the server sent the skill asked for (its own
         * signature is checked by the install, against this trust store).
         */
        private static SkillFiles fetch(SkillMarket market, String name, String version)
                throws SkillException {
            byte[] archive = market.download(name, version);
            SkillFiles files =
                    SkillFiles.readArchive(
                            new java.io.ByteArrayInputStream(archive), "the downloaded archive");
            Manifest m = files.manifest();
            if (!m.name().equals(name)
                    || (version != null && !m.version().toString().equals(version))) {
                throw new SkillException(
                        SkillException.Kind.INVALID,
                        market.where()
                                + " sent "
                                + m.name()
                                + "@"
                                + m.version()
                                + " when asked for "
                                + name
                                + (version == null ? "" : "@" + version));
            }
            return files;
        }
    }

    /** {@code airlock skill list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists installed skills: name, version, kind, publisher and key id.")
    static final class List implements Callable<Integer> {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return SkillCommand.guarded(
                    spec,
                    () -> {
                        PrintWriter out = spec.commandLine().getOut();
                        java.util.List<Registry.Entry> all =
                                SkillCommand.registry(spec, data.dir()).list();
                        if (json) {
                            out.println(Json.pretty(all));
                        } else {
                            for (Registry.Entry e : all) {
                                out.printf(
                                        "%-24s %-12s %-10s %-20s %s%n",
                                        e.name(), e.version(), e.kind(), e.publisher(), e.keyId());
                            }
                        }
                        out.flush();
                        return 0;
                    });
        }
    }

    /** {@code airlock skill show NAME[@VERSION]}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Shows an installed skill, verified again.",
                "Prints its manifest, publisher key fingerprint, digest and file hashes, and the",
                "capabilities it declares next to those its module actually imports."
            })
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]", description = "The skill.")
        String ref;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String[] r = ref(ref);
            return SkillCommand.guarded(
                    spec,
                    () -> {
                        Registry.Installed s =
                                SkillCommand.registry(spec, data.dir())
                                        .get(r[0], r[1], SkillCommand.engine());
                        PrintWriter out = spec.commandLine().getOut();
                        if (json) {
                            out.println(Json.pretty(toJson(s)));
                        } else {
                            print(out, s);
                        }
                        out.flush();
                        return 0;
                    });
        }

        private static ObjectNode toJson(Registry.Installed s) throws SkillException {
            ObjectNode o = Json.object();
            o.set("manifest", Json.read(s.files().get(Manifest.FILE)));
            o.put("publisher", s.entry().publisher());
            o.put("keyId", s.entry().keyId());
            o.put("fingerprint", s.entry().fingerprint());
            o.put("digest", s.entry().digest());
            o.put("installedAt", s.entry().installedAt());
            ObjectNode files = o.putObject("files");
            for (var f : s.files().files().entrySet()) {
                files.put(f.getKey(), SkillFiles.sha256(f.getValue()));
            }
            ArrayNode needs = o.putArray("imports");
            for (ImportCheck.Need n : s.checked().needs()) {
                ObjectNode x = needs.addObject();
                x.put("capability", n.capability());
                x.put("declared", n.declared());
                ArrayNode names = x.putArray("imports");
                n.imports().forEach(names::add);
            }
            return o;
        }

        private static void print(PrintWriter out, Registry.Installed s) {
            SkillCheck.Checked c = s.checked();
            Manifest m = c.manifest();
            out.printf("skill        %s@%s%n", m.name(), m.version());
            out.printf("description  %s%n", m.description());
            out.printf("kind         %s (%s)%n", m.entry().kind().id(), m.entry().file());
            out.printf("publisher    %s%n", m.publisher());
            out.printf("key          %s%n", s.entry().keyId());
            out.printf("fingerprint  %s%n", s.entry().fingerprint());
            out.printf("digest       %s%n", s.entry().digest());
            out.printf("installed    %s%n", s.entry().installedAt());
            for (var f : s.files().files().entrySet()) {
                out.printf(
                        "file         %s  %s (%d bytes)%n",
                        SkillFiles.sha256(f.getValue()), f.getKey(), f.getValue().length);
            }
            for (Manifest.ToolSpec t : m.tools()) {
                out.printf("tool         %s: %s%n", t.name(), t.description());
            }
            Manifest.Capabilities cap = m.capabilities();
            java.util.List<String> declared = new ArrayList<>();
            for (Manifest.MountGrant g : cap.mounts()) {
                declared.add(
                        "mount "
                                + g.guest()
                                + (g.mode() == dev.airlock.core.Mount.Mode.READ_WRITE
                                        ? " rw"
                                        : " ro")
                                + " ("
                                + g.purpose()
                                + ")");
            }
            cap.env().forEach(e -> declared.add("env " + e));
            if (cap.clock()) {
                declared.add("clock");
            }
            if (cap.random()) {
                declared.add("random");
            }
            cap.tools().forEach(t -> declared.add("tool " + t));
            cap.skills().forEach(t -> declared.add("skill " + t));
            cap.nn().forEach(t -> declared.add("nn " + t));
            cap.net().rules().forEach(r -> declared.add("net " + r));
            out.printf(
                    "declares     %s%n",
                    declared.isEmpty() ? "nothing" : String.join("; ", declared));
            printImports(out, c);
            Manifest.SkillLimits l = m.limits();
            out.printf(
                    "limits       fuel %s, memory %s, timeout %s, output %s (each capped by the"
                            + " operator's)%n",
                    l.fuel() == null ? "-" : l.fuel(),
                    l.memoryBytes() == null ? "-" : Size.format(l.memoryBytes()),
                    l.timeout() == null ? "-" : Durations.format(l.timeout()),
                    l.outputBytes() == null ? "-" : Size.format(l.outputBytes()));
            if (l.tensorBytes() != null || l.computations() != null) {
                out.printf(
                        "nn limits    tensor %s, computations %s per run%n",
                        l.tensorBytes() == null ? "-" : Size.format(l.tensorBytes()),
                        l.computations() == null ? "-" : l.computations());
            }
            Manifest.NetGrant n = cap.net();
            if (n.declared()) {
                out.printf(
                        "net limits   requests %s, out %s, in %s, timeout %s, concurrent %s (each"
                                + " capped by the operator's)%n",
                        n.maxRequests() == null ? "-" : n.maxRequests(),
                        n.maxBytesOut() == null ? "-" : Size.format(n.maxBytesOut()),
                        n.maxBytesIn() == null ? "-" : Size.format(n.maxBytesIn()),
                        n.timeout() == null ? "-" : Durations.format(n.timeout()),
                        n.maxConcurrent() == null ? "-" : n.maxConcurrent());
            }
        }
    }

    /** The capabilities a skill's module imports, each marked declared or not. */
    static void printImports(PrintWriter out, SkillCheck.Checked c) {
        if (c.manifest().entry().kind() != Manifest.Entry.Kind.WASM
                && c.manifest().entry().kind() != Manifest.Entry.Kind.COMPONENT) {
            out.printf(
                    "imports      (interpreter skill: its reach is the policy's, which grants"
                            + " only what is declared)%n");
        }
        for (ImportCheck.Need n : c.needs()) {
            out.printf(
                    "imports      %-8s %-10s %s%n",
                    n.capability(),
                    n.capability().equals("stdio")
                            ? "(always)"
                            : n.declared() ? "declared" : "UNDECLARED",
                    String.join(" ", n.imports()));
        }
    }

    /** {@code airlock skill remove NAME[@VERSION]}. */
    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Removes an installed version, or every version without @VERSION.")
    static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]", description = "The skill.")
        String ref;

        @Mixin DataOptions data = new DataOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String[] r = ref(ref);
            return SkillCommand.guarded(
                    spec,
                    () -> {
                        for (Registry.Entry e :
                                SkillCommand.registry(spec, data.dir()).remove(r[0], r[1])) {
                            spec.commandLine()
                                    .getOut()
                                    .println("removed " + e.name() + "@" + e.version());
                        }
                        spec.commandLine().getOut().flush();
                        return 0;
                    });
        }
    }
}
