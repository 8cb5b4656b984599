package dev.airlock.skills.box;

import dev.airlock.skills.box.Dockerfile.Instruction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a box from a Dockerfile and its build context, with no network: FROM maps to Airlock's
 * interpreters, COPY and ADD take files from the context only, RUN is taken only for {@code pip
 * install} and {@code npm install} of pure packages in the local package folder, and every other
 * RUN (and any instruction that cannot be honoured) is refused with its line.
 */
public final class BoxBuilder {
    /** The Python version of Airlock's interpreter (CPython built for WASI). */
    public static final String PYTHON_VERSION = "3.13";

    private static final Pattern PYTHON =
            Pattern.compile(
                    "(?:(?:docker\\.io/)?library/)?python(?::(\\d+)(?:\\.(\\d+))?(?:\\.\\d+)?(?:-[a-z0-9.-]+)?|:latest|:slim|:alpine)?");
    private static final Pattern NODE =
            Pattern.compile(
                    "(?:(?:docker\\.io/)?library/)?node(?::((?:\\d+)(?:\\.\\d+){0,2}|lts|latest|current)(?:-[a-z0-9.-]+)?|:slim|:alpine)?");
    private static final Pattern REQ =
            Pattern.compile(
                    "([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*\\])?\\s*(?:==\\s*([^\\s;,]+))?.*");

    /**
     * What to build from.
     *
     * @param context the build context
     * @param packages the local package folder for RUN pip/npm install, or null
     * @param buildArgs values for ARG ({@code --build-arg})
     */
    public record Options(Path context, Path packages, Map<String, String> buildArgs) {}

    /**
     * A built box's contents.
     *
     * @param spec what it runs
     * @param rootfs its files by absolute guest path
     * @param site its Python packages by path under site-packages
     * @param warnings what was taken with a difference (a Python version, EXPOSE, USER...)
     * @param taken how many instructions of each kind were taken
     */
    public record Built(
            BoxSpec spec,
            Map<String, byte[]> rootfs,
            Map<String, byte[]> site,
            List<String> warnings,
            Map<String, Integer> taken) {}

    private final Options options;
    private final Map<String, String> args = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, byte[]> rootfs = new TreeMap<>();
    private final Map<String, byte[]> site = new TreeMap<>();
    private final Set<String> pipDone = new HashSet<>();
    private final Set<String> npmDone = new HashSet<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Integer> taken = new TreeMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<String> expose = new ArrayList<>();
    private String from;
    private String runtime;
    private String workdir = "/";
    private List<String> entrypoint = List.of();
    private List<String> cmd = List.of();
    private String user;
    private char escape;
    private Context context;

    private BoxBuilder(Options options) {
        this.options = options;
    }

    /**
     * Builds a box.
     *
     * @throws BoxException for the first instruction that cannot be taken, with its line
     */
    public static Built build(String dockerfile, Options options) throws BoxException {
        return new BoxBuilder(options).run(Dockerfile.parse(dockerfile));
    }

    private Built run(Dockerfile df) throws BoxException {
        escape = df.escape();
        try {
            context = new Context(options.context());
        } catch (IOException e) {
            throw new BoxException("build context: " + e.getMessage());
        }
        for (Instruction ins : df.instructions()) {
            try {
                instruction(ins);
            } catch (IllegalArgumentException e) {
                throw new BoxException(ins.line(), ins.keyword() + ": " + e.getMessage());
            } catch (IOException e) {
                throw new BoxException(ins.line(), ins.keyword() + ": " + e.getMessage());
            }
            taken.merge(ins.keyword(), 1, Integer::sum);
        }
        if (runtime == null) {
            throw new BoxException("the Dockerfile has no FROM");
        }
        BoxSpec spec =
                new BoxSpec(
                        from,
                        runtime,
                        workdir,
                        entrypoint,
                        cmd,
                        env,
                        user,
                        expose,
                        labels,
                        List.of());
        Launch launch;
        try {
            launch = Launch.of(spec, spec.argv(List.of()));
        } catch (BoxException e) {
            throw new BoxException(e.getMessage() + " (ENTRYPOINT/CMD)");
        }
        List<String> warm = List.of();
        if (launch.mode() == Launch.Mode.PYTHON_MODULE) {
            String main =
                    BoxImage.moduleFile(launch.target(), workdir, rootfs.keySet(), site.keySet());
            if (main == null) {
                throw new BoxException(
                        "python -m " + launch.target() + ": no such module in the box");
            }
            warm =
                    Warm.imports(
                            rootfs.containsKey(main)
                                    ? rootfs.get(main)
                                    : site.get(main.substring(BoxImage.SITE.length() + 1)),
                            rootfs.keySet(),
                            site.keySet(),
                            workdir);
        } else if (!rootfs.containsKey(launch.target())) {
            throw new BoxException(
                    "ENTRYPOINT/CMD: " + launch.target() + " is not in the box (COPY it)");
        } else if (launch.mode() == Launch.Mode.PYTHON_SCRIPT) {
            warm =
                    Warm.imports(
                            rootfs.get(launch.target()), rootfs.keySet(), site.keySet(), workdir);
        }
        spec =
                new BoxSpec(
                        from, runtime, workdir, entrypoint, cmd, env, user, expose, labels, warm);
        return new Built(spec, rootfs, site, List.copyOf(warnings), taken);
    }

