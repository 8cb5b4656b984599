package dev.airlock.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The tenants of a {@link Store}: their ceilings and quotas. Made by {@link Store#tenants()}. */
public final class Tenants {
    private static final String COLUMNS =
            "name, max_timeout_millis, max_memory_bytes, max_output_bytes, max_fuel,"
                    + " max_concurrent_runs, max_runs_per_minute, created_at";

    private final Db db;

    Tenants(Db db) {
        this.db = db;
    }

    /**
     * Creates a tenant.
     *
     * @throws IllegalArgumentException for a bad name
     * @throws StoreException if it exists, or the write fails
     */
    public Tenant create(String name, TenantLimits limits) throws StoreException {
        Tenant t =
                new Tenant(
                        name,
                        Objects.requireNonNull(limits, "limits"),
                        Instant.ofEpochMilli(System.currentTimeMillis()));
        return db.write(
                "create tenant " + name,
                c -> {
                    if (find(c, name).isPresent()) {
                        throw new StoreException("tenant " + name + " already exists");
                    }
                    insert(c, t);
                    return t;
                });
    }

    /**
     * The tenant, created with {@link TenantLimits#defaults()} if it does not exist.
     *
     * @throws IllegalArgumentException for a bad name
     */
    public Tenant ensure(String name) throws StoreException {
        Tenant.checkName(name);
        return db.write("ensure tenant " + name, c -> ensure(c, name));
    }

    static Tenant ensure(Connection c, String name) throws SQLException {
        Optional<Tenant> t = find(c, name);
        if (t.isPresent()) {
            return t.get();
        }
        Tenant fresh =
                new Tenant(
                        name,
                        TenantLimits.defaults(),
                        Instant.ofEpochMilli(System.currentTimeMillis()));
        insert(c, fresh);
        return fresh;
    }

    /** The tenant, if it exists (empty for a bad name). */
    public Optional<Tenant> get(String name) throws StoreException {
        if (name == null) {
            return Optional.empty();
        }
        return db.read("read tenant", c -> find(c, name));
    }

    /**
     * Replaces a tenant's limits.
     *
     * @throws StoreException if there is no such tenant, or the write fails
     */
    public Tenant update(String name, TenantLimits limits) throws StoreException {
        Objects.requireNonNull(limits, "limits");
        return db.write(
                "update tenant " + name,
                c -> {
                    Tenant old =
                            find(c, name)
                                    .orElseThrow(() -> new StoreException("no tenant " + name));
                    try (PreparedStatement p =
                            c.prepareStatement(
                                    "UPDATE tenants SET max_timeout_millis = ?, max_memory_bytes ="
                                            + " ?, max_output_bytes = ?, max_fuel = ?,"
                                            + " max_concurrent_runs = ?, max_runs_per_minute = ?"
                                            + " WHERE name = ?")) {
                        limits(p, 1, limits);
                        p.setString(7, name);
                        p.executeUpdate();
                    }
                    return new Tenant(name, limits, old.createdAt());
                });
    }

    /** All tenants, by name. */
    public List<Tenant> list() throws StoreException {
        return db.read(
                "list tenants",
                c -> {
                    List<Tenant> out = new ArrayList<>();
                    try (PreparedStatement p =
                                    c.prepareStatement(
                                            "SELECT " + COLUMNS + " FROM tenants ORDER BY name");
                            ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            out.add(row(r));
                        }
                    }
                    return out;
                });
    }

    private static Optional<Tenant> find(Connection c, String name) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT " + COLUMNS + " FROM tenants WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    private static void insert(Connection c, Tenant t) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement(
                        "INSERT INTO tenants (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, t.name());
            limits(p, 2, t.limits());
            p.setLong(8, t.createdAt().toEpochMilli());
            p.executeUpdate();
        }
    }

    private static void limits(PreparedStatement p, int at, TenantLimits l) throws SQLException {
        p.setLong(at, l.maxTimeout().toMillis());
        p.setLong(at + 1, l.maxMemoryBytes());
        p.setLong(at + 2, l.maxOutputBytes());
        p.setLong(at + 3, l.maxFuel());
        p.setInt(at + 4, l.maxConcurrentRuns());
        p.setInt(at + 5, l.maxRunsPerMinute());
    }

    private static Tenant row(ResultSet r) throws SQLException {
        return new Tenant(
                r.getString(1),
                new TenantLimits(
                        Duration.ofMillis(r.getLong(2)),
                        r.getLong(3),
                        r.getLong(4),
                        r.getLong(5),
                        r.getInt(6),
                        r.getInt(7)),
                Instant.ofEpochMilli(r.getLong(8)));
    }
}
