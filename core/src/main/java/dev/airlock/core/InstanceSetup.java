package dev.airlock.core;

import dev.airlock.core.event.EventSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to set up a long-lived {@link GuestInstance} beyond its {@link Policy}: files seeded into its
 * virtual filesystem, the filesystem layout, host functions linked to this instance, the tool
 * device and where events go. Immutable.
 */
public final class InstanceSetup {
    private static final InstanceSetup DEFAULT = builder().build();

    private final Map<String, byte[]> files;
    private final List<String> directories;
    private final boolean singleRoot;
    private final List<String> sharedFolders;
    private final List<LinkedImport> imports;
    private final String toolDevice;
    private final EventSink events;
    private final String sessionId;
    private final long shadowStackBytes;
    private final boolean memoryUpToLimit;
    private final boolean fuelPerCall;

    private InstanceSetup(Builder b) {
        this.files = new LinkedHashMap<>();
        b.files.forEach((k, v) -> files.put(k, v.clone()));
        this.directories = List.copyOf(b.directories);
        this.singleRoot = b.singleRoot;
        this.sharedFolders = List.copyOf(b.sharedFolders);
        this.imports = List.copyOf(b.imports);
        this.toolDevice = b.toolDevice;
        this.events = b.events;
        this.sessionId = b.sessionId;
        this.shadowStackBytes = b.shadowStackBytes;
        this.memoryUpToLimit = b.memoryUpToLimit;
        this.fuelPerCall = b.fuelPerCall;
    }

