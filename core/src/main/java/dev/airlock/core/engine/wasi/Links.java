package dev.airlock.core.engine.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves symbolic links in the in-memory volumes the way Chicory's WASI calls meet them. */
final class Links {
    /** More links than this on one path: Chicory's own call fails (ELOOP) or never ends. */
    private static final int MAX_LINKS = 40;

    private Links() {}

    /**
     * Where a call on {@code p} lands: every folder on the way resolved (the filesystem follows
     * those), and the final name too when {@code followFinal}, as Chicory follows it: a link's
     * target read as it is, a relative one against the volume's root.
     */
    static Path real(Path p, boolean followFinal) {
        for (int i = 0; followFinal && i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
            try {
                Path target = Files.readSymbolicLink(p);
                p = p.getRoot() == null ? target : p.getRoot().resolve(target);
            } catch (IOException | RuntimeException e) {
                break;
            }
        }
        Path parent = p.toAbsolutePath().getParent();
        Path name = p.getFileName();
        return parent == null || name == null ? p : existing(parent).resolve(name.toString());
    }

    /** The real path of a folder, or of its deepest existing ancestor with the rest appended. */
    private static Path existing(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException | RuntimeException e) {
            Path up = dir.getParent();
            Path name = dir.getFileName();
            return up == null || name == null ? dir : existing(up).resolve(name.toString());
        }
    }
}
