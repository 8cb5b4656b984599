package dev.airlock.core.vfs;

import dev.airlock.core.Mount;
import io.roastedroot.zerofs.Configuration;
import io.roastedroot.zerofs.Feature;
import io.roastedroot.zerofs.FileTimeSource;
import io.roastedroot.zerofs.PathType;
import io.roastedroot.zerofs.ZeroFs;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One in-memory volume seen by the guest at {@code guestPath}; {@code mount} is the mount it was
 * made from, or {@code null} for the single root and the shared volumes no mount made; {@code
 * shared} the shared volume it is, or {@code null}.
 */
record Volume(
        Mount mount,
        String guestPath,
        Mount.Mode mode,
        FileSystem fs,
        Path root,
        FileStore store,
        SharedVolume shared) {

    /** A volume on {@code fs}, seen at {@code guestPath}. */
    static Volume of(Mount mount, String guestPath, Mount.Mode mode, FileSystem fs)
            throws IOException {
        Path root = fs.getPath("/");
        return new Volume(mount, guestPath, mode, fs, root, Files.getFileStore(root), null);
    }

    /** A read-only mount shown from a shared volume made from its host folder. */
    static Volume of(Mount mount, SharedVolume shared) throws IOException {
        return shared(mount, mount.guestPath(), shared);
    }

    /**
     * Whether the volume's files count towards the instance's quota: all but the shared volumes no
     * mount made.
     */
    boolean charged() {
        return shared == null || mount != null;
    }

    /** A shared volume, read-only, seen at its folder. */
    static Volume of(SharedVolume shared) throws IOException {
        return shared(null, shared.folder(), shared);
    }

    private static Volume shared(Mount mount, String guestPath, SharedVolume shared)
            throws IOException {
        Path root = shared.root();
        return new Volume(
                mount,
                guestPath,
                Mount.Mode.READ_ONLY,
                root.getFileSystem(),
                root,
                Files.getFileStore(root),
                shared);
    }

    /**
     * A new in-memory filesystem of at most {@code maxSize} bytes in {@link
     * VirtualFileSystem#BLOCK} blocks, with the links, attributes and channels WASI needs; its
     * times from {@code times}, or the system clock when {@code null}.
     */
    static FileSystem memory(long maxSize, FileTimeSource times) {
        Configuration.Builder config =
                Configuration.builder(PathType.unix())
                        .setRoots("/")
                        .setWorkingDirectory("/")
                        .setAttributeViews("basic", "owner", "posix", "unix")
                        .setSupportedFeatures(
                                Feature.LINKS,
                                Feature.SYMBOLIC_LINKS,
                                Feature.SECURE_DIRECTORY_STREAM,
                                Feature.FILE_CHANNEL)
                        .setBlockSize(VirtualFileSystem.BLOCK)
                        .setMaxSize(maxSize);
        if (times != null) {
            config.setFileTimeSource(times);
        }
        return ZeroFs.newFileSystem(config.build());
    }
}
