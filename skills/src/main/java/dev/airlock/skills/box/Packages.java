package dev.airlock.skills.box;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The local package folder ({@code --packages DIR}) from which {@code RUN pip install} and {@code
 * RUN npm install} take pure packages, with no network: Python wheels ({@code NAME-VERSION-*.whl},
 * pure only) or importable folders ({@code NAME/__init__.py}, {@code NAME.py}); JavaScript package
 * folders ({@code NAME/package.json}) or {@code npm pack} tarballs ({@code NAME-VERSION.tgz}).
 * Their declared dependencies are installed from the same folder. Anything compiled (a {@code .so},
 * {@code .pyd}, {@code .node} or {@code binding.gyp}), a package with install scripts, and an ES
 * module package are refused.
 */
final class Packages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX = 48L << 20;

    private final Path dir;

    Packages(Path dir) {
        this.dir = dir;
    }

    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "_");
    }

    /**
     * Installs a Python package and its dependencies into {@code site} (paths relative to
     * site-packages).
     *
     * @param versions the version specifier as written after the name ({@code ==1.0}, {@code
     *     >=2,<3}, {@code ~=1.4}; empty for any): the highest version of the package's wheels that
     *     satisfies it is taken ({@link PipVersions})
     * @throws IOException naming the package and the problem
     */
    void pip(String name, String versions, Map<String, byte[]> site, Set<String> done)
            throws IOException {
        String want = normalize(name);
        if (!done.add(want)) {
            return;
        }
        PipVersions.Spec spec;
        try {
            spec = PipVersions.spec(versions);
        } catch (IllegalArgumentException e) {
            throw new IOException("requirement " + name + versions + ": " + e.getMessage());
        }
        Path wheel = wheel(want, spec, false);
        if (wheel == null) {
            wheel = wheel(want, spec, true); // pre-releases when no final release will do
        }
        if (wheel != null) {
            for (String[] dep : wheel(wheel, site)) {
                pip(dep[0], dep[1], site, done);
            }
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && normalize(f).equals(want)
                        && Files.isRegularFile(
                                p.resolve("__init__.py"), LinkOption.NOFOLLOW_LINKS)) {
                    folder(p, f + "/", site, ".so", ".pyd");
                    return;
                }
                if (f.endsWith(".py")
                        && normalize(f.substring(0, f.length() - 3)).equals(want)
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    site.put(f, Files.readAllBytes(p));
                    return;
                }
            }
        }
        throw new IOException(
                "package "
                        + name
                        + versions.strip()
                        + " is not in --packages (a pure wheel or an importable folder)");
    }

    /**
     * The package's wheel of the highest version that {@code spec} allows (one whose version is not
     * PEP 440's counts as the lowest), or null.
     */
    private Path wheel(String want, PipVersions.Spec spec, boolean anyPre) throws IOException {
        Path wheel = null;
        PipVersions.Version best = null;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.whl")) {
            for (Path w : ds) {
                String[] parts = w.getFileName().toString().split("-");
                if (parts.length >= 5
                        && normalize(parts[0]).equals(want)
                        && spec.allows(parts[1], anyPre)) {
                    PipVersions.Version v = PipVersions.parse(parts[1]);
                    if (wheel == null || (v != null && (best == null || v.compareTo(best) > 0))) {
                        best = v;
                        wheel = w;
                    }
                }
            }
        }
        return wheel;
    }

    /**
     * Unpacks a pure wheel into {@code site}; returns its required dependencies ({@link
     * #requires}).
     */
    private List<String[]> wheel(Path wheel, Map<String, byte[]> site) throws IOException {
        String shown = wheel.getFileName().toString();
        List<String[]> deps = new ArrayList<>();
        long total = 0;
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(wheel))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                String rel;
                try {
                    rel = Tar.relative(e.getName());
                } catch (IOException x) {
                    throw new IOException(shown + ": " + x.getMessage());
                }
                byte[] b = z.readNBytes((int) Math.min(MAX + 1, Integer.MAX_VALUE - 8));
                total += b.length;
                if (total > MAX) {
                    throw new IOException(shown + ": larger than 48MiB unpacked");
                }
                String lower = rel.toLowerCase(Locale.ROOT);
                if (lower.endsWith(".so")
                        || lower.endsWith(".pyd")
                        || lower.endsWith(".dylib")
                        || lower.contains(".so.")) {
                    throw new IOException(
                            shown + " is not pure Python: it holds the compiled " + rel);
                }
                if (rel.matches("[^/]+\\.dist-info/WHEEL")
                        && new String(b, StandardCharsets.UTF_8)
                                .contains("Root-Is-Purelib: false")) {
                    throw new IOException(shown + " is not pure Python (Root-Is-Purelib: false)");
                }
                if (rel.matches("[^/]+\\.dist-info/METADATA")) {
                    deps.addAll(requires(new String(b, StandardCharsets.UTF_8)));
                }
                java.util.regex.Matcher data =
                        java.util.regex.Pattern.compile("[^/]+\\.data/(purelib|platlib)/(.+)")
                                .matcher(rel);
                if (data.matches()) {
                    site.put(data.group(2), b);
                } else if (!rel.matches("[^/]+\\.data/.*")) {
                    site.put(rel, b);
                }
            }
        }
        return deps;
    }

    /**
     * A requirement, as in a {@code Requires-Dist} value, a requirements file or on pip's command
     * line: a name, extras, a version specifier, markers.
     */
    static final java.util.regex.Pattern REQUIREMENT =
            java.util.regex.Pattern.compile(
                    "([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*\\])?\\s*([^;]*)(?:;(.*))?");

    /**
     * Whether a requirement's markers (group 3 of {@link #REQUIREMENT}; null: none) hold for the
     * sandbox's Python.
     *
     * @throws IOException naming the requirement if they are not a marker expression
     */
    static boolean forSandbox(String requirement, String markers) throws IOException {
        if (markers == null) {
            return true;
        }
        try {
            return PipMarkers.holds(markers, PipMarkers.SANDBOX);
        } catch (IllegalArgumentException e) {
            throw new IOException("requirement " + requirement.strip() + ": " + e.getMessage());
        }
    }

    /**
     * The wheel's dependencies for the sandbox's Python: those whose markers hold there with no
     * extra asked for ({@link PipMarkers}), each its name and its version specifier as written
     * (empty for any).
     *
     * @throws IOException if a dependency's markers are malformed
     */
    static List<String[]> requires(String metadata) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : metadata.split("\n")) {
            if (!line.startsWith("Requires-Dist:")) {
                continue;
            }
            String req = line.substring("Requires-Dist:".length()).strip();
            java.util.regex.Matcher m = REQUIREMENT.matcher(req);
            if (m.matches() && forSandbox(req, m.group(3))) {
                out.add(new String[] {m.group(1), m.group(2).strip()});
            }
        }
        return out;
    }

    /**
     * Installs a JavaScript package and its dependencies under {@code modules} (paths relative to
     * {@code node_modules}).
     *
     * @throws IOException naming the package and the problem
     */
    void npm(String name, Map<String, byte[]> modules, Set<String> done) throws IOException {
        if (!name.matches("(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*")) {
            throw new IOException("bad package name " + name);
        }
        if (!done.add(name)) {
            return;
        }
        Map<String, byte[]> files = new TreeMap<>();
        Path folder = dir.resolve(name);
        if (Files.isRegularFile(folder.resolve("package.json"), LinkOption.NOFOLLOW_LINKS)) {
            folder(folder, "", files, ".node");
        } else {
            Path tgz = null;
            String plain = name.substring(name.lastIndexOf('/') + 1);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, plain + "-*.tgz")) {
                for (Path p : ds) {
                    tgz = p;
                }
            }
            if (tgz == null) {
                throw new IOException(
                        "package " + name + " is not in --packages (a folder or an npm pack .tgz)");
            }
            for (Map.Entry<String, byte[]> e : Tar.read(Files.readAllBytes(tgz), MAX).entrySet()) {
                String k = e.getKey();
                if (e.getValue() != null && k.startsWith("package/")) {
                    files.put(k.substring("package/".length()), e.getValue());
                }
            }
        }
        byte[] pj = files.get("package.json");
        if (pj == null) {
            throw new IOException("package " + name + " has no package.json");
        }
        JsonNode meta = JSON.readTree(pj);
        JsonNode scripts = meta.path("scripts");
        for (String s : List.of("preinstall", "install", "postinstall")) {
            if (scripts.has(s)) {
                throw new IOException("package " + name + " runs an " + s + " script (refused)");
            }
        }
        for (String f : files.keySet()) {
            if (f.endsWith(".node") || f.endsWith("binding.gyp")) {
                throw new IOException("package " + name + " is not pure JavaScript: it holds " + f);
            }
            modules.put(name + "/" + f, files.get(f));
        }
        var deps = meta.path("dependencies").fieldNames();
        while (deps.hasNext()) {
            npm(deps.next(), modules, done);
        }
    }

    /** Copies a package folder (no links; refusing files with the given native suffixes). */
    private static void folder(
            Path root, String prefix, Map<String, byte[]> out, String... nativeSuffixes)
            throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (Files.isSymbolicLink(p)) {
                    throw new IOException(
                            root.getFileName()
                                    + ": "
                                    + root.relativize(p)
                                    + " is a link (refused)");
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.contains("__pycache__/")) {
                    continue;
                }
                for (String s : nativeSuffixes) {
                    if (rel.endsWith(s)) {
                        throw new IOException(
                                root.getFileName() + " is not pure: it holds the compiled " + rel);
                    }
                }
                out.put(prefix + rel, Files.readAllBytes(p));
            }
        }
    }

    /** Reads a JSON document from bytes (for package.json files in the image). */
    static JsonNode json(byte[] b) throws IOException {
        return JSON.readTree(new ByteArrayInputStream(b));
    }
}
