package dev.airlock.cli.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * A server node's own folder when its store is a shared database: its audit signing key, the
 * skills' trust store and cache, and its node id (file {@value #ID_FILE}), made on first start from
 * the host name and a random suffix so that two nodes on one host differ.
 */
final class NodeDir {
    static final String ID_FILE = "node-id";

    private NodeDir() {}

    /** {@code --node-dir}, else $XDG_CACHE_HOME/airlock/node, else ~/.cache/airlock/node. */
    static Path resolve(Path given, Function<String, String> env) {
        if (given != null) {
            return given;
        }
        String cache = env.apply("XDG_CACHE_HOME");
        Path base =
                cache != null && !cache.isBlank()
                        ? Path.of(cache)
                        : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("airlock").resolve("node");
    }

    /**
     * The node id kept in {@code dir}, made and kept there on first use.
     *
     * @throws IOException if the folder or file cannot be written
     */
    static String id(Path dir) throws IOException {
        Path file = dir.resolve(ID_FILE);
        if (Files.isRegularFile(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!id.isEmpty()) {
                return id;
            }
        }
        Files.createDirectories(dir);
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        String id = host() + "-" + HexFormat.of().formatHex(b);
        Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
        return id;
    }

    /** The host name reduced to what a node id may hold, at most 40 characters. */
    static String host() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "node";
        }
        int dot = h.indexOf('.');
        h = (dot > 0 ? h.substring(0, dot) : h).replaceAll("[^A-Za-z0-9_-]", "-");
        if (h.isEmpty()) {
            h = "node";
        }
        return h.length() > 40 ? h.substring(0, 40) : h;
    }
}
