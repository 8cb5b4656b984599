package dev.airlock.cli.serve;

import dev.airlock.cli.RunCommand;
import dev.airlock.cli.options.CacheOptions;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.cli.options.TraceOptions;
import dev.airlock.server.ServerConfig;
import dev.airlock.server.mcp.McpStdio;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code airlock mcp}: an MCP server on stdin and stdout. */
@Command(
        name = "mcp",
        mixinStandardHelpOptions = true,
        description = "Serves MCP (Model Context Protocol) over stdin and stdout.",
        footer = {
            "",
            "Examples:",
            "  airlock mcp",
            "  airlock mcp --data /srv/airlock",
            "  airlock mcp --otlp-endpoint http://127.0.0.1:4318",
            "",
            "A client's configuration: {\"command\": \"/path/to/airlock\", \"args\": [\"mcp\"]}.",
            "",
            "Tools: run_python, run_javascript, run_wasm, create_session, run_in_session,",
            "list_sessions, snapshot_session, restore_session, fork_session, close_session,",
            "upload_file, download_file, list_files, and skill_NAME_TOOL for installed skills.",
            "The local user is trusted: calls run as tenant 'local' (limits: airlock tenants set",
            "local ...) and are recorded in the data folder's store. For MCP over HTTP, use",
            "'airlock serve' (/mcp)."
        })
public final class McpCommand implements Callable<Integer> {
    @Mixin DataOptions data = new DataOptions();

    @Mixin CacheOptions cache = new CacheOptions();

    @Mixin TraceOptions tracing = new TraceOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ServerConfig config;
        try {
            ServerConfig.Builder b = ServerConfig.builder().cacheDir(cache.dir(""));
            tracing.addTo(b);
            config = b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        // nothing but JSON-RPC may reach stdout: anything printed by mistake goes to stderr
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        try {
            McpStdio server =
                    McpStdio.start(
                            data.dir(), config, new FileInputStream(FileDescriptor.in), protocol);
            // MCP clients stop their server with TERM: calls end, records and spans are kept
            Thread stop = new Thread(() -> closeQuietly(server), "airlock-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            server.awaitEnd();
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException stopping) {
                // the hook is already running: it finds the server closed
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("airlock: mcp: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return RunCommand.INTERNAL;
        }
    }

    private static void closeQuietly(McpStdio server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("airlock: mcp: unclean stop: " + e.getMessage());
        }
    }
}
