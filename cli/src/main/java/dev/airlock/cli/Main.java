package dev.airlock.cli;

import dev.airlock.core.Stdio;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code airlock}: run untrusted WebAssembly with nothing but what you grant. */
@Command(
        name = "airlock",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description =
                "Runs untrusted WebAssembly (WASI preview 1) modules in a deny-by-default sandbox.",
        subcommands = {
            RunCommand.class,
            CodeCommand.Py.class,
            CodeCommand.Js.class,
            InspectCommand.class,
            AuditCommand.class,
            ServeCommand.class,
            McpCommand.class,
            KeysCommand.class,
            TenantsCommand.class,
            SkillCommand.class,
            CdsTrainingCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Exit status of run: the guest's own exit code when it exits by itself; 125 when the",
            "sandbox stopped it (limit or trap); 126 when the module was rejected; 2 for usage errors;",
            "70 for an internal error."
        })
public final class Main implements Runnable {
    /** Usage errors. */
    public static final int USAGE = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing command (run or inspect)");
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
                        if (cls == SkillRunCommand.class) {
                            return cls.cast(new SkillRunCommand(guest));
                        }
                        return defaults.create(cls);
                    }
                };
        CommandLine cl = new CommandLine(new Main(), factory);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> USAGE);
        // everything after the module path belongs to the guest, dashes included
        cl.getSubcommands().get("run").setStopAtPositional(true);
        // and everything after a program file belongs to the program (python3 FILE ARGS...)
        cl.getSubcommands().get("py").setStopAtPositional(true);
        cl.getSubcommands().get("js").setStopAtPositional(true);
        cl.setParameterExceptionHandler(
                (ex, args) -> {
                    err.println("airlock: " + ex.getMessage());
                    err.println(
                            "Try 'airlock " + commandName(ex) + "--help' for more information.");
                    err.flush();
                    return USAGE;
                });
        return cl;
    }

    private static String commandName(CommandLine.ParameterException ex) {
        String name = ex.getCommandLine().getCommandName();
        return name.equals("airlock") ? "" : name + " ";
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"airlock " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
