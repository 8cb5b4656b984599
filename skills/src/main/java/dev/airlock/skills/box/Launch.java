package dev.airlock.skills.box;

import java.util.List;
import java.util.Set;

/**
 * What a box's command line starts: a Python script or module ({@code python app.py}, {@code python
 * -m pkg}), a JavaScript file ({@code node app.js}), or a WASI module (its path).
 *
 * @param mode how
 * @param target the script's or module's absolute guest path, or the Python module's name
 * @param args the program's arguments
 * @param name the script or module as the command line wrote it (a Python script's {@code
 *     sys.argv[0]})
 */
public record Launch(Mode mode, String target, List<String> args, String name) {
    /** How a box's program starts. */
    public enum Mode {
        PYTHON_SCRIPT,
        PYTHON_MODULE,
        JAVASCRIPT,
        WASM
    }

    /** Interpreter options that change nothing here (unbuffered output, no bytecode files...). */
    private static final Set<String> PY_FLAGS = Set.of("-u", "-B", "-s", "-E", "-O", "-OO", "-q");

    /**
     * The launch of {@code argv} (ENTRYPOINT then CMD or the run's arguments) in a box of {@code
     * spec}.
     *
     * @throws BoxException if it is not a command the box's runtime can start
     */
    public static Launch of(BoxSpec spec, List<String> argv) throws BoxException {
        if (argv.isEmpty()) {
            throw new BoxException("the box has no command: give ENTRYPOINT or CMD, or arguments");
        }
        String prog = argv.get(0);
        String base = prog.substring(prog.lastIndexOf('/') + 1);
        switch (spec.runtime()) {
            case "python":
                if (base.endsWith(".py")) {
                    return new Launch(
                            Mode.PYTHON_SCRIPT,
                            path(spec, prog),
                            argv.subList(1, argv.size()),
                            prog);
                }
                if (!base.matches("python(3(\\.\\d+)?)?")) {
                    throw new BoxException(
                            "the command must start with python or python3 (or a .py script): "
                                    + prog);
                }
                int i = 1;
                while (i < argv.size() && PY_FLAGS.contains(argv.get(i))) {
                    i++;
                }
                if (i >= argv.size()) {
                    throw new BoxException("python without a script or -m MODULE: no REPL here");
                }
                String a = argv.get(i);
                if (a.equals("-m")) {
                    if (i + 1 >= argv.size()
                            || !argv.get(i + 1).matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                        throw new BoxException("python -m needs a module name");
                    }
                    return new Launch(
                            Mode.PYTHON_MODULE,
                            argv.get(i + 1),
                            argv.subList(i + 2, argv.size()),
                            argv.get(i + 1));
                }
                if (a.startsWith("-")) {
                    throw new BoxException("python option " + a + " is not supported");
                }
                return new Launch(
                        Mode.PYTHON_SCRIPT, path(spec, a), argv.subList(i + 1, argv.size()), a);
            case "javascript":
                if (!base.equals("node") && !base.equals("nodejs")) {
                    throw new BoxException("the command must start with node: " + prog);
                }
                if (argv.size() < 2 || argv.get(1).startsWith("-")) {
                    throw new BoxException(
                            "node needs a script as its first argument (no options, no REPL)");
                }
                return new Launch(
                        Mode.JAVASCRIPT,
                        path(spec, argv.get(1)),
                        argv.subList(2, argv.size()),
                        argv.get(1));
            default:
                return new Launch(Mode.WASM, path(spec, prog), argv.subList(1, argv.size()), prog);
        }
    }

    /** {@code p} as an absolute, normalised guest path (relative ones from the working folder). */
    static String path(BoxSpec spec, String p) throws BoxException {
        String abs = p.startsWith("/") ? p : spec.workdir() + "/" + p;
        String n = normalize(abs);
        if (n == null) {
            throw new BoxException("bad path " + p);
        }
        return n;
    }

    /** An absolute path without ., .. and doubled slashes; null if it climbs above /. */
    static String normalize(String abs) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String s : abs.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(s);
            }
        }
        return "/" + String.join("/", parts);
    }
}
