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
    private final List<LinkedImport> imports;
    private final String toolDevice;
    private final EventSink events;
    private final String sessionId;

    private InstanceSetup(Builder b) {
        this.files = new LinkedHashMap<>();
        b.files.forEach((k, v) -> files.put(k, v.clone()));
        this.directories = List.copyOf(b.directories);
        this.singleRoot = b.singleRoot;
        this.imports = List.copyOf(b.imports);
        this.toolDevice = b.toolDevice;
        this.events = b.events;
        this.sessionId = b.sessionId;
    }

    /** No files, one volume per mount, no linked imports, no tool device, no events. */
    public static InstanceSetup defaults() {
        return DEFAULT;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Files written into the virtual filesystem before the instance starts, by guest path. */
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

    /** Builds an {@link InstanceSetup}. */
    public static final class Builder {
        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private final List<String> directories = new ArrayList<>();
        private boolean singleRoot;
        private final List<LinkedImport> imports = new ArrayList<>();
        private String toolDevice;
        private EventSink events = EventSink.none();
        private String sessionId;

        private Builder() {}

        /**
         * Seeds a file (parents are created).
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
         * @throws IllegalArgumentException if a tool device is set without a single root, or a
         *     linked function is given twice
         */
        public InstanceSetup build() {
            if (toolDevice != null && !singleRoot) {
                throw new IllegalArgumentException("a tool device needs a single root filesystem");
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
