package dev.airlock.server.mcp;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.Store;
import dev.airlock.server.ServerConfig;
import dev.airlock.server.observe.Tracing;
import dev.airlock.server.service.AirlockService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * MCP over stdio ({@code airlock mcp}): JSON-RPC on stdin and stdout, nothing else on stdout. The
 * local user who starts it is trusted: calls run as tenant {@value #TENANT} (created with default
 * limits), recorded in the data folder's store like any other run.
 *
 * <p>It serves until its input ends or it is {@linkplain #close() closed}, whichever comes first; a
 * client that stops it with a signal (the MCP SDKs send TERM) should have the process close it from
 * a shutdown hook, so that running calls end, their records are sealed and the last trace spans are
 * exported.
 */
public final class McpStdio implements AutoCloseable {
    /** The tenant of stdio calls. */
    public static final String TENANT = "local";

    private final CountDownLatch ended = new CountDownLatch(1);
    private final Store store;
    private final Tracing tracing;
    private final AirlockService service;
    private final McpSyncServer server;
    private boolean closed;

    private McpStdio(Path dataDir, ServerConfig config, InputStream in, OutputStream out)
            throws IOException {
        AuditKeys keys = AuditKeys.loadOrCreate(dataDir);
        Store store = Store.open(dataDir);
        Tracing tracing = null;
        AirlockService service = null;
        try {
            store.tenants().ensure(TENANT);
            Principal local = new Principal("stdio", TENANT, false);
            tracing = config.newTracing();
            service =
                    new AirlockService(
                            config,
                            store,
                            keys,
                            new SimpleMeterRegistry(),
                            dataDir,
                            tracing.tracer());
            StdioServerTransportProvider transport =
                    new StdioServerTransportProvider(new McpJson(), new EndWatch(in), out);
            McpOrigins origins = new McpOrigins(tracing.tracer());
            McpSkillTools skills = new McpSkillTools(service, ex -> local, ctx -> local, origins);
            this.server =
                    McpServers.build(
                            McpServer.async(transport), service, ex -> local, skills, origins);
            McpServers.follow(server, service, skills);
        } catch (IOException | RuntimeException e) {
            if (service != null) {
                service.close();
            }
            if (tracing != null) {
                tracing.close();
            }
            store.close();
            throw e;
        }
        this.store = store;
        this.tracing = tracing;
        this.service = service;
    }

    /**
     * Starts serving {@code in} and {@code out} with {@code config}'s engine settings (its cache
     * folder, default limits, tracing, ...).
     *
     * @throws IOException if the data folder or store cannot be opened
     */
    public static McpStdio start(
            Path dataDir, ServerConfig config, InputStream in, OutputStream out)
            throws IOException {
        return new McpStdio(dataDir, config, in, out);
    }

    /**
     * Serves until {@code in} ends, then drains running calls and closes the store.
     *
     * @throws IOException if the data folder or store cannot be opened
     */
    public static void serve(Path dataDir, InputStream in, OutputStream out) throws IOException {
        serve(dataDir, ServerConfig.defaults(), in, out);
    }

    /**
     * Serves with {@code config}'s engine settings until {@code in} ends, then closes.
     *
     * @throws IOException if the data folder or store cannot be opened
     */
    public static void serve(Path dataDir, ServerConfig config, InputStream in, OutputStream out)
            throws IOException {
        try (McpStdio s = start(dataDir, config, in, out)) {
            s.awaitEnd();
        }
    }

    /** Waits until the input ends or this server is closed. */
    public void awaitEnd() {
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops taking calls, lets running ones end, exports the last trace spans and closes the store.
     * Closing again does nothing.
     *
     * @throws IOException if the store could not be closed cleanly
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        ended.countDown();
        try {
            server.closeGracefully();
        } finally {
            try {
                service.close();
            } finally {
                try {
                    tracing.close();
                } finally {
                    store.close();
                }
            }
        }
    }

    /** The input, counting down {@code ended} when it ends. */
    private final class EndWatch extends FilterInputStream {
        EndWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            return ended(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return ended(super.read(b, off, len));
        }

        private int ended(int n) {
            if (n < 0) {
                ended.countDown();
            }
            return n;
        }
    }
}