    /** No files, one volume per mount, no linked imports, no tool device, no events. */
    public static InstanceSetup defaults() {
        return DEFAULT;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Files written into the virtual filesystem before the instance starts (or, at a restore, where
     * the snapshot holds none of that path), by guest path.
     */
    public Map<String, byte[]> files() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        files.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Folders created before the instance starts (guest paths). */
    public List<String> directories() {
        return directories;
    }

    /**
     * Whether the guest sees one filesystem rooted at {@code /} (a single preopened directory
     * holding every mount at its guest path, the seeded files and folders) rather than one
     * preopened directory per mount.
     */
    public boolean singleRoot() {
        return singleRoot;
    }

    /**
     * Folders whose files the guest sees read-only from one copy in memory shared with other
     * instances. See {@link Builder#sharedFolder(String)}.
     */
    public List<String> sharedFolders() {
        return sharedFolders;
    }

    public List<LinkedImport> imports() {
        return imports;
    }

    /**
     * The guest path of the tool device, or {@code null}: a file through which guest code calls
     * host tools by writing a JSON request and reading the JSON answer.
     */
    public String toolDevice() {
        return toolDevice;
    }

    public EventSink events() {
        return events;
    }

    /** The session this instance belongs to, carried in its lifecycle events; may be null. */
    public String sessionId() {
        return sessionId;
    }

    /**
     * Bytes of fresh memory the module's C shadow stack is moved to, or 0 (the default) to leave it
     * where the module's linker put it. See {@link Builder#shadowStack(long)}.
     */
    public long shadowStackBytes() {
        return shadowStackBytes;
    }

    /**
     * Whether linear memory may grow to the policy's memory limit even where the module declares a
     * smaller maximum. See {@link Builder#memoryUpToLimit(boolean)}.
     */
    public boolean memoryUpToLimit() {
        return memoryUpToLimit;
    }

    /**
     * Whether each call is metered with the policy's fuel budget. See {@link
     * Builder#fuelPerCall(boolean)}.
     */
    public boolean fuelPerCall() {
        return fuelPerCall;
    }

    /** Builds an {@link InstanceSetup}. */
    public static final class Builder {
        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private final List<String> directories = new ArrayList<>();
        private boolean singleRoot;
        private final List<String> sharedFolders = new ArrayList<>();
        private final List<LinkedImport> imports = new ArrayList<>();
        private String toolDevice;
        private EventSink events = EventSink.none();
        private String sessionId;
        private long shadowStackBytes;
        private boolean memoryUpToLimit;
        private boolean fuelPerCall;

        private Builder() {}

        /**
         * Meters the instance with the policy's {@linkplain Limits#fuel() fuel budget}, given
         * afresh to each call (and to the start section): a call that spends it ends as a {@code
         * fuel} limit, and each call's outcome reports the fuel it used, the same on every machine.
         * The module is instantiated from its metered copy, so one that cannot be metered is
         * rejected. Default false: instances are not metered and a fuel budget does not apply.
         */
        public Builder fuelPerCall(boolean metered) {
            this.fuelPerCall = metered;
            return this;
        }

        /**
         * Seeds a file (parents are created). An instance restored from a snapshot gets it too
         * where the snapshot holds no file of that path.
         *
         * @throws IllegalArgumentException if the path is not absolute or contains {@code ..}
         */
        public Builder file(String guestPath, byte[] content) {
            check(guestPath);
            files.put(guestPath, Objects.requireNonNull(content, "content").clone());
            return this;
        }

        /** Creates a folder (and its parents). */
        public Builder directory(String guestPath) {
            check(guestPath);
            directories.add(guestPath);
            return this;
        }

        /**
         * Shows the files under {@code guestPath} read-only, from one in-memory copy that every
         * instance showing the same files there shares, instead of a copy per instance: the files
         * seeded there ({@link #file}) when an instance starts, or those a snapshot holds there
         * when it is restored. Instances recognise the same files by their arrays (restores of one
         * snapshot, or of snapshots captured from its instances) or else by their bytes; a few
         * copies are kept for reuse while no instance holds them.
         *
         * <p>The guest can change nothing there (every attempt is denied as {@code fs.read-only},
         * as for a read-only mount), the entries' times never move (so that no instance can tell
         * when another read them), and the files count towards neither filesystem quota. Host-side
         * writes there ({@link GuestInstance#writeFile}) are refused too. Snapshots hold the files
         * (the same arrays, not copies), so they restore anywhere. The folder must be a clean
         * absolute path other than {@code /}; in a {@linkplain #singleRoot single root} it must not
         * overlap a mount, and without one it must not overlap a mount's guest path. Default: none.
         *
         * @throws IllegalArgumentException if the path is not absolute, contains {@code .} or
         *     {@code ..}, or overlaps a folder already shared
         */
        public Builder sharedFolder(String guestPath) {
            check(guestPath);
            if (guestPath.endsWith("/")) {
                throw new IllegalArgumentException("a shared folder has no trailing slash");
            }
            for (String f : sharedFolders) {
                if (f.equals(guestPath)
                        || f.startsWith(guestPath + "/")
                        || guestPath.startsWith(f + "/")) {
                    throw new IllegalArgumentException(
                            "shared folders overlap: " + f + " and " + guestPath);
                }
            }
            sharedFolders.add(guestPath);
            return this;
        }

        public Builder singleRoot(boolean singleRoot) {
            this.singleRoot = singleRoot;
            return this;
        }

        public Builder link(LinkedImport linked) {
            imports.add(Objects.requireNonNull(linked, "linked"));
            return this;
        }

        /** Where the tool device lives; requires {@link #singleRoot(boolean)}. */
        public Builder toolDevice(String guestPath) {
            check(guestPath);
            this.toolDevice = guestPath;
            return this;
        }

        public Builder events(EventSink events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /**
         * Lets linear memory grow to the policy's memory limit ({@link Limits#memoryBytes()}) even
         * where the module declares a smaller maximum: for modules whose declared maximum is a
         * build choice rather than a need (the Python image declares 64 MiB). The policy's limit
         * still applies, as do the 2 GiB the engine can address. Default false: the smaller of the
         * two.
         */
        public Builder memoryUpToLimit(boolean upToLimit) {
            this.memoryUpToLimit = upToLimit;
            return this;
        }

        /**
         * Moves the shadow stack of a module built by LLVM for wasm32 (the stack that C code keeps
         * in linear memory, whose pointer is the module's first global, a mutable {@code i32}) to
         * {@code bytes} of memory added above the module's memory when the instance is created,
         * with 256 KiB of guard pages below it. Linkers place that stack just above the module's
         * static data, often with only 64 KiB or so: deep C recursion then overwrites the data and
         * the guest fails in unrelated ways. Moved, the stack is as large as asked, and an overflow
         * that reaches the guard pages ends the call as a {@code stack} limit.
         *
         * <p>The added pages count against the memory limit but cost no host memory until the guest
         * writes them. Snapshots keep the layout; restoring one puts the guard pages back. Nothing
         * is moved when the module has no such global, when its memory cannot grow by that much
         * (its maximum or the policy's memory limit), or for a shared memory. Default 0: not moved.
         *
         * @throws IllegalArgumentException unless 0 or a multiple of 64 KiB up to 256 MiB
         */
        public Builder shadowStack(long bytes) {
            if (bytes < 0 || bytes % Limits.PAGE != 0 || bytes > (256L << 20)) {
                throw new IllegalArgumentException(
                        "shadow stack must be 0 or a multiple of 64 KiB up to 256 MiB: " + bytes);
            }
            this.shadowStackBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a tool device is set without a single root or in a
         *     shared folder, or a linked function is given twice
         */
        public InstanceSetup build() {
            if (toolDevice != null && !singleRoot) {
                throw new IllegalArgumentException("a tool device needs a single root filesystem");
            }
            for (String f : sharedFolders) {
                if (toolDevice != null
                        && (toolDevice.equals(f) || toolDevice.startsWith(f + "/"))) {
                    throw new IllegalArgumentException(
                            "the tool device lies in the shared folder " + f);
                }
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (LinkedImport l : imports) {
                if (!names.add(l.module() + "." + l.name())) {
                    throw new IllegalArgumentException(
                            "linked twice: " + l.module() + "." + l.name());
                }
            }
            return new InstanceSetup(this);
        }

        private static void check(String guestPath) {
            Objects.requireNonNull(guestPath, "guestPath");
            if (!guestPath.startsWith("/") || guestPath.length() < 2) {
                throw new IllegalArgumentException("guest path must be absolute: " + guestPath);
            }
            for (String part : guestPath.split("/")) {
                if (part.equals("..") || part.equals(".")) {
                    throw new IllegalArgumentException(
                            "guest path must not contain . or ..: " + guestPath);
                }
            }
        }
    }
}
