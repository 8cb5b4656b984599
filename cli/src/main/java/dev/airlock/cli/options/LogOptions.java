package dev.airlock.cli.options;

import dev.airlock.server.observe.ServerLog;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code airlock serve}'s log: one line per request and per warning, as text or JSON lines. */
public final class LogOptions {
    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            description =
                    "text (default) or json: one line per request (method, path, status, duration,"
                            + " tenant, run id, request and trace ids) and per server warning.")
    String format = "text";

    /** The {@code --log} file, or null for standard error. */
    @Option(
            names = "--log",
            paramLabel = "FILE",
            description = "Append the log to FILE instead of standard error.")
    public Path file;

    /**
     * The log these options describe.
     *
     * @throws IllegalArgumentException for an unknown format
     * @throws IOException if the file cannot be opened for appending
     */
    public ServerLog open() throws IOException {
        ServerLog.Builder b = ServerLog.builder().format(format);
        if (file != null) {
            OutputStream out = new FileOutputStream(file.toFile(), true);
            b.output(out);
        }
        return b.build();
    }
}
