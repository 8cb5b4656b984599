package dev.airlock.cli.serve;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where {@code --data} points: a data folder (the embedded SQLite store, keys beside it), or a
 * PostgreSQL database shared by several server nodes, given as {@code
 * postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMS]} or {@code jdbc:postgresql://...}. The
 * password may come from the URL, a file ({@code --data-password-file}) or the environment variable
 * {@value #PASSWORD_ENV}, in that order, so it never has to be on the command line.
 *
 * @param folder the data folder, or null for a database
 * @param jdbcUrl the database's JDBC URL without user or password, or null for a folder
 * @param shown the database as shown to people: no password
 * @param properties the driver's login properties (user, password)
 */
public record StoreLocation(Path folder, String jdbcUrl, String shown, Properties properties) {
    /** Where the database password may come from when neither the URL nor a file gives it. */
    static final String PASSWORD_ENV = "AIRLOCK_DB_PASSWORD";

    private static final String FORM = "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE";

    /** Whether this is a database rather than a data folder. */
    public boolean isDatabase() {
        return jdbcUrl != null;
    }

    /**
     * Reads {@code --data}.
     *
     * @param passwordFile a file holding the password (its first line), or null
     * @param env the environment
     * @throws IllegalArgumentException with a one-line message for a malformed URL or an unreadable
     *     password file
     */
    public static StoreLocation parse(
            String spec, Path passwordFile, Function<String, String> env) {
        String lower = spec.toLowerCase(java.util.Locale.ROOT);
        boolean jdbc = lower.startsWith("jdbc:postgresql:");
        if (!jdbc && !lower.startsWith("postgresql:") && !lower.startsWith("postgres:")) {
            if (lower.startsWith("jdbc:") || lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
                throw new IllegalArgumentException(
                        "--data: only PostgreSQL databases (" + FORM + ") or folders are stores");
            }
            if (passwordFile != null) {
                throw new IllegalArgumentException(
                        "--data-password-file goes with a PostgreSQL --data URL");
            }
            return new StoreLocation(Path.of(spec), null, spec, new Properties());
        }
        URI u;
        try {
            u = new URI(jdbc ? spec.substring("jdbc:".length()) : spec);
        } catch (URISyntaxException e) {
            throw bad("not a URL (" + e.getReason() + ")");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw bad("no host");
        }
        String path = u.getRawPath();
        if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw bad("no database name after the host");
        }
        Properties props = new Properties();
        String user = null;
        String password = null;
        if (u.getRawUserInfo() != null) {
            String info = u.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        StringBuilder query = new StringBuilder();
        if (u.getRawQuery() != null) {
            for (String kv : u.getRawQuery().split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                String k = decode(eq < 0 ? kv : kv.substring(0, eq));
                String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
                if (k.equals("user")) {
                    user = user == null ? v : user;
                } else if (k.equals("password")) {
                    password = password == null ? v : password;
                } else {
                    query.append(query.length() == 0 ? "?" : "&").append(kv);
                }
            }
        }
        if (user == null || user.isEmpty()) {
            throw bad("no user (" + FORM + ")");
        }
        if (password == null && passwordFile != null) {
            password = readPassword(passwordFile);
        }
        if (password == null) {
            password = env.apply(PASSWORD_ENV);
        }
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        String hostPort = u.getRawAuthority().substring(u.getRawAuthority().lastIndexOf('@') + 1);
        String where = "postgresql://" + hostPort + path;
        return new StoreLocation(null, "jdbc:" + where + query, user + "@" + where, props);
    }

    private static String readPassword(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            String first = (nl < 0 ? s : s.substring(0, nl)).strip();
            if (first.isEmpty()) {
                throw new IllegalArgumentException("--data-password-file " + file + " is empty");
            }
            return first;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--data-password-file " + file + " cannot be read", e);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad("bad %-escape");
        }
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("--data: not a PostgreSQL URL (" + FORM + "): " + why);
    }
}