    private Map<String, String> vars() {
        Map<String, String> v = new LinkedHashMap<>(args);
        v.putAll(env);
        return v;
    }

    private void instruction(Instruction ins) throws BoxException, IOException {
        String k = ins.keyword();
        if (from == null && !k.equals("FROM") && !k.equals("ARG")) {
            throw new BoxException(ins.line(), k + " before FROM");
        }
        switch (k) {
            case "ARG" -> arg(ins);
            case "FROM" -> from(ins);
            case "WORKDIR" -> {
                String w = Words.expand(ins.args(), vars(), escape);
                String abs = Launch.normalize(w.startsWith("/") ? w : workdir + "/" + w);
                if (w.isEmpty() || abs == null) {
                    throw new BoxException(ins.line(), "WORKDIR: bad path " + ins.args());
                }
                workdir = abs;
            }
            case "ENV" -> pairs(ins, env, true);
            case "LABEL" -> pairs(ins, labels, false);
            case "MAINTAINER" -> labels.put("maintainer", Words.expand(ins.args(), vars(), escape));
            case "USER" -> {
                user = Words.expand(ins.args(), vars(), escape);
                warnings.add(
                        "Dockerfile:"
                                + ins.line()
                                + ": USER "
                                + user
                                + " recorded: a box runs as no user (a sandbox has no users)");
            }
            case "EXPOSE" -> {
                List<String> ports = Words.split(ins.args(), vars(), escape, false);
                expose.addAll(ports);
                warnings.add(
                        "Dockerfile:"
                                + ins.line()
                                + ": EXPOSE "
                                + String.join(" ", ports)
                                + " noted: inbound network is not supported");
            }
            case "CMD" -> cmd = command(ins);
            case "ENTRYPOINT" -> {
                entrypoint = command(ins);
                cmd = List.of(); // as docker: ENTRYPOINT resets an earlier CMD
            }
            case "COPY", "ADD" -> copy(ins);
            case "RUN" -> runInstruction(ins);
            case "HEALTHCHECK", "STOPSIGNAL", "VOLUME" ->
                    warnings.add(
                            "Dockerfile:"
                                    + ins.line()
                                    + ": "
                                    + k
                                    + " ignored: a box is not a long-running container");
            default -> throw new BoxException(ins.line(), ins.shown() + " is not supported");
        }
    }

