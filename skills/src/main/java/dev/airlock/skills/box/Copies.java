package dev.airlock.skills.box;

import dev.airlock.skills.box.Dockerfile.Instruction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code COPY} and {@code ADD} put into a box being built: files and folders from the build
 * context only (no URLs), and the entries of a local tar archive that {@code ADD} unpacks.
 */
final class Copies {
    private final Context context;
    private final Map<String, byte[]> rootfs;

    /**
     * @param context the build context
     * @param rootfs the box's files (added to)
     */
    Copies(Context context, Map<String, byte[]> rootfs) {
        this.context = context;
        this.rootfs = rootfs;
    }

    /** Takes a COPY or ADD whose words (options, sources, destination) are already split. */
    void copy(Instruction ins, List<String> words, String workdir)
            throws BoxException, IOException {
        boolean add = ins.keyword().equals("ADD");
        List<String> w = new ArrayList<>(words);
        while (!w.isEmpty() && w.get(0).startsWith("--")) {
            String opt = w.remove(0);
            if (opt.startsWith("--chown=") || opt.startsWith("--chmod=")) {
                continue; // a box's files have no owners; modes are not kept
            }
            if (opt.startsWith("--from=")) {
                throw new BoxException(
                        ins.line(),
                        ins.keyword() + " --from: multi-stage builds are not supported");
            }
            throw new BoxException(
                    ins.line(), ins.keyword() + " option " + opt + " is not supported");
        }
        if (w.size() < 2) {
            throw new BoxException(ins.line(), ins.keyword() + " expects SOURCE... DEST");
        }
        String dest = w.get(w.size() - 1);
        List<String> sources = w.subList(0, w.size() - 1);
        String destAbs = Launch.normalize(dest.startsWith("/") ? dest : workdir + "/" + dest);
        if (destAbs == null) {
            throw new BoxException(ins.line(), "bad destination " + dest);
        }
        boolean intoDir =
                dest.endsWith("/") || dest.equals(".") || sources.size() > 1 || isDir(destAbs);
        for (String src : sources) {
            if (src.matches("(?i)[a-z][a-z0-9+.-]*://.*") || src.startsWith("git@")) {
                throw new BoxException(
                        ins.line(),
                        ins.keyword()
                                + " "
                                + src
                                + ": fetching URLs is not supported (no network at build time)");
            }
            Map<String, byte[]> files = context.files(src, new ArrayList<>());
            if (add && files.size() == 1 && Tar.isArchive(src) && !context.isFolder(src)) {
                byte[] archive = files.values().iterator().next();
                Map<String, byte[]> entries;
                try {
                    entries = Tar.read(archive, 48L << 20);
                } catch (IOException e) {
                    throw new BoxException(ins.line(), "ADD " + src + ": " + e.getMessage());
                }
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    if (e.getValue() != null) {
                        put(destAbs + "/" + e.getKey(), e.getValue(), ins);
                    }
                }
                continue;
            }
            boolean folder =
                    context.isFolder(src) || files.size() > 1 || src.matches(".*[*?\\[].*");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                String target = folder || intoDir ? destAbs + "/" + f.getKey() : destAbs;
                put(target, f.getValue(), ins);
            }
        }
    }

    private boolean isDir(String abs) {
        String prefix = abs.equals("/") ? "/" : abs + "/";
        return rootfs.keySet().stream().anyMatch(p -> p.startsWith(prefix));
    }

    private void put(String path, byte[] content, Instruction ins) throws BoxException {
        String p = Launch.normalize(path);
        if (p == null || p.equals("/")) {
            throw new BoxException(ins.line(), "bad destination " + path);
        }
        String why = BoxImage.reserved(p);
        if (why != null) {
            throw new BoxException(ins.line(), ins.keyword() + " into " + p + ": " + why);
        }
        rootfs.put(p, content);
    }
}
