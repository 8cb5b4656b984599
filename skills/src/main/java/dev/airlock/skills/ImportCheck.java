package dev.airlock.skills;

import dev.airlock.core.ModuleInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Least privilege at load: which capabilities a wasm module's imports need, and whether the
 * manifest declares each. WASI's {@code path_*} calls need files (a declared mount, or data files
 * of the skill's own under {@code /skill}); {@code environ_*} needs declared env names; {@code
 * clock_*} and {@code poll_oneoff} need {@code clock}; {@code random_get} needs {@code random};
 * {@code sock_*} needs network, which no skill can declare (WASI preview 1 sockets are always
 * refused; HTTP goes through {@code airlock_http}, which needs declared {@code net} rules); the
 * {@code airlock} tool bridge needs declared tools; {@code wasi_ephemeral_nn} needs declared
 * models; stdio ({@code fd_*}), arguments and process exit need nothing. An import from any other
 * module is never covered.
 */
public final class ImportCheck {
    private ImportCheck() {}

    /**
     * One capability the module uses.
     *
     * @param capability {@code files}, {@code env}, {@code clock}, {@code random}, {@code network},
     *     {@code net}, {@code tools}, {@code nn}, {@code stdio} (always granted) or {@code
     *     unknown:MODULE}
     * @param imports the imports that need it
     * @param declared whether the manifest covers it
     */
    public record Need(String capability, List<String> imports, boolean declared) {}

    /** The capability one import needs. */
    static String capability(String module, String name) {
        switch (module) {
            case "wasi_snapshot_preview1":
                if (name.startsWith("path_")) {
                    return "files";
                }
                if (name.startsWith("environ_")) {
                    return "env";
                }
                if (name.startsWith("clock_") || name.equals("poll_oneoff")) {
                    return "clock";
                }
                if (name.equals("random_get")) {
                    return "random";
                }
                if (name.startsWith("sock_")) {
                    return "network";
                }
                return "stdio";
            case "airlock":
            case SkillRunner.TOOL_MODULE:
                return "tools";
            case "wasi_ephemeral_nn":
                return "nn";
            case dev.airlock.core.net.EgressGate.MODULE:
                return "net";
            default:
                return "unknown:" + module;
        }
    }

    /** Whether the manifest (with its files) declares {@code capability}. */
    static boolean declared(String capability, Manifest m, boolean hasDataFiles) {
        Manifest.Capabilities c = m.capabilities();
        switch (capability) {
            case "stdio":
                return true;
            case "files":
                return !c.mounts().isEmpty() || hasDataFiles;
            case "env":
                return !c.env().isEmpty();
            case "clock":
                return c.clock();
            case "random":
                return c.random();
            case "tools":
                // the airlock module also carries calls to other skills (skill:NAME/TOOL)
                return !c.tools().isEmpty() || !c.skills().isEmpty();
            case "nn":
                return !c.nn().isEmpty();
            case "net":
                return c.net().declared();
            default:
                return false;
        }
    }

    /** The capabilities the module's imports need, grouped, in first-use order. */
    public static List<Need> needs(List<ModuleInfo.Import> imports, Manifest m, SkillFiles files) {
        boolean data = hasDataFiles(m, files);
        Map<String, TreeSet<String>> by = new LinkedHashMap<>();
        for (ModuleInfo.Import i : imports) {
            by.computeIfAbsent(capability(i.module(), i.name()), k -> new TreeSet<>())
                    .add(i.module() + "." + i.name());
        }
        List<Need> out = new ArrayList<>();
        for (Map.Entry<String, TreeSet<String>> e : by.entrySet()) {
            out.add(new Need(e.getKey(), List.copyOf(e.getValue()), declared(e.getKey(), m, data)));
        }
        return out;
    }

    /**
     * Refuses a module whose imports need a capability the manifest does not declare.
     *
     * @throws SkillException {@code UNDECLARED}, naming the capability and the imports
     */
    public static void enforce(List<Need> needs, Manifest m) throws SkillException {
        for (Need n : needs) {
            if (!n.declared()) {
                String what =
                        n.capability().startsWith("unknown:")
                                ? "imports from module '"
                                        + n.capability().substring(8)
                                        + "', which no skill may use"
                                : "needs capability '"
                                        + n.capability()
                                        + "' that "
                                        + Manifest.FILE
                                        + " does not declare";
                throw new SkillException(
                        SkillException.Kind.UNDECLARED,
                        m.name()
                                + "@"
                                + m.version()
                                + ": "
                                + m.entry().file()
                                + " "
                                + what
                                + " ("
                                + String.join(", ", n.imports())
                                + ")");
            }
        }
    }

    /** Whether the skill ships files besides its manifest, signature and entry. */
    static boolean hasDataFiles(Manifest m, SkillFiles files) {
        for (String p : files.files().keySet()) {
            if (!p.equals(Manifest.FILE)
                    && !p.equals(SkillFiles.SIGNATURE)
                    && !p.equals(m.entry().file())) {
                return true;
            }
        }
        return false;
    }
}
