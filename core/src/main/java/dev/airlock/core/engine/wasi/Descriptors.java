package dev.airlock.core.engine.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What Airlock knows of a run's WASI descriptors, beside Chicory's own table: the volume (mount)
 * each one lives in, the folder behind each directory descriptor, which ones are regular files, and
 * which are in the append mode Airlock emulates.
 */
final class Descriptors {
    /** Descriptor to volume index, for the descriptors that live in a mount. */
    private final Map<Integer, Integer> volume = new HashMap<>();

    /** Directory descriptor to the folder it is open on (preopens and opened folders). */
    private final Map<Integer, Path> dir = new HashMap<>();

    /** Descriptors of regular files opened by the guest. */
    private final Set<Integer> files = new HashSet<>();

    /** The file each file descriptor is open on, links resolved as Chicory resolved them. */
    private final Map<Integer, Path> filePath = new HashMap<>();

    /** The file descriptors in append mode. */
    private final Set<Integer> append = new HashSet<>();

    /** Registers a preopened directory of volume {@code index}. */
    void preopen(int fd, int index, Path root) {
        volume.put(fd, index);
        dir.put(fd, root);
    }

    Integer volume(int fd) {
        return volume.get(fd);
    }

    boolean inVolume(int fd) {
        return volume.containsKey(fd);
    }

    /** Whether both descriptors are known and in different volumes. */
    boolean differentVolumes(int fd, int otherFd) {
        Integer v = volume.get(fd);
        Integer w = volume.get(otherFd);
        return v != null && w != null && !v.equals(w);
    }

    /** The folder a directory descriptor is open on, or {@code null}. */
    Path directory(int fd) {
        return dir.get(fd);
    }

    /** The folder or file a descriptor is open on, or {@code null} if Airlock does not know. */
    Path path(int fd) {
        Path d = dir.get(fd);
        return d != null ? d : filePath.get(fd);
    }

    boolean isFile(int fd) {
        return files.contains(fd);
    }

    boolean isAppend(int fd) {
        return append.contains(fd);
    }

    void setAppend(int fd, boolean on) {
        if (on) {
            append.add(fd);
        } else {
            append.remove(fd);
        }
    }

    /**
     * Remembers a descriptor opened by {@code path_open} under {@code dirFd}: its volume, and
     * whether it is a folder (which one) or a file.
     */
    void opened(int fd, int dirFd, Path opened) {
        Integer v = volume.get(dirFd);
        if (v != null) {
            volume.put(fd, v);
        }
        dir.remove(fd);
        filePath.remove(fd);
        if (opened != null && Files.isDirectory(opened)) {
            files.remove(fd);
            append.remove(fd);
            try {
                dir.put(fd, opened.toRealPath());
            } catch (IOException | RuntimeException e) {
                // left untracked: Chicory's own answers apply to it
            }
        } else {
            files.add(fd);
            if (opened != null) {
                // opened at all: Chicory followed a final link (without following, it refuses)
                filePath.put(fd, Links.real(opened, true));
            }
        }
    }

    void forget(int fd) {
        volume.remove(fd);
        dir.remove(fd);
        files.remove(fd);
        filePath.remove(fd);
        append.remove(fd);
    }

    /** {@code fd_renumber}: {@code to} becomes what {@code from} was. */
    void renumber(int from, int to) {
        Integer v = volume.remove(from);
        Path d = dir.remove(from);
        boolean file = files.remove(from);
        Path fp = filePath.remove(from);
        boolean app = append.remove(from);
        forget(to);
        if (fp != null) {
            filePath.put(to, fp);
        }
        if (v != null) {
            volume.put(to, v);
        }
        if (d != null) {
            dir.put(to, d);
        }
        if (file) {
            files.add(to);
        }
        if (app) {
            append.add(to);
        }
    }

    /**
     * The in-volume path that {@code rawPath} names under directory descriptor {@code dirFd},
     * resolved the way Chicory resolves it; {@code null} if the descriptor is no directory Airlock
     * knows or the path is absolute or leaves the directory.
     */
    Path resolve(int dirFd, String rawPath) {
        Path d = dir.get(dirFd);
        if (d == null || rawPath == null) {
            return null;
        }
        Path rel;
        try {
            rel = d.getFileSystem().getPath(rawPath);
        } catch (InvalidPathException e) {
            return null;
        }
        if (rel.isAbsolute()) {
            return null;
        }
        String n = rel.normalize().toString();
        if (n.equals("..") || n.startsWith("../")) {
            return null;
        }
        return d.resolve(n);
    }
}
