package dev.airlock.core.vfs;

import dev.airlock.core.Mount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The copy-back side of a {@link VirtualFileSystem}: what each read-write mount and its host folder
 * hold alike (after the copy-in, then after each copy-back), by the mount's index in the policy,
 * and the copy of the guest's changes back to the host.
 */
final class CopyBacks {
    private final VirtualFileSystem vfs;
    private final List<Mount> mounts;
    private final Map<Integer, Manifest> manifests = new HashMap<>();

    CopyBacks(VirtualFileSystem vfs, List<Mount> mounts) {
        this.vfs = vfs;
        this.mounts = mounts;
    }

    /** Records what each read-write mount holds after the copy-in. */
    void take() throws IOException {
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).mode() == Mount.Mode.READ_WRITE) {
                manifests.put(i, Manifest.of(mountRoot(i), skip(i)));
            }
        }
    }

    /** See {@link VirtualFileSystem#copyBack()}. */
    void copyBack() throws IOException {
        for (int i = 0; i < mounts.size(); i++) {
            Manifest was = manifests.get(i);
            if (was != null) {
                Mount m = mounts.get(i);
                manifests.put(i, HostSync.copyBack(mountRoot(i), m.host(), was, skip(i)));
            }
        }
    }

    /** Where mount {@code i}'s folder lies in memory. */
    private Path mountRoot(int i) {
        if (vfs.isSingleRoot()) {
            String g = mounts.get(i).guestPath();
            Path root = vfs.root(0);
            return g.equals("/") ? root : root.resolve(g.substring(1));
        }
        return vfs.root(i);
    }

    /**
     * The folders of the other mounts seen inside mount {@code i} (single root only), relative to
     * it: they belong to those mounts and are never copied back through this one.
     */
    private Set<String> skip(int i) {
        if (!vfs.isSingleRoot()) {
            return Set.of();
        }
        String g = mounts.get(i).guestPath();
        String prefix = g.equals("/") ? "/" : g + "/";
        Set<String> out = new HashSet<>();
        for (int j = 0; j < mounts.size(); j++) {
            String o = mounts.get(j).guestPath();
            if (j != i && o.startsWith(prefix) && o.length() > prefix.length()) {
                out.add(o.substring(prefix.length()));
            }
        }
        return out;
    }
}
