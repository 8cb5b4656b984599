package dev.airlock.server.mcp;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.Store;
import dev.airlock.server.ServerConfig;
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
 */
public final class McpStdio {
    /** The tenant of stdio calls. */
    public static final String TENANT = "local";

    private McpStdio() {}

    /**
     * Serves until {@code in} ends, then drains running calls and closes the store.
     *
     * @throws IOException if the data folder or store cannot be opened
     */
    public static void serve(Path dataDir, InputStream in, OutputStream out) throws IOException {
        serve(dataDir, ServerConfig.defaults(), in, out);
    }

    /**
     * Serves with {@code config}'s engine settings (its cache folder, default limits, ...) until
     * {@code in} ends, then drains running calls and closes the store.
     *
     * @throws IOException if the data folder or store cannot be opened
     */
    public static void serve(Path dataDir, ServerConfig config, InputStream in, OutputStream out)
            throws IOException {
        AuditKeys keys = AuditKeys.loadOrCreate(dataDir);
        CountDownLatch ended = new CountDownLatch(1);
        try (Store store = Store.open(dataDir)) {
            store.tenants().ensure(TENANT);
            Principal local = new Principal("stdio", TENANT, false);
            try (AirlockService service =
                    new AirlockService(config, store, keys, new SimpleMeterRegistry(), dataDir)) {
                StdioServerTransportProvider transport =
                        new StdioServerTransportProvider(
                                new McpJson(),
                                new FilterInputStream(in) {
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
                                },
                                out);
                McpOrigins origins = new McpOrigins(null);
                McpSkillTools skills =
                        new McpSkillTools(service, ex -> local, ctx -> local, origins);
                McpSyncServer server =
                        McpServers.build(
                                McpServer.async(transport), service, ex -> local, skills, origins);
                McpServers.follow(server, service, skills);
                try {
                    ended.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    server.closeGracefully();
                }
            }
        }
    }
}
