package dev.airlock.skills.box;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * What {@code RUN pip install} and {@code RUN npm install} put into a box being built: Python
 * packages into its site-packages, JavaScript packages into {@code WORKDIR/node_modules}, all from
 * the local package folder ({@link Packages}).
 */
final class Installs {
    private final Path packages;
    private final Map<String, byte[]> rootfs;
    private final Map<String, byte[]> site;
    private final Set<String> pipDone = new HashSet<>();
    private final Set<String> npmDone = new HashSet<>();

    /**
     * @param packages the local package folder, or null (then every install is refused)
     * @param rootfs the box's files (read for requirements and package.json; node_modules added)
     * @param site the box's Python packages (added to)
     */
    Installs(Path packages, Map<String, byte[]> rootfs, Map<String, byte[]> site) {
        this.packages = packages;
        this.rootfs = rootfs;
        this.site = site;
    }

    /** Installs Python requirements named on a pip command line or in a requirements file. */
    void pip(String workdir, List<String> names, List<String> requirementFiles) throws IOException {
        Packages p = packages("pip install");
        List<String> all = new ArrayList<>(names);
        for (String f : requirementFiles) {
            String abs = Launch.normalize(f.startsWith("/") ? f : workdir + "/" + f);
            byte[] b = abs == null ? null : rootfs.get(abs);
            if (b == null) {
                throw new IOException(
                        "requirements file " + f + " is not in the box (COPY it first)");
            }
            for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
                String l = line.replaceAll("#.*", "").strip();
                if (l.startsWith("-")) {
                    throw new IOException(f + ": option lines (" + l + ") are not supported");
                }
                if (!l.isEmpty()) {
                    all.add(l);
                }
            }
        }
        for (String r : all) {
            Matcher m = Packages.REQUIREMENT.matcher(r);
            if (!m.matches() || r.contains("://") || r.startsWith(".") || r.startsWith("/")) {
                throw new IOException(
                        "requirement "
                                + r
                                + " is not a package name (local paths and URLs are not supported)");
            }
            if (Packages.normalize(m.group(1)).equals("pip")
                    || Packages.normalize(m.group(1)).equals("setuptools")
                    || Packages.normalize(m.group(1)).equals("wheel")) {
                continue; // the installer's own tools: not needed
            }
            if (!Packages.forSandbox(r, m.group(3))) {
                continue; // for another platform or Python, as pip skips it
            }
            p.pip(m.group(1), m.group(2), site, pipDone);
        }
    }

    /** Installs JavaScript packages (the named ones, or package.json's dependencies). */
    void npm(String workdir, List<String> names) throws IOException {
        Packages p = packages("npm install");
        List<String> all = new ArrayList<>();
        if (names.isEmpty()) {
            byte[] pj = rootfs.get(Launch.normalize(workdir + "/package.json"));
            if (pj == null) {
                throw new IOException(
                        "npm install without names needs package.json in "
                                + workdir
                                + " (COPY it first)");
            }
            Packages.json(pj).path("dependencies").fieldNames().forEachRemaining(all::add);
        } else {
            for (String n : names) {
                all.add(n.replaceFirst("(?<=.)@[^/]*$", ""));
            }
        }
        Map<String, byte[]> modules = new TreeMap<>();
        for (String n : all) {
            p.npm(n, modules, npmDone);
        }
        String base = Launch.normalize(workdir + "/node_modules");
        for (Map.Entry<String, byte[]> e : modules.entrySet()) {
            rootfs.put(base + "/" + e.getKey(), e.getValue());
        }
    }

    private Packages packages(String what) throws IOException {
        if (packages == null) {
            throw new IOException(
                    "RUN " + what + " needs --packages DIR (no network at build time)");
        }
        return new Packages(packages);
    }
}
