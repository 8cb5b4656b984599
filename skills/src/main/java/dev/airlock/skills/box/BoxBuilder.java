package dev.airlock.skills.box;

import dev.airlock.skills.box.Dockerfile.Instruction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a box from a Dockerfile and its build context, with no network: FROM maps to Airlock's
 * interpreters, COPY and ADD take files from the context only, RUN is taken only for {@code pip
 * install} and {@code npm install} of pure packages in the local package folder, and every other
 * RUN (and any instruction that cannot be honoured) is refused with its line.
 */
public final class BoxBuilder {
    /** The Python version of Airlock's interpreter (CPython built for WASI). */
    public static final String PYTHON_VERSION = "3.13";

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
    // ARGs declared before FROM: as in docker, in scope for FROM only, and inherited after it by
    // an ARG of the same name declared without a value
    private final Map<String, String> beforeFrom = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, byte[]> rootfs = new TreeMap<>();
    private final Map<String, byte[]> site = new TreeMap<>();
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
    private Copies copies;

    private final Installs installs;

    private BoxBuilder(Options options) {
        this.options = options;
        this.installs = new Installs(options.packages(), rootfs, site);
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
            copies = new Copies(new Context(options.context()), rootfs);
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
            case "COPY", "ADD" ->
                    copies.copy(
                            ins,
                            ins.exec() != null
                                    ? ins.exec()
                                    : Words.split(ins.args(), vars(), escape, false),
                            workdir);
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
            String fallback = args.getOrDefault(name, beforeFrom.getOrDefault(name, ""));
            args.put(name, given != null ? given : eq < 0 ? fallback : w.substring(eq + 1));
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
        beforeFrom.putAll(args);
        args.clear();
        runtime = Images.runtime(image, ins.line(), warnings);
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
            if (!RunCommands.take(
                    c,
                    (n, f) -> installs.pip(workdir, n, f),
                    n -> installs.npm(workdir, n),
                    workdir)) {
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
}
