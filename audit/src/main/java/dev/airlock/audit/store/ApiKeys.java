package dev.airlock.audit.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API keys: each bound to a tenant, stored as the SHA-256 of its secret (a secret is 256 random
 * bits, so a plain hash is enough; the secret itself is shown once and never stored). Made by
 * {@link Store#apiKeys()}.
 */
public final class ApiKeys {
    /** Secrets longer than this are not looked up. */
    static final int MAX_SECRET = 512;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BOOTSTRAP_TENANT = "admin";

    private final Db db;

    ApiKeys(Db db) {
        this.db = db;
    }

    /**
     * Makes a key for a tenant (created with default limits if new).
     *
     * @param label a note for lists, or null (at most 200 characters)
     * @throws IllegalArgumentException for a bad tenant name or label
     */
    public NewKey create(String tenant, boolean admin, String label) throws StoreException {
        Tenant.checkName(tenant);
        if (label != null && label.length() > 200) {
            throw new IllegalArgumentException("a key label is at most 200 characters");
        }
        String secret = "ak_" + random(32);
        String keyId = "key_" + random(9);
        Principal who = new Principal(keyId, tenant, admin);
        db.write(
                "create key for " + tenant,
                c -> {
                    Tenants.ensure(c, tenant);
                    insert(c, keyId, hash(secret), tenant, admin, label);
                    return null;
                });
        return new NewKey(keyId, secret, who);
    }

    /** Who a secret is: empty for null, malformed, unknown or revoked secrets. */
    public Optional<Principal> authenticate(String secret) throws StoreException {
        if (secret == null || secret.isEmpty() || secret.length() > MAX_SECRET) {
            return Optional.empty();
        }
        String h = hash(secret);
        return db.read(
                "authenticate",
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT key_id, tenant, admin FROM api_keys WHERE"
                                            + " secret_hash = ? AND revoked_at IS NULL")) {
                        p.setString(1, h);
                        try (ResultSet r = p.executeQuery()) {
                            return r.next()
                                    ? Optional.of(
                                            new Principal(
                                                    r.getString(1),
                                                    r.getString(2),
                                                    r.getBoolean(3)))
                                    : Optional.empty();
                        }
                    }
                });
    }

    /**
     * Stores {@code secret} as an admin key of tenant {@code admin} (from {@code
     * AIRLOCK_BOOTSTRAP_KEY}); does nothing more if it is already stored.
     *
     * @throws IllegalArgumentException if the secret is shorter than 16 characters
     * @throws StoreException if that secret was stored and then revoked
     */
    public Principal bootstrap(String secret) throws StoreException {
        if (secret == null || secret.length() < 16 || secret.length() > MAX_SECRET) {
            throw new IllegalArgumentException("a bootstrap key is 16 to 512 characters");
        }
        String h = hash(secret);
        return db.write(
                "store the bootstrap key",
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT key_id, tenant, admin, revoked_at FROM api_keys WHERE"
                                            + " secret_hash = ?")) {
                        p.setString(1, h);
                        try (ResultSet r = p.executeQuery()) {
                            if (r.next()) {
                                r.getLong(4);
                                if (!r.wasNull()) {
                                    throw new StoreException(
                                            "the bootstrap key was revoked: choose another");
                                }
                                return new Principal(
                                        r.getString(1), r.getString(2), r.getBoolean(3));
                            }
                        }
                    }
                    Tenants.ensure(c, BOOTSTRAP_TENANT);
                    String keyId = "key_" + random(9);
                    insert(c, keyId, h, BOOTSTRAP_TENANT, true, "bootstrap");
                    return new Principal(keyId, BOOTSTRAP_TENANT, true);
                });
    }

    /** Revokes a key; false if there is no such unrevoked key. */
    public boolean revoke(String keyId) throws StoreException {
        if (keyId == null) {
            return false;
        }
        return db.write(
                "revoke key",
                c -> {
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND"
                                            + " revoked_at IS NULL")) {
                        p.setLong(1, System.currentTimeMillis());
                        p.setString(2, keyId);
                        return p.executeUpdate() == 1;
                    }
                });
    }

    /** The keys of a tenant, or of all tenants for null; oldest first. */
    public List<KeyInfo> list(String tenant) throws StoreException {
        return db.read(
                "list keys",
                c -> {
                    List<KeyInfo> out = new ArrayList<>();
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "SELECT key_id, tenant, admin, label, created_at, revoked_at"
                                            + " FROM api_keys"
                                            + (tenant == null ? "" : " WHERE tenant = ?")
                                            + " ORDER BY created_at, key_id")) {
                        if (tenant != null) {
                            p.setString(1, tenant);
                        }
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                long revoked = r.getLong(6);
                                boolean live = r.wasNull();
                                out.add(
                                        new KeyInfo(
                                                r.getString(1),
                                                r.getString(2),
                                                r.getBoolean(3),
                                                r.getString(4),
                                                Instant.ofEpochMilli(r.getLong(5)),
                                                live ? null : Instant.ofEpochMilli(revoked)));
                            }
                        }
                    }
                    return out;
                });
    }

    private static void insert(
            Connection c, String keyId, String hash, String tenant, boolean admin, String label)
            throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "INSERT INTO api_keys (key_id, secret_hash, tenant, admin, label,"
                                + " created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, keyId);
            p.setString(2, hash);
            p.setString(3, tenant);
            p.setBoolean(4, admin);
            p.setString(5, label);
            p.setLong(6, System.currentTimeMillis());
            p.setNull(7, Types.BIGINT);
            p.executeUpdate();
        }
    }

    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