    private void arg(Instruction ins) {
        for (String w : Words.split(ins.args(), vars(), escape, false)) {
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("bad name " + name);
            }
            String given = options.buildArgs().get(name);
            args.put(
                    name,
                    given != null
                            ? given
                            : eq < 0 ? args.getOrDefault(name, "") : w.substring(eq + 1));
        }
    }

    private void from(Instruction ins) throws BoxException {
        if (from != null) {
            throw new BoxException(
                    ins.line(), "a second FROM: multi-stage builds are not supported");
        }
        List<String> w = new ArrayList<>(Words.split(ins.args(), vars(), escape, false));
        w.removeIf(s -> s.startsWith("--platform="));
        if (w.size() == 3 && w.get(1).equalsIgnoreCase("AS")) {
            w = w.subList(0, 1);
        }
        if (w.size() != 1) {
            throw new BoxException(ins.line(), "FROM expects one image: " + ins.args());
        }
        String image = w.get(0);
        from = image;
        if (image.equals("scratch")) {
            runtime = "wasm";
            return;
        }
        Matcher py = PYTHON.matcher(image);
        if (py.matches()) {
            runtime = "python";
            String major = py.group(1);
            String minor = py.group(2);
            String asked = major == null ? null : minor == null ? major : major + "." + minor;
            if (asked != null && !asked.equals(PYTHON_VERSION)) {
                warnings.add(
                        "Dockerfile:"
                                + ins.line()
                                + ": FROM "
                                + image
                                + " asks for Python "
                                + asked
                                + "; the box runs Python "
                                + PYTHON_VERSION);
            } else if (asked == null || minor == null) {
                warnings.add(
                        "Dockerfile:"
                                + ins.line()
                                + ": FROM "
                                + image
                                + " taken as Python "
                                + PYTHON_VERSION);
            }
            return;
        }
        Matcher node = NODE.matcher(image);
        if (node.matches()) {
            runtime = "javascript";
            warnings.add(
                    "Dockerfile:"
                            + ins.line()
                            + ": FROM "
                            + image
                            + " runs on Airlock's JavaScript interpreter (QuickJS, ECMAScript 2023), not Node"
                            + (node.group(1) == null ? "" : " " + node.group(1))
                            + ": CommonJS modules are bundled, Node's built-in modules (fs, path, http...) are not available");
            return;
        }
        throw new BoxException(
                ins.line(), "FROM " + image + " is not supported (python:3.x, node:NN or scratch)");
    }

    /** ENV and LABEL: {@code K=V ...}, or ENV's older {@code K V...}. */
    private void pairs(Instruction ins, Map<String, String> into, boolean isEnv) {
        List<String> words = Words.split(ins.args(), vars(), escape, false);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("nothing given");
        }
        if (!words.get(0).contains("=")) {
            if (!isEnv || words.size() < 2) {
                throw new IllegalArgumentException("expected NAME=VALUE");
            }
            int sp = ins.args().strip().indexOf(' ');
            into.put(
                    words.get(0),
                    Words.expand(ins.args().strip().substring(sp + 1).strip(), vars(), escape));
            return;
        }
        Map<String, String> now = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected NAME=VALUE, not " + w);
            }
            now.put(w.substring(0, eq), w.substring(eq + 1));
        }
        if (isEnv) {
            for (String n : now.keySet()) {
                if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("bad variable name " + n);
                }
            }
        }
        into.putAll(now);
    }

    /** CMD and ENTRYPOINT: exec form, or a shell form that is a plain command. */
    private List<String> command(Instruction ins) throws BoxException {
        if (ins.exec() != null) {
            return ins.exec();
        }
        try {
            List<String> w = Words.split(ins.args(), env, escape, true);
            if (w.contains("&&")) {
                throw new IllegalArgumentException("shell syntax '&&'");
            }
            return w;
        } catch (IllegalArgumentException e) {
            throw new BoxException(
                    ins.line(),
                    ins.shown()
                            + ": the shell form must be a plain command ("
                            + e.getMessage()
                            + "); use the exec form [\"...\"]");
        }
    }

    private void copy(Instruction ins) throws BoxException, IOException {
        boolean add = ins.keyword().equals("ADD");
        List<String> w =
                new ArrayList<>(
                        ins.exec() != null
                                ? ins.exec()
                                : Words.split(ins.args(), vars(), escape, false));
        while (!w.isEmpty() && w.get(0).startsWith("--")) {
            String opt = w.remove(0);
            if (opt.startsWith("--chown=") || opt.startsWith("--chmod=")) {
                continue; // a box's files have no owners; modes are not kept
            }
            if (opt.startsWith("--from=")) {
                throw new BoxException(
                        ins.line(),
                        ins.keyword() + " --from: multi-stage builds are not supported");
            }
            throw new BoxException(
                    ins.line(), ins.keyword() + " option " + opt + " is not supported");
        }
        if (w.size() < 2) {
            throw new BoxException(ins.line(), ins.keyword() + " expects SOURCE... DEST");
        }
        String dest = w.get(w.size() - 1);
        List<String> sources = w.subList(0, w.size() - 1);
        String destAbs = Launch.normalize(dest.startsWith("/") ? dest : workdir + "/" + dest);
        if (destAbs == null) {
            throw new BoxException(ins.line(), "bad destination " + dest);
        }
        boolean intoDir =
                dest.endsWith("/") || dest.equals(".") || sources.size() > 1 || isDir(destAbs);
        for (String src : sources) {
            if (src.matches("(?i)[a-z][a-z0-9+.-]*://.*") || src.startsWith("git@")) {
                throw new BoxException(
                        ins.line(),
                        ins.keyword()
                                + " "
                                + src
                                + ": fetching URLs is not supported (no network at build time)");
            }
            Map<String, byte[]> files = context.files(src, new ArrayList<>());
            if (add && files.size() == 1 && Tar.isArchive(src) && !context.isFolder(src)) {
                byte[] archive = files.values().iterator().next();
                Map<String, byte[]> entries;
                try {
                    entries = Tar.read(archive, 48L << 20);
                } catch (IOException e) {
                    throw new BoxException(ins.line(), "ADD " + src + ": " + e.getMessage());
                }
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    if (e.getValue() != null) {
                        put(destAbs + "/" + e.getKey(), e.getValue(), ins);
                    }
                }
                continue;
            }
            boolean folder =
                    context.isFolder(src) || files.size() > 1 || src.matches(".*[*?\\[].*");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                String target = folder || intoDir ? destAbs + "/" + f.getKey() : destAbs;
                put(target, f.getValue(), ins);
            }
        }
    }

    private boolean isDir(String abs) {
        String prefix = abs.equals("/") ? "/" : abs + "/";
        return rootfs.keySet().stream().anyMatch(p -> p.startsWith(prefix));
    }

    private void put(String path, byte[] content, Instruction ins) throws BoxException {
        String p = Launch.normalize(path);
        if (p == null || p.equals("/")) {
            throw new BoxException(ins.line(), "bad destination " + path);
        }
        String why = BoxImage.reserved(p);
        if (why != null) {
            throw new BoxException(ins.line(), ins.keyword() + " into " + p + ": " + why);
        }
        rootfs.put(p, content);
    }

    private void runInstruction(Instruction ins) throws BoxException, IOException {
        List<String> words;
        try {
            words = ins.exec() != null ? ins.exec() : Words.split(ins.args(), vars(), escape, true);
        } catch (IllegalArgumentException e) {
            throw refused(ins);
        }
        List<List<String>> commands = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String word : words) {
            if (word.equals("&&")) {
                commands.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(word);
            }
        }
        commands.add(cur);
        for (List<String> c : commands) {
            if (!RunCommands.take(c, this::pip, this::npm, workdir)) {
                throw refused(ins);
            }
        }
    }

    private BoxException refused(Instruction ins) {
        return new BoxException(
                ins.line(),
                ins.shown()
                        + " is not supported (only pip install and npm install of pure packages"
                        + " from --packages)");
    }

    /** Installs Python requirements named on a pip command line or in a requirements file. */
    private void pip(List<String> names, List<String> requirementFiles) throws IOException {
        Packages p = packages("pip install");
        List<String> all = new ArrayList<>(names);
        for (String f : requirementFiles) {
            String abs = Launch.normalize(f.startsWith("/") ? f : workdir + "/" + f);
            byte[] b = abs == null ? null : rootfs.get(abs);
            if (b == null) {
                throw new IOException(
                        "requirements file " + f + " is not in the box (COPY it first)");
            }
            for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
                String l = line.replaceAll("#.*", "").strip();
                if (l.startsWith("-")) {
                    throw new IOException(f + ": option lines (" + l + ") are not supported");
                }
                if (!l.isEmpty()) {
                    all.add(l);
                }
            }
        }
        for (String r : all) {
            Matcher m = REQ.matcher(r);
            if (!m.matches() || r.contains("://") || r.startsWith(".") || r.startsWith("/")) {
                throw new IOException(
                        "requirement "
                                + r
                                + " is not a package name (local paths and URLs are not supported)");
            }
            if (Packages.normalize(m.group(1)).equals("pip")
                    || Packages.normalize(m.group(1)).equals("setuptools")
                    || Packages.normalize(m.group(1)).equals("wheel")) {
                continue; // the installer's own tools: not needed
            }
            p.pip(m.group(1), m.group(2), site, pipDone);
        }
    }

    /** Installs JavaScript packages (the named ones, or package.json's dependencies). */
    private void npm(List<String> names) throws IOException {
        Packages p = packages("npm install");
        List<String> all = new ArrayList<>();
        if (names.isEmpty()) {
            byte[] pj = rootfs.get(Launch.normalize(workdir + "/package.json"));
            if (pj == null) {
                throw new IOException(
                        "npm install without names needs package.json in "
                                + workdir
                                + " (COPY it first)");
            }
            Packages.json(pj).path("dependencies").fieldNames().forEachRemaining(all::add);
        } else {
            for (String n : names) {
                all.add(n.replaceFirst("(?<=.)@[^/]*$", ""));
            }
        }
        Map<String, byte[]> modules = new TreeMap<>();
        for (String n : all) {
            p.npm(n, modules, npmDone);
        }
        String base = Launch.normalize(workdir + "/node_modules");
        for (Map.Entry<String, byte[]> e : modules.entrySet()) {
            rootfs.put(base + "/" + e.getKey(), e.getValue());
        }
    }

    private Packages packages(String what) throws IOException {
        if (options.packages() == null) {
            throw new IOException(
                    "RUN " + what + " needs --packages DIR (no network at build time)");
        }
        return new Packages(options.packages());
    }
}
