package dev.airlock.skills.box;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The build context: the folder whose files {@code COPY} and {@code ADD} may take, and nothing
 * outside it. A source that climbs out ({@code ../x}), and a link whose target lies outside the
 * context, are refused; a link inside is followed to its file. {@code .dockerignore} patterns
 * (globs, relative to the context; {@code !} exceptions are not supported) leave files out.
 */
final class Context {
    private final Path root;
    private final Path realRoot;
    private final List<PathMatcher> ignored = new ArrayList<>();

    Context(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = this.root.toRealPath();
        Path ignore = this.root.resolve(".dockerignore");
        if (Files.isRegularFile(ignore, LinkOption.NOFOLLOW_LINKS)) {
            for (String line : Files.readAllLines(ignore)) {
                String p = line.strip();
                if (p.isEmpty() || p.startsWith("#")) {
                    continue;
                }
                if (p.startsWith("!")) {
                    throw new IOException(".dockerignore: exceptions (!) are not supported");
                }
                p = p.replaceAll("^/+|/+$", "");
                if (p.startsWith("./")) {
                    p = p.substring(2);
                }
                ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
            }
        }
    }

    /** Whether a path relative to the context is left out by {@code .dockerignore}. */
    private boolean isIgnored(Path rel) {
        for (int i = 1; i <= rel.getNameCount(); i++) {
            Path part = rel.subpath(0, i);
            for (PathMatcher m : ignored) {
                if (m.matches(part)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The files a source names, each by its path relative to the source (a file's own name for a
     * file; the folder's contents, not the folder, for a folder, as docker copies it). A glob in
     * the last part selects the matching files and folders.
     *
     * @param source the source as written (relative to the context; a leading / is the context's)
     * @throws IOException (with a message for the user) if it is outside the context, missing, or
     *     holds a link out
     */
    Map<String, byte[]> files(String source, List<String> names) throws IOException {
        Path p = inside(source);
        String last = p.getFileName() == null ? "" : p.getFileName().toString();
        Map<String, byte[]> out = new TreeMap<>();
        if (last.matches(".*[*?\\[].*")) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + last);
            boolean any = false;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p.getParent())) {
                for (Path c : ds) {
                    if (m.matches(c.getFileName()) && !isIgnored(root.relativize(c))) {
                        any = true;
                        add(c, c.getFileName().toString(), out, names);
                    }
                }
            }
            if (!any) {
                throw new IOException("COPY source " + source + " matches no file");
            }
            return out;
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                || (!p.equals(root) && isIgnored(root.relativize(p)))) {
            throw new IOException("COPY source " + source + " is not in the build context");
        }
        if (Files.isDirectory(followed(p, source))) {
            addChildren(p, "", out, names);
        } else {
            add(p, p.getFileName().toString(), out, names);
        }
        return out;
    }

    /** Whether the source names a folder (its contents are copied) rather than a file. */
    boolean isFolder(String source) throws IOException {
        Path p = inside(source);
        return Files.isDirectory(p) && !p.getFileName().toString().matches(".*[*?\\[].*");
    }

    private Path inside(String source) throws IOException {
        String s = source.replaceAll("^/+", "");
        Path p = root.resolve(s.isEmpty() ? "." : s).normalize();
        if (!p.startsWith(root)) {
            throw new IOException("COPY source " + source + " is outside the build context");
        }
        return p;
    }

    /** {@code p} with links followed, refusing a link whose target is outside the context. */
    private Path followed(Path p, String shown) throws IOException {
        if (!Files.isSymbolicLink(p)) {
            // a parent may be a link too: the real path must still be inside
            Path real = p.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new IOException(shown + " is a link to outside the build context");
            }
            return p;
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            throw new IOException(shown + " is a link to nothing");
        }
        if (!real.startsWith(realRoot)) {
            throw new IOException(shown + " is a link to outside the build context");
        }
        return real;
    }

    private void add(Path p, String rel, Map<String, byte[]> out, List<String> names)
            throws IOException {
        Path f = followed(p, root.relativize(p).toString());
        if (Files.isDirectory(f)) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException(
                        root.relativize(p) + " is a link to a folder (not supported)");
            }
            addChildren(p, rel + "/", out, names);
        } else if (Files.isRegularFile(f)) {
            out.put(rel, Files.readAllBytes(f));
            names.add(root.relativize(p).toString());
        } else {
            throw new IOException(root.relativize(p) + " is not a file or folder");
        }
    }

    private void addChildren(Path dir, String prefix, Map<String, byte[]> out, List<String> names)
            throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        children.sort(null);
        for (Path c : children) {
            if (isIgnored(root.relativize(c))) {
                continue;
            }
            add(c, prefix + c.getFileName(), out, names);
        }
    }
}
