package dev.airlock.cli;

import dev.airlock.audit.store.StoreWarmUp;
import dev.airlock.cli.audit.AuditCommand;
import dev.airlock.cli.component.CallCommand;
import dev.airlock.cli.component.ComposeCommand;
import dev.airlock.cli.serve.KeysCommand;
import dev.airlock.cli.serve.McpCommand;
import dev.airlock.cli.serve.ServeCommand;
import dev.airlock.cli.serve.TenantsCommand;
import dev.airlock.cli.skill.SkillCommand;
import dev.airlock.cli.skill.SkillRunCommand;
import dev.airlock.core.Airlock;
import dev.airlock.core.Stdio;
import dev.airlock.lang.Language;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code airlock}: run untrusted WebAssembly with nothing but what you grant. */
@Command(
        name = "airlock",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Runs untrusted WebAssembly (WASI preview 1) modules, Python and JavaScript in a",
            "deny-by-default sandbox: code reaches only the files, variables, clock, randomness",
            "and host tools you grant, within the limits you set."
        },
        footer = {
            "",
            "Examples:",
            "  airlock run --mount ./data:/data --timeout 5s app.wasm input.csv",
            "  airlock py -c 'print(sum(range(10)))'",
            "  airlock js script.js one two",
            "  airlock inspect --json module.wat",
            "  airlock audit verify trail.jsonl",
            "",
            "Exit status of run, py and js: the guest's own exit code when it exits by itself; 125",
            "when the sandbox stopped it (limit or trap); 126 when the module was rejected; 2 for",
            "usage errors; 70 for an internal error. 'airlock COMMAND --help' describes each",
            "command; 'airlock doctor' checks the installation."
        })
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** Usage errors. */
    public static final int USAGE = 2;

    /** The commands, in the order the help lists them. */
    private static final List<Class<?>> COMMANDS =
            List.of(
                    RunCommand.class,
                    CodeCommand.Py.class,
                    CodeCommand.Js.class,
                    InspectCommand.class,
                    CallCommand.class,
                    ComposeCommand.class,
                    AuditCommand.class,
                    ServeCommand.class,
                    McpCommand.class,
                    BatchCommand.class,
                    KeysCommand.class,
                    TenantsCommand.class,
                    SkillCommand.class,
                    CompileCommand.class,
                    BoxCommand.class,
                    DoctorCommand.class,
                    CompletionCommand.class,
                    CdsTrainingCommand.class,
                    CommandLine.HelpCommand.class);

    /** Commands that read the whole command tree, so that naming them builds all of it. */
    private static final Set<String> WHOLE_TREE = Set.of("help", "completion");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Without a command: the help, which lists the commands, and the usage error status. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return USAGE;
    }

    /** Builds the command line with Airlock's conventions, writing to the process's streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(
                out,
                err,
                Stdio.of(
                        new FileOutputStream(FileDescriptor.out),
                        new FileOutputStream(FileDescriptor.err)));
    }

    /**
     * Builds the command line with Airlock's conventions: its own messages go to {@code out} and
     * {@code err}, the guest's output to {@code guest}.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Stdio guest) {
        return commandLine(out, err, guest, null);
    }

    /**
     * Builds the command line for {@code args}: when the first argument names a command, only that
     * command (with its subcommands) is built, since picocli reads every command's annotations when
     * it is added and that reading was a third of a short run's start-up; otherwise (no command, an
     * option such as {@code --help}, an unknown name, {@code help} or {@code completion}) the whole
     * tree. The result parses and prints {@code args} exactly as the whole tree would.
     */
    static CommandLine forArgs(PrintWriter out, PrintWriter err, Stdio guest, String[] args) {
        String first = args.length == 0 ? null : args[0];
        boolean one = first != null && !WHOLE_TREE.contains(first) && commandClass(first) != null;
        return commandLine(out, err, guest, one ? first : null);
    }

    /** The class of the top-level command named {@code name} (or one of its aliases), or null. */
    static Class<?> commandClass(String name) {
        for (Class<?> cls : COMMANDS) {
            Command c = cls.getAnnotation(Command.class);
            if (c.name().equals(name) || Arrays.asList(c.aliases()).contains(name)) {
                return cls;
            }
        }
        return null;
    }

    private static CommandLine commandLine(
            PrintWriter out, PrintWriter err, Stdio guest, String only) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory =
                new CommandLine.IFactory() {
                    @Override
                    public <K> K create(Class<K> cls) throws Exception {
                        if (cls == RunCommand.class) {
                            return cls.cast(new RunCommand(guest));
                        }
                        if (cls == CodeCommand.Py.class) {
                            return cls.cast(new CodeCommand.Py(guest));
                        }
                        if (cls == CodeCommand.Js.class) {
                            return cls.cast(new CodeCommand.Js(guest));
                        }
                        if (cls == CallCommand.class) {
                            return cls.cast(new CallCommand(guest));
                        }
                        if (cls == ComposeCommand.class) {
                            return cls.cast(new ComposeCommand(guest));
                        }
                        if (cls == BoxCommand.Run.class) {
                            return cls.cast(new BoxCommand.Run(guest));
                        }
                        if (cls == SkillRunCommand.class) {
                            return cls.cast(new SkillRunCommand(guest));
                        }
                        return defaults.create(cls);
                    }
                };
        CommandLine cl = new CommandLine(new Main(), factory);
        Class<?> chosen = only == null ? null : commandClass(only);
        for (Class<?> cls : COMMANDS) {
            if (chosen == null || cls == chosen) {
                try {
                    cl.addSubcommand(factory.create(cls));
                } catch (Exception e) {
                    throw new CommandLine.InitializationException("cannot create " + cls, e);
                }
            }
        }
        // relative paths name files in the invocation's folder (the process's own: as given)
        cl.registerConverter(Path.class, s -> Invocation.current().path(s));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> USAGE);
        // everything after the module path belongs to the guest, dashes included
        stopAtPositional(cl, "run");
        // and everything after a program file belongs to the program (python3 FILE ARGS...)
        stopAtPositional(cl, "py");
        stopAtPositional(cl, "js");
        // and everything after the box belongs to its program (docker run IMAGE ARGS...)
        CommandLine box = cl.getSubcommands().get("box");
        if (box != null) {
            stopAtPositional(box, "run");
        }
        HelpStyle.apply(cl);
        cl.setParameterExceptionHandler(
                (ex, args) -> {
                    err.println("airlock: " + message(ex));
                    err.println(
                            "Try '"
                                    + ex.getCommandLine().getCommandSpec().qualifiedName()
                                    + " --help' for more information.");
                    err.flush();
                    return USAGE;
                });
        return cl;
    }

    private static void stopAtPositional(CommandLine parent, String name) {
        CommandLine sub = parent.getSubcommands().get(name);
        if (sub != null) {
            sub.setStopAtPositional(true);
        }
    }

    /** The one-line message of a usage error, saying why where an option is missing on purpose. */
    private static String message(CommandLine.ParameterException ex) {
        String command = ex.getCommandLine().getCommandName();
        if (ex instanceof CommandLine.UnmatchedArgumentException u
                && (command.equals("py") || command.equals("js"))
                && !u.getUnmatched().isEmpty()) {
            String why = CodeCommand.unavailable(command, u.getUnmatched().get(0));
            if (why != null) {
                return why;
            }
        }
        return ex.getMessage();
    }

    /**
     * Runs one command line as {@code invocation}: in its folder and environment, its engines from
     * its {@link Engines}, its messages to {@code out} and {@code err} and the guest's output to
     * {@code guest}. Returns the exit status the process would exit with; never exits the JVM.
     */
    public static int execute(
            Invocation invocation, PrintWriter out, PrintWriter err, Stdio guest, String[] args) {
        return Invocation.within(
                invocation,
                () -> {
                    int code = forArgs(out, err, guest, args).execute(args);
                    out.flush();
                    err.flush();
                    return code;
                });
    }

    public static void main(String[] args) {
        warmUp(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code =
                forArgs(
                                out,
                                err,
                                Stdio.of(
                                        new FileOutputStream(FileDescriptor.out),
                                        new FileOutputStream(FileDescriptor.err)),
                                args)
                        .execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Commands that run a guest and record it in the store. */
    private static final Set<String> RUNNING =
            Set.of("run", "py", "js", "call", "compose", "box", "skill");

    /**
     * For a command that runs a guest, makes the store's first uses on a daemon thread while this
     * one parses the command line ({@link StoreWarmUp}): code the JVM runs once, in its bytecode
     * interpreter, then runs beside the parsing rather than after it (a short run 0.92x wall on 2
     * cores). {@code -Dairlock.warmup=false} turns it off. The engine's first uses were tried too,
     * and gained nothing (they overlap little with the parsing and mostly repeat work).
     */
    private static void warmUp(String[] args) {
        if (args.length > 0 && RUNNING.contains(args[0])) {
            Background.start("airlock-warmup", StoreWarmUp::run);
        }
    }

    /**
     * Reports Airlock's version (from the jar manifest), the engine, the Java runtime and the
     * bundled interpreters.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "airlock " + (v == null ? "(development build)" : v),
                "engine:  " + Airlock.engineVersion(),
                "java:    "
                        + System.getProperty("java.vendor", "")
                        + " "
                        + Runtime.version()
                        + " ("
                        + System.getProperty("os.name", "")
                        + " "
                        + System.getProperty("os.arch", "")
                        + ")",
                "python:  " + Language.PYTHON.runtime(),
                "js:      " + Language.JAVASCRIPT.runtime()
            };
        }
    }
}
