package dev.airlock.audit.store;

import java.sql.PreparedStatement;

/**
 * The node heartbeats table: when each server node last said it is alive ({@link Store#heartbeat}).
 * {@link RunSlots} and {@link SessionStates} read it to tell silent nodes.
 */
final class NodeHeartbeats {
    private NodeHeartbeats() {}

    /** Records that node {@code nodeId} is alive at {@code nowMillis}. */
    static void beat(Db db, String nodeId, long nowMillis) throws StoreException {
        db.write(
                "heartbeat of node " + nodeId,
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "INSERT INTO node_heartbeats (node_id, seen_at) VALUES (?, ?)"
                                            + " ON CONFLICT (node_id) DO UPDATE SET seen_at = ?")) {
                        p.setString(1, nodeId);
                        p.setLong(2, nowMillis);
                        p.setLong(3, nowMillis);
                        p.executeUpdate();
                    }
                    return null;
                });
    }
}
