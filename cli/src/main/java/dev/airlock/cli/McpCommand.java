package dev.airlock.cli;

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
final class McpCommand implements Callable<Integer> {
    @Mixin DataOptions data = new DataOptions();

    @Mixin CacheOptions cache = new CacheOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        // nothing but JSON-RPC may reach stdout: anything printed by mistake goes to stderr
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        try {
            McpStdio.serve(
                    data.dir(),
                    ServerConfig.builder().cacheDir(cache.dir("")).build(),
                    new FileInputStream(FileDescriptor.in),
                    protocol);
            return 0;
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("airlock: mcp: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return RunCommand.INTERNAL;
        }
    }
}
