package dev.airlock.cli.serve;

import dev.airlock.audit.AuditKeys;
import dev.airlock.audit.store.Store;
import dev.airlock.server.AirlockServer;
import dev.airlock.server.ServerConfig;
import dev.airlock.server.observe.ServerLog;
import java.io.IOException;
import java.nio.file.Path;

/** Starts {@code airlock serve} on a data folder, or as a node of a shared database. */
final class NodeStart {
    private NodeStart() {}

    /**
     * A server on {@code where}: the data folder's store and key, or the database with the audit
     * key and skills kept in the node folder {@code home}.
     *
     * @throws IOException if the store cannot be opened or the node folder written
     */
    static AirlockServer start(ServerConfig config, StoreLocation where, Path home)
            throws IOException {
        return start(config, where, home, ServerLog.discard());
    }

    /** As {@link #start(ServerConfig, StoreLocation, Path)}, logging to {@code log}. */
    static AirlockServer start(ServerConfig config, StoreLocation where, Path home, ServerLog log)
            throws IOException {
        if (!where.isDatabase()) {
            return AirlockServer.start(config, where.folder(), log);
        }
        AuditKeys keys = AuditKeys.loadOrCreate(home);
        Store store = Store.open(where.jdbcUrl(), where.properties());
        return AirlockServer.startOwning(config, store, keys, home, log);
    }

    /** A failure's message on one line, never its class (a stand-in when it has none). */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return "unexpected failure";
        }
        return m.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
