package dev.airlock.audit.store;

import dev.airlock.audit.AuditKeys;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The public keys of the nodes that sign checkpoints in a store, by key id: what lets every
 * writer's chain verify from the store alone ({@link Store#verifyAll()}).
 */
final class Signers {
    private Signers() {}

    /** Stores {@code keys}' public key under its key id (once; later calls change nothing). */
    static void register(Db db, AuditKeys keys, String nodeId, long now) throws StoreException {
        String encoded = AuditKeys.encodePublic(keys.publicKey());
        db.write(
                "register the audit key of node " + nodeId,
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT public_key FROM audit_signers WHERE key_id = ?")) {
                        p.setString(1, keys.keyId());
                        try (ResultSet r = p.executeQuery()) {
                            if (r.next()) {
                                if (!encoded.equals(r.getString(1))) {
                                    throw new StoreException(
                                            "store "
                                                    + db.location
                                                    + ": another public key is registered under"
                                                    + " key id "
                                                    + keys.keyId());
                                }
                                return null;
                            }
                        }
                    }
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "INSERT INTO audit_signers (key_id, public_key, node_id,"
                                            + " registered_at) VALUES (?, ?, ?, ?)")) {
                        p.setString(1, keys.keyId());
                        p.setString(2, encoded);
                        p.setString(3, nodeId);
                        p.setLong(4, now);
                        p.executeUpdate();
                    }
                    return null;
                });
    }

    /**
     * Every registered key by key id; a row whose key does not decode, or whose id is not its key's
     * id, is left out (its checkpoints then fail as signed by an unknown key).
     */
    static Map<String, PublicKey> all(Connection c) throws SQLException {
        Map<String, PublicKey> out = new HashMap<>();
        try (PreparedStatement p =
                        c.prepareStatement("SELECT key_id, public_key FROM audit_signers");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                try {
                    PublicKey k = AuditKeys.decodePublic(r.getString(2));
                    if (AuditKeys.keyId(k).equals(r.getString(1))) {
                        out.put(r.getString(1), k);
                    }
                } catch (IllegalArgumentException e) {
                    // not a key: its checkpoints fail verification
                }
            }
        }
        return out;
    }
}
